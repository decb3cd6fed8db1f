// authkeys: auth N, entries 0..15, crc/md5/sha1, heartbeat's errors, permissions, keys never shown.
import { describe, expect, it } from 'vitest';
import { parseAuthkeys, type AuthKeys } from '../../src/config/authkeys.js';
import { Diagnostics, formatDiagnostic, type Diagnostic } from '../../src/config/diagnostics.js';

const FILE = '/etc/ha.d/authkeys';

interface Parsed {
  keys: AuthKeys | undefined;
  all: Diagnostic[];
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

function parse(text: string, mode = 0o600): Parsed {
  const diag = new Diagnostics();
  const keys = parseAuthkeys(text, FILE, mode, diag);
  return { keys, all: diag.all, errors: diag.errors, warnings: diag.warnings };
}

function expectOneError(parsed: Parsed, line: number | undefined, fragment: string): void {
  expect(parsed.errors, JSON.stringify(parsed.errors)).toHaveLength(1);
  expect(parsed.errors[0]?.line).toBe(line);
  expect(parsed.errors[0]?.message).toContain(fragment);
}

describe('valid files', () => {
  it('reads auth N and the sha1 entry it selects', () => {
    const parsed = parse('auth 1\n1 sha1 s3cret-of-16-chars\n');
    expect(parsed.all).toEqual([]);
    expect(parsed.keys?.active).toEqual({
      index: 1,
      method: 'sha1',
      key: 's3cret-of-16-chars',
      at: { file: FILE, line: 2 },
    });
    expect([...(parsed.keys?.entries.keys() ?? [])]).toEqual([1]);
  });

  it('reads md5 and keeps every entry for key rotation', () => {
    const parsed = parse('auth 3\n1 sha1 old-key-of-16-chars\n3 md5 new-key-of-16-chars\n');
    expect(parsed.all).toEqual([]);
    expect(parsed.keys?.active.method).toBe('md5');
    expect(parsed.keys?.active.key).toBe('new-key-of-16-chars');
    expect([...(parsed.keys?.entries.keys() ?? [])].sort()).toEqual([1, 3]);
    expect(parsed.keys?.entries.get(1)?.key).toBe('old-key-of-16-chars');
  });

  it('accepts the lowest and highest entry numbers, 0 and 15', () => {
    expect(parse('auth 0\n0 sha1 k\n').keys?.active.index).toBe(0);
    expect(parse('auth 15\n15 sha1 k\n').keys?.active.index).toBe(15);
  });

  it('accepts crc without a key, with a warning that it authenticates nothing', () => {
    const parsed = parse('auth 2\n2 crc\n');
    expect(parsed.errors).toEqual([]);
    expect(parsed.keys?.active).toEqual({
      index: 2,
      method: 'crc',
      key: '',
      at: { file: FILE, line: 2 },
    });
    expect(parsed.warnings).toHaveLength(1);
    expect(parsed.warnings[0]?.line).toBe(2);
    expect(parsed.warnings[0]?.message).toContain('crc');
  });

  it('skips comments, blank lines and leading blanks; accepts tabs and CRLF', () => {
    const parsed = parse(
      '# keys\r\n\r\n   auth\t1\r\n\t# old\r\n  1\tsha1\tk3y-of-16-characters\r\n',
    );
    expect(parsed.all).toEqual([]);
    expect(parsed.keys?.active.key).toBe('k3y-of-16-characters');
    expect(parsed.keys?.active.at.line).toBe(5);
  });

  it('accepts "auth1" as heartbeat\'s sscanf("auth %d") does', () => {
    expect(parse('auth1\n1 sha1 k\n').keys?.active.index).toBe(1);
  });

  it('keeps a # inside a key, as heartbeat does', () => {
    expect(parse('auth 1\n1 sha1 ab#cd\n').keys?.active.key).toBe('ab#cd');
  });

  it('uses only the first word of a key, with a warning', () => {
    const parsed = parse('auth 1\n1 sha1 first-of-16-chars second third\n');
    expect(parsed.errors).toEqual([]);
    expect(parsed.keys?.active.key).toBe('first-of-16-chars');
    expect(parsed.warnings).toHaveLength(1);
    expect(parsed.warnings[0]?.line).toBe(2);
    expect(parsed.warnings[0]?.message).toContain('first word');
  });
});

describe('weak keys', () => {
  it.each([
    ['replace-this-example-key-with-your-own-random-secret', 'ha.d.example'],
    ['HI!', "heartbeat's sample"],
    ['Hello!', "heartbeat's sample"],
  ])('warns that %j is a published example key (%s)', (key) => {
    const parsed = parse(`auth 1\n\n1 sha1 ${key}\n`);
    expect(parsed.errors).toEqual([]);
    expect(parsed.warnings.map((w) => [w.line, w.message])).toEqual([
      [3, 'entry 1 holds a published example key'],
    ]);
    expect(parsed.warnings[0]?.hint).toContain('openssl rand -hex 32');
    expect(formatDiagnostic(parsed.warnings[0] as Diagnostic)).not.toContain(key);
  });

  it('warns of a key shorter than 16 characters, on each entry, never quoting it', () => {
    const parsed = parse('auth 2\n1 md5 fifteen-chars-x\n2 sha1 sixteen-chars-xx\n');
    expect(parsed.warnings.map((w) => [w.line, w.message])).toEqual([
      [2, 'entry 1: its key is 15 characters, shorter than 16'],
    ]);
    expect(formatDiagnostic(parsed.warnings[0] as Diagnostic)).not.toContain('fifteen');
  });
});

describe("heartbeat's errors", () => {
  it('no auth line: Missing auth directive', () => {
    expectOneError(parse('1 sha1 k\n'), 1, `Missing auth directive in keyfile [${FILE}]`);
    expectOneError(parse(''), 1, 'Missing auth directive');
    expectOneError(parse('# only a comment\n'), 1, 'Missing auth directive');
  });

  it('auth names an entry that is not there: Auth Key [N] not found, at the auth line', () => {
    expectOneError(parse('\nauth 2\n1 sha1 k\n'), 2, `Auth Key [2] not found in keyfile [${FILE}]`);
  });

  it('accepts the auth line after its entry (heartbeat needed it first)', () => {
    const parsed = parse('1 sha1 k\nauth 1\n');
    expect(parsed.errors).toEqual([]);
    expect(parsed.keys?.active.index).toBe(1);
  });

  it.each(['auth', 'auth x', 'auth -1', 'authx 1'])('%j: Invalid auth line', (line) => {
    const parsed = parse(`${line}\n1 sha1 k\n`);
    const invalid = parsed.errors.filter((e) => e.message.includes('Invalid auth line'));
    expect(invalid.map((e) => e.line)).toEqual([1]);
    expect(parsed.keys).toBeUndefined();
  });

  it.each(['16', '99', '100'])('entry %s: Invalid authnum', (index) => {
    const parsed = parse(`auth 1\n1 sha1 k\n${index} sha1 other\n`);
    expectOneError(parsed, 3, `Invalid authnum [${index}]`);
  });

  it.each(['sha256', 'SHA1', 'Md5', 'CRC', 'hmac'])('method %s: Invalid authtype', (method) => {
    const parsed = parse(`auth 1\n1 sha1 k\n2 ${method} other\n`);
    expectOneError(parsed, 3, `Invalid authtype [${method}]`);
  });

  it.each(['sha1', 'md5'])('%s without a key: Auth method requires a key', (method) => {
    const parsed = parse(`auth 1\n1 ${method}\n`);
    expect(parsed.keys).toBeUndefined();
    const own = parsed.errors.filter((e) => e.line === 2);
    expect(own).toHaveLength(1);
    expect(own[0]?.message).toContain(`Auth method [${method}] requires a key`);
  });

  it.each(['x sha1 k', 'one sha1 k', '1', '1x sha1 k', '-1 sha1 k', '1.5 sha1 k'])(
    '%j is not an auth line nor an entry',
    (line) => {
      const parsed = parse(`auth 1\n1 sha1 k\n${line}\n`);
      expect(parsed.errors).toHaveLength(1);
      expect(parsed.errors[0]?.line).toBe(3);
      expect(parsed.errors[0]?.message).toMatch(/invalid/i);
    },
  );

  it('a crc entry given a key is dropped, as heartbeat does', () => {
    const parsed = parse('auth 1\n1 crc some-key\n');
    expect(parsed.keys).toBeUndefined();
    expect(parsed.all.some((d) => d.line === 2 && d.message.includes("doesn't use a key"))).toBe(
      true,
    );
    expect(parsed.errors.map((e) => e.message).join()).toContain('Auth Key [1] not found');
  });

  it('reports every bad line, not only the first', () => {
    const parsed = parse('auth 1\n1 sha1 k\n2 sha256 a\n17 md5 b\n3 md5\n');
    expect(parsed.errors.map((e) => e.line)).toEqual([3, 4, 5]);
  });
});

describe('file permissions', () => {
  const MESSAGE = `Bad permissions on keyfile [${FILE}], 600 recommended.`;

  it.each([0o644, 0o640, 0o604, 0o444, 0o660, 0o606, 0o777, 0o755])(
    'refuses mode %o (readable by group or others)',
    (mode) => {
      const parsed = parse('auth 1\n1 sha1 k\n', mode);
      expect(parsed.errors).toHaveLength(1);
      expect(parsed.errors[0]?.message).toBe(MESSAGE);
      expect(parsed.errors[0]?.line).toBeUndefined();
      expect(formatDiagnostic(parsed.errors[0] as Diagnostic).split('\n')[0]).toBe(
        `${FILE}: ${MESSAGE}`,
      );
    },
  );

  it.each([0o600, 0o400, 0o700, 0o620, 0o602, 0o622, 0o200])(
    'accepts mode %o (write and execute bits are not checked)',
    (mode) => {
      expect(parse('auth 1\n1 sha1 k\n', mode).errors).toEqual([]);
    },
  );

  it('still reports the other errors of a badly protected file', () => {
    const parsed = parse('auth 1\n1 sha256 k\n', 0o644);
    expect(parsed.errors.map((e) => e.message).join('\n')).toContain('Bad permissions');
    expect(parsed.errors.map((e) => e.message).join('\n')).toContain('Invalid authtype');
  });
});

describe('key text never reaches a diagnostic', () => {
  const KEY = 'Zq9-very-secret-K3y';
  const inputs: [string, string][] = [
    ['valid sha1', `auth 1\n1 sha1 ${KEY}\n`],
    ['valid md5', `auth 1\n1 md5 ${KEY}\n`],
    ['bad permissions', `auth 1\n1 sha1 ${KEY}\n`],
    ['extra words after the key', `auth 1\n1 sha1 ${KEY} ${KEY}-2 ${KEY}-3\n`],
    ['key split by a blank', `auth 1\n1 sha1 first ${KEY}\n`],
    ['crc with a key', `auth 1\n1 crc ${KEY}\n`],
    ['index too large', `auth 1\n1 sha1 k\n16 sha1 ${KEY}\n`],
    ['index far too large', `auth 1\n1 sha1 k\n999 md5 ${KEY}\n`],
    ['unknown method', `auth 1\n1 sha256 ${KEY}\n`],
    ['method in capitals', `auth 1\n1 SHA1 ${KEY}\n`],
    ['non-numeric index', `auth 1\nx sha1 ${KEY}\n`],
    ['negative index', `auth 1\n-1 sha1 ${KEY}\n`],
    ['index glued to junk', `auth 1\n1x sha1 ${KEY}\n`],
    ['duplicate entry', `auth 1\n1 sha1 a\n1 sha1 ${KEY}\n`],
    ['duplicate entry, key first', `auth 1\n1 sha1 ${KEY}\n1 md5 other\n`],
    ['missing auth line', `1 sha1 ${KEY}\n`],
    ['auth names another entry', `auth 2\n1 sha1 ${KEY}\n`],
    ['auth after the entry', `1 sha1 ${KEY}\nauth 1\n`],
    ['auth line given twice', `auth 1\nauth 1\n1 sha1 ${KEY}\n`],
    ['key on the auth line', `auth 1 sha1 ${KEY}\n1 sha1 k\n`],
    ['key on the auth line, no entry', `auth 1 ${KEY}\n`],
    ['key after a comment mark', `auth 1\n1 sha1 ab#${KEY}\n`],
    ['tabs and CRLF', `auth\t1\r\n1\tsha1\t${KEY}\t${KEY}\r\n`],
    ['key indented on its own line', `auth 1\n1 sha1\n   ${KEY}\n`],
    ['leading blanks', `   auth 1\n   1 md5 ${KEY}  \n`],
  ];

  it.each(inputs)('%s', (name, text) => {
    const mode = name === 'bad permissions' ? 0o644 : 0o600;
    const parsed = parse(text, mode);
    for (const d of parsed.all) {
      expect(d.message).not.toContain(KEY);
      expect(d.hint ?? '').not.toContain(KEY);
      expect(formatDiagnostic(d)).not.toContain(KEY);
    }
  });

  it('the inputs above do produce diagnostics (the test is not vacuous)', () => {
    const withDiagnostics = inputs.filter(([name, text]) => {
      const parsed = parse(text, name === 'bad permissions' ? 0o644 : 0o600);
      return parsed.all.length > 0;
    });
    // The two valid files, the # key and the leading-blanks one are clean; allow two more.
    expect(withDiagnostics.length).toBeGreaterThanOrEqual(inputs.length - 6);
  });
});
