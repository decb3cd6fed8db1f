// ha.cf: each implemented directive, heartbeat defaults and start-up checks, ignored/unknown names.
import { describe, expect, it } from 'vitest';
import { Diagnostics, type Diagnostic } from '../../src/config/diagnostics.js';
import { IGNORED_DIRECTIVES } from '../../src/config/hacf/ignored.js';
import { KNOWN_DIRECTIVES, parseHaCf } from '../../src/config/hacf/parse.js';
import type { HaCf } from '../../src/config/hacf/types.js';
import { closest } from '../../src/config/suggest.js';

const FILE = '/etc/ha.d/ha.cf';
/** Four valid lines; whatever a test appends starts at line 5. */
const BASE = 'node alpha beta\nbcast eth1\nauto_failback on\nlogfile /var/log/ha-log\n';

interface Parsed {
  cf: HaCf;
  all: Diagnostic[];
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

function parse(text: string): Parsed {
  const diag = new Diagnostics();
  const cf = parseHaCf(text, FILE, diag);
  return { cf, all: diag.all, errors: diag.errors, warnings: diag.warnings };
}

/** BASE plus the given lines (the first of them is line 5). */
function withBase(...lines: string[]): Parsed {
  return parse(BASE + lines.map((l) => `${l}\n`).join(''));
}

function onLine(list: Diagnostic[], line: number): Diagnostic[] {
  return list.filter((d) => d.line === line);
}

/** The one error of a parse, which must sit on `line` and mention `fragment`. */
function expectOneError(parsed: Parsed, line: number, fragment: string): Diagnostic {
  expect(parsed.errors, JSON.stringify(parsed.errors)).toHaveLength(1);
  const [error] = parsed.errors;
  expect(error?.line).toBe(line);
  expect(error?.file).toBe(FILE);
  expect(error?.message).toContain(fragment);
  return error as Diagnostic;
}

describe('a minimal ha.cf and heartbeat defaults', () => {
  it('parses without errors or warnings', () => {
    const { all } = parse(BASE);
    expect(all).toEqual([]);
  });

  it('applies heartbeat 3.0.6 defaults', () => {
    const { cf } = parse(BASE);
    expect(cf.nodes).toEqual(['alpha', 'beta']);
    expect(cf.keepaliveMs).toBe(1000);
    expect(cf.deadtimeMs).toBe(30_000);
    expect(cf.warntimeMs).toBe(15_000);
    expect(cf.initdeadMs).toBe(30_000);
    expect(cf.deadpingMs).toBe(30_000);
    expect(cf.udpport).toBe(694);
    expect(cf.hopfudge).toBe(1);
    expect(cf.msgfmt).toBe('classic');
    expect(cf.media).toEqual([
      { kind: 'bcast', iface: 'eth1', port: 694, at: { file: FILE, line: 2 } },
    ]);
  });

  it('derives warntime as deadtime/2 in whole milliseconds', () => {
    expect(withBase('deadtime 7').cf.warntimeMs).toBe(3500);
    expect(withBase('deadtime 3001ms').cf.warntimeMs).toBe(1500);
    expect(withBase('deadtime 10').cf.warntimeMs).toBe(5000);
  });

  it.each([
    ['30', 30_000],
    ['11', 11_000],
    ['10001ms', 10_001],
    ['10', 20_000],
    ['8', 16_000],
    ['6', 12_000],
    ['5999ms', 12_000],
    ['5', 12_000],
    ['2.5', 12_000],
  ])('derives initdead from deadtime %s as %d ms, without warnings', (deadtime, initdead) => {
    const parsed = withBase(`deadtime ${deadtime}`);
    expect(parsed.all).toEqual([]);
    expect(parsed.cf.initdeadMs).toBe(initdead);
  });

  it('derives deadping from deadtime', () => {
    expect(withBase('deadtime 12').cf.deadpingMs).toBe(12_000);
    expect(withBase('deadtime 12', 'deadping 20').cf.deadpingMs).toBe(20_000);
  });

  it("defaults auto_failback to legacy, with heartbeat's deprecation warning", () => {
    const parsed = parse('node alpha beta\nbcast eth1\nlogfile /var/log/ha-log\n');
    expect(parsed.cf.autoFailback).toBe('legacy');
    expect(parsed.errors).toEqual([]);
    const legacy = parsed.warnings.filter((w) =>
      w.message.includes("Deprecated 'legacy' auto_failback option selected"),
    );
    expect(legacy).toHaveLength(1);
    // No line says it: the end of the file, where an auto_failback line would go.
    expect(legacy[0]?.line).toBe(3);
  });

  it('warns about an explicit auto_failback legacy at its line', () => {
    const parsed = parse(
      'node alpha beta\nbcast eth1\nlogfile /var/log/ha-log\nauto_failback legacy\n',
    );
    expect(parsed.cf.autoFailback).toBe('legacy');
    expect(parsed.errors).toEqual([]);
    expect(
      onLine(parsed.warnings, 4)
        .map((w) => w.message)
        .join(),
    ).toContain("Deprecated 'legacy' auto_failback");
  });

  it('logs to syslog facility daemon, with a warning, when no logging is configured', () => {
    const parsed = parse('node alpha beta\nbcast eth1\nauto_failback on\n');
    expect(parsed.errors).toEqual([]);
    expect(parsed.cf.log.facility).toBe('daemon');
    expect(parsed.warnings.map((w) => w.message).join()).toContain('No log entry found');
  });
});

describe('timing directives and checks', () => {
  it('reads keepalive, deadtime, warntime, initdead and deadping', () => {
    const { cf, all } = withBase(
      'keepalive 500ms',
      'deadtime 5',
      'warntime 2',
      'initdead 60',
      'deadping 7',
    );
    expect(all).toEqual([]);
    expect([cf.keepaliveMs, cf.deadtimeMs, cf.warntimeMs, cf.initdeadMs, cf.deadpingMs]).toEqual([
      500, 5000, 2000, 60_000, 7000,
    ]);
  });

  it('requires deadtime to exceed 2 x keepalive, reported at the deadtime line', () => {
    expectOneError(withBase('keepalive 2', 'deadtime 4'), 6, 'must exceed 2 x keepalive');
    expect(withBase('keepalive 2', 'deadtime 4001ms').errors).toEqual([]);
    expectOneError(withBase('deadtime 2'), 5, 'must exceed 2 x keepalive');
  });

  it('reports a keepalive too large for the default deadtime at the keepalive line', () => {
    expectOneError(withBase('keepalive 15'), 5, 'must exceed 2 x keepalive');
    expect(withBase('keepalive 14.999').errors).toEqual([]);
  });

  it('requires initdead >= deadtime', () => {
    const error = expectOneError(withBase('deadtime 20', 'initdead 19'), 6, 'Initial dead time');
    expect(error.message).toContain('smaller than deadtime');
    expect(withBase('deadtime 20', 'initdead 20').all).toEqual([]);
  });

  it('warns when initdead is below 10 s, even though it is >= deadtime', () => {
    const parsed = withBase('deadtime 5', 'initdead 8');
    expect(parsed.errors).toEqual([]);
    expect(parsed.warnings).toHaveLength(1);
    expect(parsed.warnings[0]?.line).toBe(6);
    expect(parsed.warnings[0]?.message).toContain('may be too small');
    expect(withBase('deadtime 5', 'initdead 10').all).toEqual([]);
  });

  it('requires warntime < deadtime', () => {
    expectOneError(withBase('deadtime 10', 'warntime 10'), 6, 'warntime');
    expectOneError(withBase('warntime 31'), 5, 'warntime');
    expect(withBase('deadtime 10', 'warntime 9999ms').errors).toEqual([]);
  });

  it('warns when warntime is not above keepalive: every heartbeat would be late', () => {
    const raised = withBase('deadtime 10', 'warntime 3', 'keepalive 3');
    expect(raised.errors).toEqual([]);
    expect(raised.warnings.map((w) => [w.line, w.message])).toEqual([
      [6, 'warntime 3s is not above keepalive (3s): every heartbeat will be logged as late'],
    ]);
    // keepalive left to its default, 1 s.
    expect(withBase('warntime 1').warnings.map((w) => [w.line, w.message])).toEqual([
      [
        5,
        'warntime 1s is not above keepalive (1s (default)): every heartbeat will be logged as late',
      ],
    ]);
    expect(withBase('deadtime 10', 'warntime 3001ms', 'keepalive 3').all).toEqual([]);
  });

  it.each(['keepalive', 'deadtime', 'warntime'])('refuses %s 0', (name) => {
    const parsed = withBase(`${name} 0`);
    expect(onLine(parsed.errors, 5)).toHaveLength(1);
  });

  it('checks deadping against keepalive when there are ping nodes', () => {
    expectOneError(withBase('ping 192.0.2.254', 'deadping 2'), 6, 'deadping');
    expect(withBase('ping 192.0.2.254', 'deadping 3').errors).toEqual([]);
    expect(withBase('deadping 2').errors).toEqual([]);
  });

  it('warns when a single-valued setting is given twice, and the last wins', () => {
    const parsed = withBase('keepalive 2', 'keepalive 3');
    expect(parsed.errors).toEqual([]);
    expect(parsed.cf.keepaliveMs).toBe(3000);
    expect(onLine(parsed.warnings, 6)).toHaveLength(1);
  });
});

describe('node', () => {
  it('lower-cases names, splits on blanks and commas and accumulates lines', () => {
    const parsed = parse('node Alpha\nnode BETA\nbcast eth1\nauto_failback on\nlogfile /l\n');
    expect(parsed.all).toEqual([]);
    expect(parsed.cf.nodes).toEqual(['alpha', 'beta']);
    expect(parse('node alpha,beta\nbcast eth1\nauto_failback on\nlogfile /l\n').cf.nodes).toEqual([
      'alpha',
      'beta',
    ]);
  });

  it('accepts fully qualified names', () => {
    const parsed = parse(
      'node a.example.com b-2.example.com\nbcast eth1\nauto_failback on\nlogfile /l\n',
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.cf.nodes).toEqual(['a.example.com', 'b-2.example.com']);
  });

  it('reports "no nodes defined" at the end of the file', () => {
    const parsed = parse('bcast eth1\nauto_failback on\nlogfile /l\n');
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]?.message).toContain('no nodes defined');
    expect(parsed.errors[0]?.line).toBe(3);
  });

  it('refuses node with no name and a name that is no host name', () => {
    expectOneError(withBase('node'), 5, 'node');
    expectOneError(withBase('node bad/name'), 5, 'bad/name');
  });

  it('warns about a node listed twice and keeps one', () => {
    const parsed = withBase('node ALPHA');
    expect(parsed.errors).toEqual([]);
    expect(parsed.cf.nodes).toEqual(['alpha', 'beta']);
    expect(onLine(parsed.warnings, 5)).toHaveLength(1);
  });
});

describe('media', () => {
  it('bcast makes one medium per interface, separated by blanks or commas', () => {
    const parsed = parse('node alpha beta\nbcast eth0 eth1,eth2\nauto_failback on\nlogfile /l\n');
    expect(parsed.all).toEqual([]);
    expect(parsed.cf.media.map((m) => [m.kind, m.iface, m.port])).toEqual([
      ['bcast', 'eth0', 694],
      ['bcast', 'eth1', 694],
      ['bcast', 'eth2', 694],
    ]);
  });

  it("udp is bcast under its old name, with heartbeat's warning", () => {
    const parsed = parse('node alpha beta\nudp eth3\nauto_failback on\nlogfile /l\n');
    expect(parsed.errors).toEqual([]);
    expect(parsed.cf.media).toEqual([
      { kind: 'bcast', iface: 'eth3', port: 694, at: { file: FILE, line: 2 } },
    ]);
    expect(parsed.warnings).toHaveLength(1);
    expect(parsed.warnings[0]?.line).toBe(2);
    expect(parsed.warnings[0]?.message).toContain("directive 'udp' replaced by 'bcast'");
  });

  it('mcast reads device, group, port, ttl and loop', () => {
    const parsed = withBase('mcast eth0 239.0.0.43 1694 3 1');
    expect(parsed.all).toEqual([]);
    expect(parsed.cf.media[1]).toEqual({
      kind: 'mcast',
      iface: 'eth0',
      group: '239.0.0.43',
      port: 1694,
      ttl: 3,
      loop: true,
      at: { file: FILE, line: 5 },
    });
  });

  it.each([
    ['224.0.0.0 694 1 0', true],
    ['239.255.255.255 694 1 0', true],
    ['223.255.255.255 694 1 0', false],
    ['240.0.0.0 694 1 0', false],
    ['10.0.0.1 694 1 0', false],
    ['239.1 694 1 0', false],
    ['239.0.0.1 1 1 0', true],
    ['239.0.0.1 65535 1 0', true],
    ['239.0.0.1 0 1 0', false],
    ['239.0.0.1 65536 1 0', false],
    ['239.0.0.1 port 1 0', false],
    ['239.0.0.1 694 1 0', true],
    ['239.0.0.1 694 255 0', true],
    ['239.0.0.1 694 0 0', false],
    ['239.0.0.1 694 256 0', false],
    ['239.0.0.1 694 1 1', true],
    ['239.0.0.1 694 1 2', false],
    ['239.0.0.1 694 1 on', false],
    ['239.0.0.1 694 1', false],
    ['239.0.0.1', false],
  ])('mcast eth0 %s: accepted %s', (rest, ok) => {
    const parsed = withBase(`mcast eth0 ${rest}`);
    if (ok) {
      expect(parsed.errors).toEqual([]);
      expect(parsed.cf.media).toHaveLength(2);
    } else {
      expect(parsed.errors.length).toBeGreaterThan(0);
      expect(parsed.errors.every((e) => e.line === 5)).toBe(true);
      expect(parsed.cf.media).toHaveLength(1);
    }
  });

  it('mcast uses its own port, not udpport', () => {
    const parsed = withBase('udpport 700', 'mcast eth0 239.0.0.1 800 1 0');
    expect(parsed.errors).toEqual([]);
    expect(parsed.cf.media.find((m) => m.kind === 'mcast')?.port).toBe(800);
  });

  it('mcast with nothing after it is an error (it crashes heartbeat)', () => {
    expectOneError(withBase('mcast'), 5, 'mcast');
  });

  it('ucast reads a device and an IPv4 peer', () => {
    const parsed = withBase('ucast eth0 192.0.2.12');
    expect(parsed.all).toEqual([]);
    expect(parsed.cf.media[1]).toEqual({
      kind: 'ucast',
      iface: 'eth0',
      peer: '192.0.2.12',
      port: 694,
      at: { file: FILE, line: 5 },
    });
  });

  it.each([
    'peer.example.com',
    '192.0.2',
    '192.0.2.256',
    '224.0.0.1',
    '0.0.0.0',
    '255.255.255.255',
  ])('ucast refuses the peer %s', (peer) => {
    const parsed = withBase(`ucast eth0 ${peer}`);
    expectOneError(parsed, 5, peer);
    expect(parsed.cf.media).toHaveLength(1);
  });

  it('ucast without a peer, and alone, is an error', () => {
    expectOneError(withBase('ucast eth0'), 5, 'ucast');
    expectOneError(withBase('ucast'), 5, 'ucast');
  });

  it('reports "No heartbeat media defined" at the end of the file', () => {
    const parsed = parse('node alpha beta\nauto_failback on\nlogfile /l\n');
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]?.message).toContain('No heartbeat media defined');
    expect(parsed.errors[0]?.line).toBe(3);
  });

  it('rejects an interface name with a slash or blank-free junk', () => {
    expectOneError(withBase('bcast eth0/1'), 5, 'eth0/1');
    expectOneError(withBase('bcast'), 5, 'bcast');
  });
});

describe('udpport', () => {
  it('sets the port of bcast and ucast media that follow it', () => {
    const parsed = parse(
      'node alpha beta\nudpport 1001\nbcast eth1\nucast eth0 192.0.2.3\nauto_failback on\nlogfile /l\n',
    );
    expect(parsed.all).toEqual([]);
    expect(parsed.cf.udpport).toBe(1001);
    expect(parsed.cf.media.map((m) => m.port)).toEqual([1001, 1001]);
  });

  it.each([
    ['1', true],
    ['65535', true],
    ['0', false],
    ['65536', false],
    ['-5', false],
    ['69x', false],
    ['ha-cluster', false],
  ])('udpport %s: accepted %s', (value, ok) => {
    const parsed = parse(`udpport ${value}\n${BASE}`);
    if (ok) {
      expect(parsed.errors).toEqual([]);
      expect(parsed.cf.udpport).toBe(Number(value));
    } else {
      expectOneError(parsed, 1, 'udpport');
      expect(parsed.cf.udpport).toBe(694);
    }
  });

  it('after a bcast line keeps the port bcast already took, and warns', () => {
    const parsed = parse(
      'node alpha beta\nbcast eth0\nudpport 700\nbcast eth1\nucast eth2 192.0.2.3\nauto_failback on\nlogfile /l\n',
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.cf.media.map((m) => [m.iface, m.port])).toEqual([
      ['eth0', 694],
      ['eth1', 694],
      ['eth2', 700],
    ]);
    const warnings = onLine(parsed.warnings, 3);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain('694');
  });

  it('after a ucast line keeps the port ucast took, and warns', () => {
    const parsed = parse(
      'node alpha beta\nucast eth0 192.0.2.3\nudpport 700\nucast eth0 192.0.2.4\nauto_failback on\nlogfile /l\n',
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.cf.media.map((m) => m.port)).toEqual([694, 694]);
    expect(onLine(parsed.warnings, 3)).toHaveLength(1);
  });

  it('after only an mcast line does not warn', () => {
    const parsed = parse(
      'node alpha beta\nmcast eth0 239.0.0.1 694 1 0\nudpport 700\nauto_failback on\nlogfile /l\n',
    );
    expect(parsed.all).toEqual([]);
    expect(parsed.cf.udpport).toBe(700);
  });
});

describe('auto_failback and nice_failback', () => {
  it.each([
    ['on', 'on'],
    ['off', 'off'],
    ['legacy', 'legacy'],
    ['LEGACY', 'legacy'],
    ['Yes', 'on'],
    ['n', 'off'],
    ['TRUE', 'on'],
    ['0', 'off'],
  ])('auto_failback %s is %s', (value, expected) => {
    const parsed = parse(`node alpha beta\nbcast eth1\nlogfile /l\nauto_failback ${value}\n`);
    expect(parsed.errors).toEqual([]);
    expect(parsed.cf.autoFailback).toBe(expected);
  });

  it('refuses anything else at its line', () => {
    expectOneError(withBase('auto_failback sometimes'), 5, 'sometimes');
  });

  it('nice_failback is accepted as obsolete, with a warning at its line', () => {
    const parsed = parse('node alpha beta\nbcast eth1\nlogfile /l\nnice_failback off\n');
    expect(parsed.errors).toEqual([]);
    expect(
      onLine(parsed.warnings, 4)
        .map((w) => w.message)
        .join(),
    ).toContain('obsolete');
    expect(parsed.cf.autoFailback).toBe('legacy');
  });

  it('nice_failback on alone ends up legacy, as heartbeat 3.0.6 "strictly interprets" it', () => {
    const parsed = parse('node alpha beta\nbcast eth1\nlogfile /l\nnice_failback on\n');
    expect(parsed.errors).toEqual([]);
    expect(parsed.cf.autoFailback).toBe('legacy');
  });

  it('an auto_failback line wins over nice_failback, before or after it', () => {
    const before = parse(
      'node alpha beta\nbcast eth1\nlogfile /l\nauto_failback on\nnice_failback on\n',
    );
    const after = parse(
      'node alpha beta\nbcast eth1\nlogfile /l\nnice_failback off\nauto_failback on\n',
    );
    expect(before.cf.autoFailback).toBe('on');
    expect(after.cf.autoFailback).toBe('on');
    expect(onLine(before.warnings, 5)).toHaveLength(1);
    expect(onLine(after.warnings, 4)).toHaveLength(1);
  });

  it('nice_failback with a non-boolean is an error', () => {
    expectOneError(withBase('nice_failback perhaps'), 5, 'perhaps');
  });
});

describe('crm and pacemaker', () => {
  it.each(['crm', 'pacemaker'])('%s accepts only off (any boolean false spelling)', (name) => {
    for (const value of ['off', 'OFF', 'no', 'false', 'n', '0']) {
      expect(withBase(`${name} ${value}`).all).toEqual([]);
    }
  });

  it.each(['crm', 'pacemaker'])("%s refuses on and pacemaker's own words", (name) => {
    for (const value of ['on', 'yes', 'true', '1', 'respawn', 'minimal', 'manual', 'valgrind']) {
      expectOneError(withBase(`${name} ${value}`), 5, name);
    }
  });
});

describe('autojoin', () => {
  it('autojoin none is accepted with a warning that it is ignored', () => {
    const parsed = withBase('autojoin none');
    expect(parsed.errors).toEqual([]);
    expect(onLine(parsed.warnings, 5)).toHaveLength(1);
  });

  it.each(['any', 'other'])('autojoin %s conflicts with haresources mode', (value) => {
    expectOneError(withBase(`autojoin ${value}`), 5, 'autojoin');
  });
});

describe('stonith, stonith_host and respawn', () => {
  it('stonith takes a type and an absolute configuration file', () => {
    const parsed = withBase('stonith baytech /etc/ha.d/conf/stonith.baytech');
    expect(parsed.all).toEqual([]);
    expect(parsed.cf.stonith).toEqual([
      {
        kind: 'stonith',
        type: 'baytech',
        file: '/etc/ha.d/conf/stonith.baytech',
        at: { file: FILE, line: 5 },
      },
    ]);
  });

  it('stonith errors', () => {
    expectOneError(withBase('stonith'), 5, 'No Stonith type given');
    expectOneError(withBase('stonith baytech'), 5, 'baytech');
    expectOneError(withBase('stonith baytech conf/stonith'), 5, 'conf/stonith');
    expectOneError(withBase('stonith bay/tech/x /etc/x'), 5, 'Invalid Stonith type');
  });

  it('stonith_host takes a host (lower-cased) or *, a type and parameters', () => {
    const parsed = withBase(
      'stonith_host * baytech 10.0.0.3 mylogin mysecretpassword',
      'stonith_host ALPHA external/ipmi beta 192.0.2.103 admin pass lan',
    );
    expect(parsed.all).toEqual([]);
    expect(
      parsed.cf.stonith.map((s) =>
        s.kind === 'stonith_host' ? [s.from, s.type, s.params.length] : [],
      ),
    ).toEqual([
      ['*', 'baytech', 3],
      ['alpha', 'external/ipmi', 5],
    ]);
  });

  it('stonith_host errors', () => {
    expectOneError(withBase('stonith_host'), 5, 'No Stonith hostname argument given');
    expectOneError(withBase('stonith_host *'), 5, 'No Stonith type given');
    expectOneError(withBase('stonith_host gamma baytech x'), 5, 'gamma');
  });

  it('respawn takes a user and an absolute command with arguments', () => {
    const parsed = withBase('respawn hacluster /usr/local/bin/watcher -v');
    expect(parsed.all).toEqual([]);
    expect(parsed.cf.respawn).toEqual([
      {
        user: 'hacluster',
        command: ['/usr/local/bin/watcher', '-v'],
        ipfail: false,
        at: { file: FILE, line: 5 },
      },
    ]);
  });

  it('respawn marks ipfail at any path, and warns of programs that need the client API', () => {
    const ipfail = withBase('respawn hacluster /usr/lib/heartbeat/ipfail');
    expect(ipfail.cf.respawn.map((r) => r.ipfail)).toEqual([true]);
    const dopd = withBase('respawn hacluster /usr/lib/heartbeat/dopd');
    expect(dopd.all.map((d) => [d.severity, d.line, d.message])).toEqual([
      [
        'warning',
        5,
        'dopd talks to heartbeat through its client API, which this daemon does not offer: it will fail to sign on',
      ],
    ]);
  });

  it('warns of an ipfail that cannot act: auto_failback legacy, or no ping nodes', () => {
    const legacy = parse(
      'node alpha beta\nbcast eth1\nping 192.0.2.254\nrespawn hacluster /usr/lib/heartbeat/ipfail\n',
    );
    const aboutIpfail = legacy.all.filter((d) => d.message.includes('ipfail'));
    expect(aboutIpfail.map((d) => [d.line, d.message])).toEqual([
      [4, "ipfail does nothing with auto_failback legacy (heartbeat's ipfail exits at once)"],
    ]);
    const noPing = withBase('respawn hacluster /usr/libexec/heartbeat/ipfail');
    expect(noPing.all.map((d) => [d.line, d.message])).toEqual([
      [5, 'ipfail has no ping nodes to count: it will never move a group'],
    ]);
    expect(withBase('ping 192.0.2.254', 'respawn hacluster /usr/lib/heartbeat/ipfail').all).toEqual(
      [],
    );
  });

  it('respawn errors', () => {
    expectOneError(withBase('respawn hacluster'), 5, 'respawn');
    expectOneError(withBase('respawn hacluster ipfail'), 5, 'is not full pathname');
  });
});

describe('scheduling directives', () => {
  it('runs at realtime priority 50 by default, as heartbeat does', () => {
    expect(parse(BASE).cf.realtimePriority).toBe(50);
  });

  it('reads rtprio, and realtime off turns it off', () => {
    expect(withBase('rtprio 5').cf.realtimePriority).toBe(5);
    const off = withBase('realtime no');
    expect(off.all).toEqual([]);
    expect(off.cf.realtimePriority).toBeNull();
  });

  it('says an rtprio has no effect when realtime is off', () => {
    const parsed = withBase('rtprio 5', 'realtime off');
    expect(parsed.errors).toEqual([]);
    expect(parsed.warnings.map((w) => [w.line, w.message])).toEqual([
      [5, 'rtprio 5 has no effect: realtime is off'],
    ]);
  });

  it.each([
    ['realtime maybe', 'realtime "maybe" is not a boolean'],
    ['rtprio 0', 'rtprio "0" must be a realtime priority from 1 to 99'],
    ['rtprio 100', 'rtprio "100" must be a realtime priority from 1 to 99'],
    ['rtprio high', 'rtprio "high" must be a realtime priority from 1 to 99'],
  ])('%s is an error', (line, message) => {
    expectOneError(withBase(line), 5, message);
  });
});

describe('logging directives', () => {
  it('reads logfile, debugfile, logfacility, debug and syslogmsgfmt', () => {
    const parsed = parse(
      'node alpha beta\nbcast eth1\nauto_failback on\nlogfile /var/log/ha-log\ndebugfile /var/log/ha-debug\nlogfacility local7\ndebug 3\nsyslogmsgfmt on\n',
    );
    expect(parsed.all).toEqual([]);
    expect(parsed.cf.log).toEqual({
      logfile: '/var/log/ha-log',
      debugfile: '/var/log/ha-debug',
      facility: 'local7',
      syslogFormat: true,
      debugLevel: 3,
    });
  });

  it('defaults: debug 0', () => {
    expect(parse(BASE).cf.log.debugLevel).toBe(0);
  });

  it('/dev/null turns a file off', () => {
    const parsed = parse(
      'node alpha beta\nbcast eth1\nauto_failback on\nlogfacility daemon\nlogfile /dev/null\n',
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.cf.log.logfile).toBeUndefined();
  });

  it.each([
    'auth',
    'authpriv',
    'cron',
    'daemon',
    'ftp',
    'lpr',
    'mail',
    'news',
    'security',
    'syslog',
    'user',
    'uucp',
    'local0',
    'local1',
    'local2',
    'local3',
    'local4',
    'local5',
    'local6',
    'local7',
  ])('logfacility %s is a syslog facility', (facility) => {
    const parsed = withBase(`logfacility ${facility}`);
    expect(parsed.errors).toEqual([]);
    expect(parsed.cf.log.facility).toBe(facility);
  });

  it('logfacility none means no syslog', () => {
    const parsed = withBase('logfacility none');
    expect(parsed.all).toEqual([]);
    expect(parsed.cf.log.facility).toBeUndefined();
  });

  it.each(['local8', 'LOCAL0', 'Daemon', 'syslogd'])(
    'logfacility %s is not valid (names are case-sensitive)',
    (facility) => {
      expectOneError(withBase(`logfacility ${facility}`), 5, `Log facility(${facility}) not valid`);
    },
  );

  it('debug takes 0 to 255', () => {
    expect(withBase('debug 0').errors).toEqual([]);
    expect(withBase('debug 255').cf.log.debugLevel).toBe(255);
    expectOneError(withBase('debug 256'), 5, 'debug');
    expectOneError(withBase('debug -1'), 5, 'debug');
    expectOneError(withBase('debug high'), 5, 'debug');
  });

  it('logfile and debugfile need an absolute path', () => {
    expectOneError(withBase('logfile var/log/ha-log'), 5, 'var/log/ha-log');
    expectOneError(withBase('debugfile ha-debug'), 5, 'ha-debug');
  });
});

describe('hopfudge, msgfmt, ping, ping_group', () => {
  it('hopfudge takes 0 to 255', () => {
    expect(withBase('hopfudge 0').cf.hopfudge).toBe(0);
    expect(withBase('hopfudge 255').cf.hopfudge).toBe(255);
    expectOneError(withBase('hopfudge 256'), 5, 'hopfudge');
    expectOneError(withBase('hopfudge x'), 5, 'hopfudge');
  });

  it('msgfmt takes classic or netstring, case-sensitively', () => {
    expect(withBase('msgfmt netstring').cf.msgfmt).toBe('netstring');
    expect(withBase('msgfmt classic').cf.msgfmt).toBe('classic');
    expectOneError(withBase('msgfmt Netstring'), 5, 'Netstring');
    expectOneError(withBase('msgfmt xml'), 5, 'xml');
  });

  it('ping makes one ping node per address', () => {
    const parsed = withBase('ping 10.10.10.254 10.10.10.253');
    expect(parsed.all).toEqual([]);
    expect(parsed.cf.ping.map((p) => [p.name, p.hosts])).toEqual([
      ['10.10.10.254', ['10.10.10.254']],
      ['10.10.10.253', ['10.10.10.253']],
    ]);
  });

  it('ping_group makes one named node with several addresses', () => {
    const parsed = withBase('ping_group Group1 10.10.10.254 10.10.10.253');
    expect(parsed.all).toEqual([]);
    expect(parsed.cf.ping).toEqual([
      {
        name: 'group1',
        hosts: ['10.10.10.254', '10.10.10.253'],
        group: true,
        at: { file: FILE, line: 5 },
      },
    ]);
  });

  it('ping takes host names too, as written in lower case; they are resolved at start', () => {
    const parsed = withBase(
      'ping Router.Example 10.10.10.254',
      'ping_group g gw1.example 10.0.0.1',
    );
    expect(parsed.all).toEqual([]);
    expect(parsed.cf.ping.map((p) => [p.name, p.hosts])).toEqual([
      ['router.example', ['router.example']],
      ['10.10.10.254', ['10.10.10.254']],
      ['g', ['gw1.example', '10.0.0.1']],
    ]);
  });

  it('ping and ping_group errors', () => {
    expectOneError(withBase('ping'), 5, 'ping');
    expectOneError(withBase('ping 192.0.2.300'), 5, '"192.0.2.300" is neither');
    expectOneError(withBase('ping router_1'), 5, 'router_1');
    expectOneError(withBase('ping_group group1'), 5, 'ping_group');
    expectOneError(withBase('ping_group g 10.0.0.1 -gw'), 5, '-gw');
  });
});

/** Every name heartbeat 3.0.6 accepts (research notes §1), with a plausible value. */
const HEARTBEAT_DIRECTIVES: Record<string, string> = {
  cluster: 'linux-ha',
  node: 'alpha',
  hopfudge: '1',
  keepalive: '1',
  deadtime: '30',
  deadping: '30',
  initdead: '60',
  warntime: '10',
  watchdog: '/dev/watchdog',
  baud: '19200',
  udpport: '694',
  logfacility: 'local0',
  logfile: '/var/log/ha-log',
  debugfile: '/var/log/ha-debug',
  nice_failback: 'off',
  auto_failback: 'on',
  rtprio: '5',
  hbgenmethod: 'file',
  realtime: 'on',
  debug: '0',
  msgfmt: 'classic',
  use_logd: 'yes',
  conn_logd_time: '60',
  use_apphbd: 'no',
  log_badpack: 'true',
  syslogmsgfmt: 'true',
  coredumps: 'true',
  coreroot: '/var/lib/heartbeat/cores',
  crm_daemon_dir: '/usr/lib/heartbeat',
  crmd_spawns_pengine: 'yes',
  crm: 'off',
  pacemaker: 'off',
  autojoin: 'none',
  uuidfrom: 'file',
  compression: 'zlib',
  compression_threshold: '2',
  traditional_compression: 'no',
  env: 'FOO=bar',
  max_rexmit_delay: '250',
  record_config_changes: 'on',
  record_pengine_inputs: 'on',
  enable_config_writes: 'on',
  memreserve: '6500',
  quorum_server: 'qs.example',
  stonith: 'baytech /etc/ha.d/stonith.cfg',
  stonith_host: '* baytech 10.0.0.3 login password',
  apiauth: 'ipfail uid=hacluster',
  respawn: 'hacluster /usr/lib/heartbeat/ipfail',
  failfast: 'hacluster /usr/lib/heartbeat/ipfail',
  bcast: 'eth0',
  udp: 'eth0',
  mcast: 'eth0 225.0.0.1 694 1 0',
  mcast6: 'eth0 ff05::1 694 1 0',
  ucast: 'eth0 192.0.2.3',
  ucast6: 'eth0 fe80::1',
  serial: '/dev/ttyS0',
  ping: '10.10.10.254',
  ping6: 'fe80::1',
  ping_group: 'group1 10.10.10.254 10.10.10.253',
  hbaping: 'fc-card-name',
  tipc: '1',
  rds: '1',
};

describe('directive names', () => {
  it('knows every directive name heartbeat 3.0.6 accepts', () => {
    const missing = Object.keys(HEARTBEAT_DIRECTIVES).filter((n) => !KNOWN_DIRECTIVES.includes(n));
    expect(missing).toEqual([]);
  });

  it.each(Object.entries(HEARTBEAT_DIRECTIVES))(
    '%s %s is not an illegal directive',
    (name, value) => {
      const parsed = withBase(`${name} ${value}`);
      expect(parsed.errors.filter((e) => e.message.includes('Illegal directive'))).toEqual([]);
    },
  );

  it.each([...IGNORED_DIRECTIVES.keys()])('%s is ignored with exactly one warning', (name) => {
    const parsed = withBase(`${name} ${HEARTBEAT_DIRECTIVES[name] ?? 'x'}`);
    expect(parsed.errors).toEqual([]);
    const own = onLine(parsed.all, 5);
    expect(own).toHaveLength(1);
    expect(own[0]?.severity).toBe('warning');
    expect(own[0]?.message).toContain(`${name} is ignored`);
  });

  it('warns once per line when an ignored directive is repeated', () => {
    const parsed = withBase('serial /dev/ttyS0', 'serial /dev/ttyS1', 'baud 19200');
    expect(parsed.errors).toEqual([]);
    expect(parsed.warnings.map((w) => w.line)).toEqual([5, 6, 7]);
  });

  it('an ignored directive changes nothing', () => {
    const parsed = withBase('serial /dev/ttyS0', 'compression bz2', 'cluster other');
    expect(parsed.cf.media).toHaveLength(1);
  });

  it.each(['normalpoll', 'uid', 'gid', 'logdaemon', 'debug_level', 'nodeinfo', 'foo'])(
    '%s is an illegal directive',
    (name) => {
      const error = expectOneError(withBase(`${name} 1`), 5, `Illegal directive [${name}]`);
      expect(error.severity).toBe('error');
    },
  );

  it.each([
    ['keepalived', 'keepalive'],
    ['Keepalive', 'keepalive'],
    ['deadtimes', 'deadtime'],
    ['warntim', 'warntime'],
    ['auto-failback', 'auto_failback'],
    ['udp_port', 'udpport'],
    ['Node', 'node'],
    ['logfiel', 'logfile'],
  ])('%s is illegal, with the hint "did you mean %s"', (typo, suggestion) => {
    const error = expectOneError(withBase(`${typo} 2`), 5, `Illegal directive [${typo}]`);
    expect(error.hint).toContain(`did you mean "${suggestion}"`);
  });

  it('gives no suggestion for a word that resembles nothing', () => {
    const error = expectOneError(withBase('frobnicate 2'), 5, 'Illegal directive [frobnicate]');
    expect(error.hint ?? '').not.toContain('did you mean');
  });

  it('does not end a directive name at a comma', () => {
    expectOneError(withBase('keepalive,2'), 5, 'Illegal directive [keepalive,2]');
  });

  it('reports every illegal line, not only the first', () => {
    const parsed = withBase('foo 1', 'keepalive 2', 'bar 2');
    expect(parsed.errors.map((e) => e.line)).toEqual([5, 7]);
  });

  it('closest() stays silent beyond a small edit distance', () => {
    expect(closest('keepalive', ['keepalive', 'deadtime'])).toBe('keepalive');
    expect(closest('xyz', ['keepalive', 'deadtime'])).toBeUndefined();
  });
});

describe('lexical details', () => {
  it('cuts comments anywhere, skips blank lines and accepts tabs and CRLF', () => {
    const parsed = parse(
      '# ha.cf\r\n\r\n\tnode\talpha beta # the pair\r\n  bcast eth1 # backend\r\nauto_failback on\r\nlogfile /l\r\nkeepalive 2#comment\r\n',
    );
    expect(parsed.all).toEqual([]);
    expect(parsed.cf.nodes).toEqual(['alpha', 'beta']);
    expect(parsed.cf.keepaliveMs).toBe(2000);
  });

  it('numbers lines by their physical position', () => {
    const parsed = parse(`# one\n\n# three\n${BASE}\n\nfoo\n`);
    expectOneError(parsed, 10, 'Illegal directive [foo]');
  });

  it('has no backslash continuation', () => {
    const parsed = withBase('keepalive 2 \\', 'beta');
    expect(
      parsed.errors.some((e) => e.line === 6 && e.message.includes('Illegal directive [beta]')),
    ).toBe(true);
  });
});
