// `heartbeat status`'s human view: holders, reasons and trouble visible at a glance.
import { describe, expect, it } from 'vitest';
import type { GroupSnapshot } from '../../src/control/snapshot.js';
import { renderStatus } from '../../src/cli/status-view.js';
import { ALPHA, BETA, makeSnapshot, NOW, secondsAgo, withNode } from './snapshot-fixture.js';

function group(changes: Partial<GroupSnapshot>): GroupSnapshot {
  return {
    name: 'db',
    line: 'beta db',
    home: 'beta',
    holder: undefined,
    state: 'stopped',
    failedOn: [],
    leftAfterMonitorFailures: false,
    peerFailures: 0,
    resources: [{ name: 'db', monitorIntervalMs: 0, failures: 0, migrationThreshold: 3 }],
    ...changes,
  };
}

describe('renderStatus', () => {
  it('shows a healthy cluster compactly, in aligned columns', () => {
    expect(renderStatus(makeSnapshot(), NOW)).toBe(
      [
        'heartbeat 0.1.0 on alpha (pid 1234), up 2h 3m; config /etc/ha.d',
        'Nodes:',
        '  alpha  (this node)  active  links: eth0 up, eth1 up',
        '  beta                active  links: eth0 up, eth1 up  last heard 0.4s ago',
        'Resource groups (rscstatus: local):',
        '  192.0.2.10  running on alpha  home alpha  alpha 192.0.2.10 haproxy',
        '  db          running on beta   home beta   beta db',
        'Fencing: external/ipmi; idle',
        'Standby: idle',
        'Recent events:',
        '  09:57:01  Link beta:eth0 up.',
        '  09:57:10  Initial resource acquisition complete',
        '',
      ].join('\n'),
    );
  });

  it('makes a dead peer and a dead link stand out, with when it was last heard', () => {
    const dead = withNode(BETA, {
      status: 'dead',
      links: [
        { name: 'eth0', status: 'dead' },
        { name: 'eth1', status: 'dead' },
      ],
      lastHeardMsAgo: 42_500,
    });
    const halfLinked = withNode(ALPHA, {
      links: [
        { name: 'eth0', status: 'up' },
        { name: 'eth1', status: 'dead' },
      ],
    });
    const out = renderStatus(makeSnapshot({ nodes: [halfLinked, dead] }), NOW);
    expect(out).toContain('  alpha  (this node)  active  links: eth0 up, eth1 DEAD\n');
    expect(out).toContain(
      '  beta                DEAD    links: eth0 DEAD, eth1 DEAD  last heard 42s ago\n',
    );
  });

  it('says when a peer was never heard', () => {
    const silent = withNode(BETA, { status: 'init', lastHeardMsAgo: undefined });
    expect(renderStatus(makeSnapshot({ nodes: [ALPHA, silent] }), NOW)).toMatch(
      /^ {2}beta +init +links: .* never heard$/m,
    );
  });

  it('shows each monitored resource: interval, last result, failures here and on the peer; and a group that left', () => {
    const groups = [
      group({
        name: '192.0.2.10',
        line: 'alpha 192.0.2.10 apache',
        home: 'alpha',
        holder: 'alpha',
        state: 'running',
        resources: [
          { name: '192.0.2.10', monitorIntervalMs: 0, failures: 0, migrationThreshold: 3 },
          {
            name: 'apache',
            monitorIntervalMs: 10_000,
            lastMonitor: { ok: true, detail: 'exit 0: program is running', at: secondsAgo(3) },
            failures: 1,
            migrationThreshold: 3,
          },
        ],
      }),
      group({
        name: 'db',
        holder: 'beta',
        state: 'running-on-peer',
        leftAfterMonitorFailures: true,
        peerFailures: 1,
        resources: [
          {
            name: 'db',
            monitorIntervalMs: 5000,
            lastMonitor: {
              ok: false,
              detail: 'exit 3: program is not running',
              at: secondsAgo(40),
            },
            failures: 2,
            migrationThreshold: 2,
          },
        ],
      }),
    ];
    const out = renderStatus(makeSnapshot({ groups }), NOW);
    expect(out.slice(out.indexOf('Resource groups'), out.indexOf('Fencing:'))).toBe(
      [
        'Resource groups (rscstatus: local):',
        '  192.0.2.10  running on alpha  home alpha  alpha 192.0.2.10 apache',
        '              apache: monitor every 10s, last ok 3s ago, 1 failure of 3 here',
        '  db          running on beta   home beta   beta db',
        "              LEFT alpha after monitor failures; 'heartbeat cleanup db' lets it back",
        '              beta counts 1 monitor failure of it',
        '              db: monitor every 5s, last FAILED 40s ago (exit 3: program is not running), 2 failures of 2 here',
        '',
      ].join('\n'),
    );
  });

  it('names the node for every group state, and explains unclean groups and failed starts', () => {
    const groups = [
      group({ name: 'web', line: 'alpha web', home: 'alpha', holder: 'alpha', state: 'starting' }),
      group({
        name: 'mail',
        line: 'alpha mail',
        home: 'alpha',
        holder: 'alpha',
        state: 'stopping',
      }),
      group({ name: 'db', state: 'stopped', failedOn: ['beta', 'alpha'] }),
      group({ name: 'nfs', line: 'beta nfs', holder: 'alpha', state: 'unclean' }),
      group({ name: 'www', line: 'beta www', holder: 'beta', state: 'running-on-peer' }),
    ];
    const out = renderStatus(makeSnapshot({ groups, rscstatus: 'transition' }), NOW);
    expect(out.slice(out.indexOf('Resource groups'), out.indexOf('Fencing:'))).toBe(
      [
        'Resource groups (rscstatus: transition):',
        '  web   starting on alpha  home alpha  alpha web',
        '  mail  stopping on alpha  home alpha  alpha mail',
        '  db    stopped            home beta   beta db',
        '        start FAILED on beta, alpha since the last membership change',
        '  nfs   UNCLEAN on alpha   home beta   beta nfs',
        '        stop FAILED: it may still run on alpha until alpha is fenced or cleaned up',
        '  www   running on beta    home beta   beta www',
        '',
      ].join('\n'),
    );
  });

  it('says when haresources has no groups', () => {
    const out = renderStatus(makeSnapshot({ groups: [], rscstatus: 'none' }), NOW);
    expect(out).toContain(
      'Resource groups (rscstatus: none):\n  none (haresources lists no groups)\n',
    );
  });

  it.each([
    [
      { configured: false, devices: [], state: 'idle', failures: 0 } as const,
      'Fencing: NOT configured: a dead peer is taken over without fencing',
    ],
    [
      {
        configured: true,
        devices: ['external/ipmi'],
        state: 'fencing',
        target: 'beta',
        failures: 0,
      } as const,
      'Fencing: external/ipmi; fencing beta now',
    ],
    [
      {
        configured: true,
        devices: ['a', 'b'],
        state: 'fencing',
        target: 'beta',
        failures: 1,
      } as const,
      'Fencing: a; b; fencing beta now (after 1 failure)',
    ],
    [
      {
        configured: true,
        devices: ['external/ipmi'],
        state: 'retrying',
        target: 'beta',
        failures: 3,
        nextAttemptInMs: 4000,
      } as const,
      'Fencing: external/ipmi; RETRYING beta: 3 failures, next attempt in 4s; its groups wait until it is fenced',
    ],
  ])('shows fencing %#', (fencing, line) => {
    expect(renderStatus(makeSnapshot({ fencing }), NOW).split('\n')).toContain(line);
  });

  it.each([
    [
      { state: 'other', set: 'all', requester: 'beta' } as const,
      'Standby: beta asked to go standby [all]: waiting for it to release',
    ],
    [
      { state: 'me', set: 'foreign' } as const,
      'Standby: alpha (this node) asked to go standby [foreign]: releasing to beta',
    ],
    [
      { state: 'done', set: 'all', requester: 'beta' } as const,
      'Standby: beta went standby [all]: done',
    ],
  ])('shows the standby exchange %#', (standby, line) => {
    expect(renderStatus(makeSnapshot({ standby }), NOW).split('\n')).toContain(line);
  });

  it('shows the last 8 events, levels other than info, and the date of older days', () => {
    const events = Array.from({ length: 10 }, (_, i) => ({
      at: secondsAgo(100 - i),
      level: i === 9 ? 'WARN' : 'info',
      text: `event ${i}`,
    }));
    events[2] = {
      at: new Date(2024, 2, 4, 23, 59, 58).toISOString(),
      level: 'info',
      text: 'yesterday',
    };
    const out = renderStatus(makeSnapshot({ events }), NOW);
    const shown = out.slice(out.indexOf('Recent events'));
    expect(shown).toBe(
      [
        'Recent events (last 8 of 10):',
        '  Mar 04 23:59:58  yesterday',
        '  11:58:23         event 3',
        '  11:58:24         event 4',
        '  11:58:25         event 5',
        '  11:58:26         event 6',
        '  11:58:27         event 7',
        '  11:58:28         event 8',
        '  11:58:29         WARN: event 9',
        '',
      ].join('\n'),
    );
  });

  it('says when there are no events yet', () => {
    expect(renderStatus(makeSnapshot({ events: [] }), NOW)).toMatch(/\nRecent events: none\n$/);
  });

  it.each([
    [0, 'up 0s'],
    [65_000, 'up 1m 5s'],
    [90_061_000, 'up 1d 1h'],
  ])('formats an uptime of %d ms as "%s"', (uptimeMs, text) => {
    expect(renderStatus(makeSnapshot({ uptimeMs }), NOW).split('\n')[0]).toContain(`, ${text};`);
  });
});
