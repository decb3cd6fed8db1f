// haresources: groups per logical line, home nodes, unique keys, Script::args and IPaddr forms.
import { describe, expect, it } from 'vitest';
import { Diagnostics, type Diagnostic } from '../../src/config/diagnostics.js';
import { parseHaresources, type ResourceGroup } from '../../src/config/haresources.js';
import { parseResourceSpec, resourceKey } from '../../src/config/resource-spec.js';

const FILE = '/etc/ha.d/haresources';
const NODES = ['alpha', 'beta'];

interface Parsed {
  groups: ResourceGroup[];
  errors: Diagnostic[];
  all: Diagnostic[];
}

function parse(text: string, nodes: readonly string[] = NODES): Parsed {
  const diag = new Diagnostics();
  const groups = parseHaresources(text, FILE, nodes, diag);
  return { groups, errors: diag.errors, all: diag.all };
}

function expectOneError(parsed: Parsed, line: number, fragment: string): void {
  expect(parsed.errors, JSON.stringify(parsed.errors)).toHaveLength(1);
  expect(parsed.errors[0]?.line).toBe(line);
  expect(parsed.errors[0]?.file).toBe(FILE);
  expect(parsed.errors[0]?.message).toContain(fragment);
}

describe('layout', () => {
  it('reads one group per line, resources in order', () => {
    const parsed = parse('alpha 192.0.2.10 httpd\nbeta IPaddr::192.0.2.11/24/eth0 mysql\n');
    expect(parsed.all).toEqual([]);
    expect(parsed.groups).toEqual([
      {
        home: 'alpha',
        name: '192.0.2.10',
        at: { file: FILE, line: 1 },
        resources: [
          { text: '192.0.2.10', script: 'IPaddr', args: ['192.0.2.10'] },
          { text: 'httpd', script: 'httpd', args: [] },
        ],
      },
      {
        home: 'beta',
        name: 'IPaddr::192.0.2.11/24/eth0',
        at: { file: FILE, line: 2 },
        resources: [
          { text: 'IPaddr::192.0.2.11/24/eth0', script: 'IPaddr', args: ['192.0.2.11/24/eth0'] },
          { text: 'mysql', script: 'mysql', args: [] },
        ],
      },
    ]);
  });

  it('skips comments (whole-line and trailing) and blank lines', () => {
    const parsed = parse('# groups\n\n   # indented\nalpha 192.0.2.10 # the VIP\n\t\n');
    expect(parsed.all).toEqual([]);
    expect(parsed.groups).toHaveLength(1);
    expect(parsed.groups[0]?.resources.map((r) => r.text)).toEqual(['192.0.2.10']);
    expect(parsed.groups[0]?.at.line).toBe(4);
  });

  it('accepts any blanks and tabs between and around words', () => {
    const parsed = parse('  \talpha\t\t192.0.2.10    httpd \t \n');
    expect(parsed.all).toEqual([]);
    expect(parsed.groups[0]?.resources.map((r) => r.script)).toEqual(['IPaddr', 'httpd']);
  });

  it('joins backslash continuations into one group numbered by its first line', () => {
    const parsed = parse(
      '# c\nalpha   IPaddr::203.0.113.10/24/eth0 \\\n        IPaddr::198.51.100.1/24/eth1 \\\n        haproxy\nbeta 192.0.2.20\n',
    );
    expect(parsed.all).toEqual([]);
    expect(parsed.groups.map((g) => [g.home, g.at.line, g.resources.length])).toEqual([
      ['alpha', 2, 3],
      ['beta', 5, 1],
    ]);
  });

  it('accepts CRLF line endings, also around a continuation', () => {
    const parsed = parse('alpha 192.0.2.10 \\\r\n  httpd\r\nbeta 192.0.2.11\r\n');
    expect(parsed.all).toEqual([]);
    expect(parsed.groups.map((g) => g.resources.length)).toEqual([2, 1]);
  });

  it('accepts an empty file', () => {
    const parsed = parse('# nothing yet\n');
    expect(parsed.all).toEqual([]);
    expect(parsed.groups).toEqual([]);
  });
});

describe('home node', () => {
  it('is lower-cased and matched against the ha.cf nodes', () => {
    const parsed = parse('ALPHA 192.0.2.10\nBeTa 192.0.2.11\n');
    expect(parsed.all).toEqual([]);
    expect(parsed.groups.map((g) => g.home)).toEqual(['alpha', 'beta']);
  });

  it('must be a configured node; every bad line is reported', () => {
    const parsed = parse('gamma 192.0.2.10\nalpha 192.0.2.11\ndelta 192.0.2.12\n');
    expect(parsed.errors.map((e) => e.line)).toEqual([1, 3]);
    expect(parsed.errors[0]?.message).toContain('Bad nodename');
    expect(parsed.errors[0]?.message).toContain('gamma');
    expect(parsed.groups.map((g) => g.home)).toEqual(['alpha']);
  });

  it('a line that starts with a resource instead of a node is a bad node name', () => {
    expectOneError(parse('192.0.2.10 httpd\n'), 1, 'Bad nodename');
  });

  it('is refused when ha.cf lists no nodes', () => {
    expectOneError(parse('alpha 192.0.2.10\n', []), 1, 'Bad nodename');
  });

  it('must be followed by at least one resource', () => {
    expectOneError(parse('alpha\n'), 1, 'alpha');
  });

  it('uses the names the Debian sample uses when ha.cf lists them', () => {
    const parsed = parse('just.linux-ha.org 135.9.216.110\n', ['just.linux-ha.org', 'node1']);
    expect(parsed.all).toEqual([]);
    expect(parsed.groups[0]?.home).toBe('just.linux-ha.org');
  });
});

describe('group keys', () => {
  it('the first resource names the group and must be unique', () => {
    const parsed = parse(
      'alpha Filesystem::/dev/sda1::/data httpd\n\nbeta Filesystem::/dev/sda1::/data mysql\n',
    );
    expectOneError(parsed, 3, 'Filesystem::/dev/sda1::/data');
    expect(parsed.errors[0]?.message).toContain('line 1');
    expect(parsed.groups).toHaveLength(1);
  });

  it('a bare address and IPaddr::address are the same key', () => {
    expect(resourceKey({ text: '192.0.2.10', script: 'IPaddr', args: ['192.0.2.10'] })).toBe(
      resourceKey({ text: 'IPaddr::192.0.2.10', script: 'IPaddr', args: ['192.0.2.10'] }),
    );
    const parsed = parse('alpha 192.0.2.10\nbeta IPaddr::192.0.2.10\n');
    expect(parsed.errors.length).toBeGreaterThan(0);
    expect(parsed.errors.every((e) => e.line === 2)).toBe(true);
    expect(parsed.groups).toHaveLength(1);
  });

  it('two script groups with the same first resource collide too', () => {
    expectOneError(parse('alpha httpd\nbeta httpd\n'), 2, 'httpd');
  });

  it('only the first resource is a key: later resources may repeat', () => {
    const parsed = parse('alpha 192.0.2.10 httpd\nbeta 192.0.2.11 httpd\n');
    expect(parsed.all).toEqual([]);
    expect(parsed.groups.map((g) => g.name)).toEqual(['192.0.2.10', '192.0.2.11']);
  });

  it('different arguments make different keys', () => {
    const parsed = parse('alpha Filesystem::/dev/sda1::/a\nbeta Filesystem::/dev/sdb1::/b\n');
    expect(parsed.all).toEqual([]);
    expect(parsed.groups).toHaveLength(2);
  });
});

describe('resource entries', () => {
  it('Script::a::b passes a and b as arguments', () => {
    expect(parseResourceSpec('Filesystem::/dev/sda1::/data1::ext2')).toEqual({
      text: 'Filesystem::/dev/sda1::/data1::ext2',
      script: 'Filesystem',
      args: ['/dev/sda1', '/data1', 'ext2'],
    });
    expect(parseResourceSpec('httpd')).toEqual({ text: 'httpd', script: 'httpd', args: [] });
    expect(parseResourceSpec('MailTo::root@example.com::Web')).toEqual({
      text: 'MailTo::root@example.com::Web',
      script: 'MailTo',
      args: ['root@example.com', 'Web'],
    });
  });

  it.each([
    '192.0.2.10',
    '192.0.2.10/24',
    '192.0.2.10/24/eth0',
    '192.0.2.10/24/192.0.2.255',
    '135.9.216.3/28/eth0/135.9.216.12',
  ])('a bare address %s means IPaddr::%s', (text) => {
    expect(parseResourceSpec(text)).toEqual({ text, script: 'IPaddr', args: [text] });
  });

  it('IPaddr2 takes the same argument', () => {
    expect(parseResourceSpec('IPaddr2::192.0.2.10/24/eth0:1')).toEqual({
      text: 'IPaddr2::192.0.2.10/24/eth0:1',
      script: 'IPaddr2',
      args: ['192.0.2.10/24/eth0:1'],
    });
  });

  it.each([
    ['192.0.2.300', '192.0.2.300'],
    ['192.0.2.10/33', 'netmask'],
    ['192.0.2.10/0', 'netmask'],
    ['192.0.2.10/24/eth0/192.0.2.999', 'broadcast'],
    ['192.0.2.10/24/192.0.2.256', 'broadcast'],
    ['IPaddr::999.0.2.10', '999.0.2.10'],
    ['IPaddr::192.0.2.10/40', 'netmask'],
    ['IPaddr::192.0.2.10/24/eth0/bad', 'bad'],
    ['IPaddr2::host.example', 'host.example'],
    ['IPaddr', 'needs an address'],
    ['IPaddr::192.0.2.10::eth0', 'one argument'],
    ['224.0.0.5', 'service address'],
    ['127.0.0.1', 'service address'],
  ])('rejects the IPaddr entry %s', (text, fragment) => {
    const parsed = parse(`alpha ${text}\n`);
    expectOneError(parsed, 1, fragment);
    expect(parsed.groups).toEqual([]);
  });

  it.each(['::foo', '../bin/sh', '/etc/init.d/httpd', 'httpd::', 'Filesystem::/dev/sda1::::/x'])(
    'rejects the entry %s',
    (text) => {
      const parsed = parse(`alpha 192.0.2.10 ${text}\n`);
      expectOneError(parsed, 1, text);
      expect(parsed.groups).toEqual([]);
    },
  );

  it('reports each bad entry of a line', () => {
    const parsed = parse('alpha 192.0.2.300 httpd 192.0.2.10/99\n');
    expect(parsed.errors.map((e) => e.line)).toEqual([1, 1]);
  });

  it('reports the same service address in two groups', () => {
    const parsed = parse('alpha 192.0.2.10/24/eth0 httpd\nbeta mysql IPaddr2::192.0.2.10/24\n');
    expectOneError(parsed, 2, '192.0.2.10');
  });
});
