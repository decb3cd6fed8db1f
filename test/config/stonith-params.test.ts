// The parameter file of `stonith TYPE FILE`: its two forms, its FILE:LINE errors and warnings.
import { describe, expect, it } from 'vitest';
import { Diagnostics, formatDiagnostic } from '../../src/config/diagnostics.js';
import { parseStonithParams } from '../../src/config/stonith-params.js';

const FILE = '/etc/ha.d/fence.conf';

function parse(text: string, mode = 0o600) {
  const diag = new Diagnostics();
  const params = parseStonithParams(text, FILE, mode, diag);
  return { params, messages: diag.all.map(formatDiagnostic) };
}

describe('parseStonithParams', () => {
  it('reads NAME = VALUE lines with their line numbers, values decoded as ini does', () => {
    const { params, messages } = parse('; comment\nhostlist=beta gamma\n\nnote = "a;b # c"\n');
    expect(messages).toEqual([]);
    expect(params).toEqual({
      form: 'ini',
      params: new Map([
        ['hostlist', { value: 'beta gamma', line: 2 }],
        ['note', { value: 'a;b # c', line: 4 }],
      ]),
      lastLine: 4,
    });
  });

  it("takes a first line that starts with a value as heartbeat's one-line form", () => {
    expect(parse('# old style\n\n/r beta  a  spaced note\n').params).toEqual({
      form: 'positional',
      text: '/r beta  a  spaced note',
      line: 3,
    });
  });

  it('rejects sections and lines that are not NAME = VALUE', () => {
    const { params, messages } = parse('record = /r\n[device]\nhostlist\n2x = y\n');
    expect(params).toBeUndefined();
    expect(messages).toEqual([
      `${FILE}:2: sections are not used in a STONITH parameter file\n    hint: remove it`,
      `${FILE}:3: expected NAME = VALUE, got [hostlist]`,
      `${FILE}:4: [2x] is not a parameter name\n    hint: letters, digits and _ only`,
    ]);
  });

  it('warns about a value cut by a comment and a name set twice, the later value counting', () => {
    const { params, messages } = parse('passwd = se#cret\npasswd = other\n');
    expect(messages).toEqual([
      `${FILE}:1: warning: the value of passwd stops at the first ';' or '#', which starts a comment\n` +
        '    hint: put the value in double quotes if those characters belong to it',
      `${FILE}:2: warning: passwd is set again; this later value counts`,
    ]);
    expect(params?.form === 'ini' && params.params.get('passwd')).toEqual({
      value: 'other',
      line: 2,
    });
  });

  it('refuses a file without parameters', () => {
    const { params, messages } = parse('# nothing\n\n');
    expect(params).toBeUndefined();
    expect(messages).toEqual([
      `${FILE}:1: no parameters in this file\n    hint: write NAME = VALUE lines`,
    ]);
  });

  it('warns when group or others can read the file', () => {
    const { params, messages } = parse('hostlist = beta\n', 0o640);
    expect(params).toBeDefined();
    expect(messages).toEqual([
      `${FILE}: warning: [${FILE}] can be read by group or others (mode 640), and it may hold ` +
        `device passwords\n    hint: chmod 600 ${FILE}`,
    ]);
  });
});
