// Hand-made status snapshots: a healthy two-node cluster seen from alpha, to tweak per test.
import type { NodeSnapshot, StatusSnapshot } from '../../src/control/snapshot.js';

/** 2024-03-05 12:00:00 local time: events in the fixtures are relative to it. */
export const NOW = new Date(2024, 2, 5, 12, 0, 0);

/** ISO time of NOW minus some seconds, as the daemon stamps events. */
export function secondsAgo(seconds: number): string {
  return new Date(NOW.getTime() - seconds * 1000).toISOString();
}

export const ALPHA: NodeSnapshot = {
  name: 'alpha',
  type: 'normal',
  status: 'active',
  local: true,
  links: [
    { name: 'eth0', status: 'up' },
    { name: 'eth1', status: 'up' },
  ],
};

export const BETA: NodeSnapshot = {
  name: 'beta',
  type: 'normal',
  status: 'active',
  local: false,
  links: [
    { name: 'eth0', status: 'up' },
    { name: 'eth1', status: 'up' },
  ],
  lastHeardMsAgo: 400,
};

export function makeSnapshot(changes: Partial<StatusSnapshot> = {}): StatusSnapshot {
  return {
    version: '0.1.0',
    pid: 1234,
    node: 'alpha',
    configDir: '/etc/ha.d',
    startedAt: secondsAgo(7380),
    uptimeMs: 7_380_000,
    nodes: [ALPHA, BETA],
    rscstatus: 'local',
    groups: [
      {
        name: '192.0.2.10',
        line: 'alpha 192.0.2.10 haproxy',
        home: 'alpha',
        holder: 'alpha',
        state: 'running',
        failedOn: [],
        leftAfterMonitorFailures: false,
        peerFailures: 0,
        resources: [
          { name: '192.0.2.10', monitorIntervalMs: 0, failures: 0, migrationThreshold: 3 },
          { name: 'haproxy', monitorIntervalMs: 0, failures: 0, migrationThreshold: 3 },
        ],
      },
      {
        name: 'db',
        line: 'beta db',
        home: 'beta',
        holder: 'beta',
        state: 'running-on-peer',
        failedOn: [],
        leftAfterMonitorFailures: false,
        peerFailures: 0,
        resources: [{ name: 'db', monitorIntervalMs: 0, failures: 0, migrationThreshold: 3 }],
      },
    ],
    fencing: { configured: true, devices: ['external/ipmi'], state: 'idle', failures: 0 },
    standby: { state: 'idle' },
    parameters: { deadtime: '30000ms', keepalive: '1000ms', auto_failback: 'on' },
    events: [
      { at: secondsAgo(7379), level: 'info', text: 'Link beta:eth0 up.' },
      { at: secondsAgo(7370), level: 'info', text: 'Initial resource acquisition complete' },
    ],
    ...changes,
  };
}

/** A copy of a node with some fields changed. */
export function withNode(node: NodeSnapshot, changes: Partial<NodeSnapshot>): NodeSnapshot {
  return { ...node, ...changes };
}
