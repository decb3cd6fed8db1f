// Heartbeat's log line shapes, checked field by field.
import { describe, expect, it } from 'vitest';
import {
  classicLine,
  oneLine,
  syslogBody,
  syslogStyleLine,
  timestamp,
} from '../../src/log/line-format.js';

const date = new Date(2026, 10, 21, 9, 5, 7);

describe('log line format', () => {
  it('stamps local time as YYYY/MM/DD_HH:MM:SS with zero padding', () => {
    expect(timestamp(date)).toBe('2026/11/21_09:05:07');
    expect(timestamp(new Date(2027, 0, 2, 23, 59, 59))).toBe('2027/01/02_23:59:59');
  });

  it('writes classic lines with pid, stamp and heartbeat level names', () => {
    expect(classicLine(42, date, 'info', 'Link alpha:eth0 up.')).toBe(
      'heartbeat[42]: 2026/11/21_09:05:07 info: Link alpha:eth0 up.',
    );
    expect(classicLine(7, date, 'warn', 'x')).toContain(' WARN: x');
    expect(classicLine(7, date, 'error', 'x')).toContain(' ERROR: x');
    expect(classicLine(7, date, 'crit', 'x')).toContain(' CRIT: x');
    expect(classicLine(7, date, 'notice', 'x')).toContain(' notice: x');
    expect(classicLine(7, date, 'debug', 'x')).toContain(' debug: x');
  });

  it('writes syslog-style lines as heartbeat does with syslogmsgfmt on', () => {
    expect(syslogStyleLine(42, date, 'alpha', 'info', 'hello')).toBe(
      'Nov 21 09:05:07 alpha heartbeat: [42]: info: hello',
    );
    expect(syslogBody(42, 'error', 'boom')).toBe('[42]: ERROR: boom');
  });

  it('keeps one record on one line', () => {
    expect(oneLine('first\nsecond\r\nthird')).toBe('first | second | third');
    expect(oneLine('bell\x07tab\tok')).toBe('bell?tab\tok');
  });
});
