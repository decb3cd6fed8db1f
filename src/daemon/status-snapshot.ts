// Builds the `status` answer from the running core: nodes and links, who holds each group,
// fencing and standby state, parameters and the latest cluster events.
import type { ClusterCore } from '../cluster/cluster-core.js';
import type { MonitorPolicy } from '../cluster/resources/monitor-policy.js';
import type { LocalGroup, PeerView } from '../cluster/resources/placement.js';
import type { Instant } from '../cluster/types.js';
import type { Config } from '../config/config.js';
import type {
  EventSnapshot,
  GroupSnapshot,
  NodeSnapshot,
  ResourceSnapshot,
  StatusSnapshot,
} from '../control/snapshot.js';

export interface SnapshotSource {
  readonly core: ClusterCore;
  readonly config: Config;
  readonly version: string;
  readonly startedAt: Date;
  /** Monotonic ms now and at start. */
  readonly nowMono: number;
  readonly startedMono: number;
  readonly events: readonly EventSnapshot[];
}

export function buildSnapshot(source: SnapshotSource): StatusSnapshot {
  const { core, config, nowMono } = source;
  const { ownership, membership } = core;
  const peer = ownership.peer;
  const links = [...new Set(config.hacf.media.map((m) => m.iface))];
  const nodes: NodeSnapshot[] = [
    config.localNode,
    ...config.hacf.nodes.filter((n) => n !== config.localNode),
  ].map((name) => {
    const heard = membership.heardAgo(name, nowMono);
    return {
      name,
      type: 'normal',
      status: membership.nodeStatus(name) ?? 'unknown',
      local: name === config.localNode,
      links: links.map((link) => ({
        name: link,
        status: membership.linkStatus(name, link) ?? 'dead',
      })),
      ...(heard === undefined ? {} : { lastHeardMsAgo: Math.round(heard) }),
    };
  });
  // A ping node has one link, named like the node, as heartbeat shows it.
  for (const name of membership.pingNodeNames) {
    const heard = membership.heardAgo(name, nowMono);
    nodes.push({
      name,
      type: 'ping',
      status: membership.nodeStatus(name) ?? 'init',
      local: false,
      links: [{ name, status: membership.linkStatus(name, name) ?? 'dead' }],
      ...(heard === undefined ? {} : { lastHeardMsAgo: Math.round(heard) }),
    });
  }
  const fencingPhase = ownership.fencing.phase;
  const { standby } = ownership;
  return {
    version: source.version,
    pid: process.pid,
    node: config.localNode,
    configDir: config.dir,
    startedAt: source.startedAt.toISOString(),
    uptimeMs: Math.round(nowMono - source.startedMono),
    nodes,
    rscstatus: ownership.resourceState(),
    groups: ownership.groups.map((group) => ({
      ...groupSnapshot(group, config.localNode, peer, ownership.monitoring),
      resources: resourceSnapshots(group, ownership.monitoring, nowMono),
    })),
    fencing: {
      configured: config.fenceDevices.length > 0,
      devices: config.fenceDevices.map((d) => d.label),
      state: fencingPhase.state,
      failures: ownership.fencing.failures,
      ...(fencingPhase.state !== 'idle' && peer ? { target: peer.name } : {}),
      ...(fencingPhase.retryAt === undefined
        ? {}
        : { nextAttemptInMs: Math.max(0, Math.round(fencingPhase.retryAt - nowMono)) }),
    },
    standby: {
      state: standby.state,
      ...(standby.state === 'idle' ? {} : { set: standby.set }),
      ...(standby.requester === undefined ? {} : { requester: standby.requester }),
    },
    parameters: Object.fromEntries(config.hacf.parameters),
    events: source.events,
  };
}

function groupSnapshot(
  group: LocalGroup,
  localNode: string,
  peer: PeerView | undefined,
  monitoring: MonitorPolicy,
): Omit<GroupSnapshot, 'resources'> {
  const { info } = group;
  const peerReport = peer?.liveness === 'alive' ? peer.report : undefined;
  const leftAfterMonitorFailures = monitoring.leftHere(info.index);
  const failedOn = [
    ...(group.failed && !leftAfterMonitorFailures ? [localNode] : []),
    ...(peer && peerReport?.failed.has(info.index) ? [peer.name] : []),
  ];
  const base = {
    name: info.name,
    line: info.line,
    home: info.home,
    failedOn,
    leftAfterMonitorFailures,
  };
  if (group.op === 'release') return { ...base, holder: localNode, state: 'stopping' };
  if (group.op) return { ...base, holder: localNode, state: 'starting' };
  if (group.holding === 'running') return { ...base, holder: localNode, state: 'running' };
  if (group.holding === 'unclean') return { ...base, holder: localNode, state: 'unclean' };
  if (peer && peerReport?.holds.has(info.index))
    return { ...base, holder: peer.name, state: 'running-on-peer' };
  return { ...base, holder: undefined, state: 'stopped' };
}

function resourceSnapshots(
  group: LocalGroup,
  monitoring: MonitorPolicy,
  nowMono: number,
): ResourceSnapshot[] {
  const at: Instant = { mono: nowMono, wallSeconds: Date.now() / 1000, load: '' };
  return group.info.resources.map((spec, r) => {
    const view = monitoring.monitors.view(group.info.index, r, at);
    const last = view?.last;
    return {
      name: spec.text,
      monitorIntervalMs: view?.intervalMs ?? 0,
      ...(last
        ? {
            lastMonitor: {
              ok: last.ok,
              detail: last.detail,
              at: new Date(last.wallSeconds * 1000).toISOString(),
            },
          }
        : {}),
      failures: view?.failures ?? 0,
      migrationThreshold: view?.migrationThreshold ?? 0,
    };
  });
}
