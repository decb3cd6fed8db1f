// Time values as heartbeat reads them: bare seconds, decimals, ms/us/s/m, rounding to whole ms.
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../src/config/diagnostics.js';
import { parseHaCf } from '../../src/config/hacf/parse.js';
import { formatDuration, parseDuration } from '../../src/config/time.js';

const BASE = 'node alpha beta\nbcast eth1\nauto_failback on\nlogfile /var/log/ha-log\n';

/** keepalive as ha.cf reads it, with a deadtime large enough to pass the start-up checks. */
function keepalive(value: string): { ms: number; diag: Diagnostics } {
  const diag = new Diagnostics();
  const cf = parseHaCf(`${BASE}deadtime 3600\nkeepalive ${value}\n`, 'ha.cf', diag);
  return { ms: cf.keepaliveMs, diag };
}

describe('parseDuration', () => {
  it.each([
    ['1', 1000],
    ['10', 10_000],
    ['0', 0],
    ['1.5', 1500],
    ['.5', 500],
    ['0.25', 250],
    ['500ms', 500],
    ['500MS', 500],
    ['500Ms', 500],
    ['1.5ms', 1.5],
    ['2000us', 2],
    ['2000US', 2],
    ['2s', 2000],
    ['2S', 2000],
    ['1.5s', 1500],
    ['1m', 60_000],
    ['1.5m', 90_000],
  ])('reads %s as %d ms', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });

  it('reads a number with a trailing dot as heartbeat (atof) does: "1." is one second', () => {
    expect(parseDuration('1.')).toBe(1000);
  });

  it.each([
    '',
    'ms',
    's',
    '-1',
    '+1',
    '1e3',
    '10sec',
    '1 ms',
    ' 1',
    '1h',
    '1d',
    'abc',
    '1,5',
    '5x',
  ])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('time values in ha.cf', () => {
  it.each([
    ['2', 2000],
    ['1.5', 1500],
    ['250ms', 250],
    ['1500us', 2],
    ['1499us', 1],
    ['0.0015', 2],
    ['1.0004', 1000],
    ['1.0005', 1001],
    ['0.5s', 500],
    ['1m', 60_000],
  ])('keepalive %s is %d ms (rounded half up to whole ms)', (value, expected) => {
    const { ms, diag } = keepalive(value);
    expect(diag.errors).toEqual([]);
    expect(ms).toBe(expected);
  });

  it('refuses a value that rounds to 0 ms, as heartbeat refuses keepalive 0', () => {
    const { diag } = keepalive('400us');
    expect(diag.errors.map((d) => d.line)).toEqual([6]);
  });

  it('refuses "5 ms" (two values) and a unit heartbeat does not know', () => {
    expect(keepalive('5 ms').diag.errors.map((d) => d.line)).toEqual([6]);
    const { diag } = keepalive('5sec');
    expect(diag.errors).toHaveLength(1);
    expect(diag.errors[0]?.line).toBe(6);
    expect(diag.errors[0]?.message).toContain('5sec');
  });
});

describe('formatDuration', () => {
  it.each([
    [500, '500ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [30_000, '30s'],
    [1234, '1234ms'],
    [2, '2ms'],
    [0.5, '0.5ms'],
  ])('shows %d ms as %s', (value, text) => {
    expect(formatDuration(value)).toBe(text);
  });

  it('round-trips through parseDuration', () => {
    for (const value of [1, 250, 999, 1000, 1500, 2500, 12_000, 90_000]) {
      expect(parseDuration(formatDuration(value))).toBe(value);
    }
  });
});
