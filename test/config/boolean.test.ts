// Heartbeat booleans: five spellings each for true and false, in any case, and nothing else.
import { describe, expect, it } from 'vitest';
import { parseBoolean } from '../../src/config/boolean.js';
import { Diagnostics } from '../../src/config/diagnostics.js';
import { parseHaCf } from '../../src/config/hacf/parse.js';

const TRUE_WORDS = ['true', 'on', 'yes', 'y', '1'];
const FALSE_WORDS = ['false', 'off', 'no', 'n', '0'];

function cases(word: string): string[] {
  const mixed = word.replace(/[a-z]/g, (c, i: number) => (i % 2 === 0 ? c.toUpperCase() : c));
  return [word, word.toUpperCase(), mixed];
}

describe('parseBoolean', () => {
  it.each(TRUE_WORDS.flatMap(cases))('reads %s as true', (word) => {
    expect(parseBoolean(word)).toBe(true);
  });

  it.each(FALSE_WORDS.flatMap(cases))('reads %s as false', (word) => {
    expect(parseBoolean(word)).toBe(false);
  });

  it.each(['', 'yess', 'tru', 'enable', 'disabled', '2', '-1', '01', ' on', 'on ', 'o', 't', 'f'])(
    'rejects %j',
    (word) => {
      expect(parseBoolean(word)).toBeUndefined();
    },
  );
});

describe('booleans in ha.cf', () => {
  const base = 'node alpha beta\nbcast eth1\nlogfile /var/log/ha-log\n';

  it.each([...TRUE_WORDS.flatMap(cases).map((w) => [w, 'on'] as const)])(
    'auto_failback %s means on',
    (word, expected) => {
      const diag = new Diagnostics();
      const cf = parseHaCf(`${base}auto_failback ${word}\n`, 'ha.cf', diag);
      expect(diag.errors).toEqual([]);
      expect(cf.autoFailback).toBe(expected);
    },
  );

  it.each([...FALSE_WORDS.flatMap(cases).map((w) => [w, 'off'] as const)])(
    'auto_failback %s means off',
    (word, expected) => {
      const diag = new Diagnostics();
      const cf = parseHaCf(`${base}auto_failback ${word}\n`, 'ha.cf', diag);
      expect(diag.errors).toEqual([]);
      expect(cf.autoFailback).toBe(expected);
    },
  );

  it('syslogmsgfmt takes the same spellings', () => {
    for (const [word, expected] of [
      ['YES', true],
      ['n', false],
      ['On', true],
      ['0', false],
    ] as const) {
      const diag = new Diagnostics();
      const cf = parseHaCf(`${base}auto_failback on\nsyslogmsgfmt ${word}\n`, 'ha.cf', diag);
      expect(diag.errors).toEqual([]);
      expect(cf.log.syslogFormat).toBe(expected);
    }
  });

  it('reports a word that is not a boolean at its line', () => {
    const diag = new Diagnostics();
    parseHaCf(`${base}auto_failback on\nsyslogmsgfmt maybe\n`, 'ha.cf', diag);
    expect(diag.errors).toHaveLength(1);
    expect(diag.errors[0]?.line).toBe(5);
    expect(diag.errors[0]?.message).toContain('maybe');
  });
});
