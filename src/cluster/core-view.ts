// Builds the core's read-only view (view.ts) from membership and ownership at one instant.
import type { Membership } from './membership.js';
import type { MonitorPolicy } from './resources/monitor-policy.js';
import type { Ownership } from './resources/ownership.js';
import type { LocalGroup, PeerView } from './resources/placement.js';
import type { Instant } from './types.js';
import type { CoreView, GroupSnapshot, NodeSnapshot, ResourceSnapshot } from './view.js';

export interface ViewedParts {
  readonly localNode: string;
  /** Every configured node and the local media, as membership was given them. */
  readonly nodes: readonly string[];
  readonly links: readonly string[];
  readonly membership: Membership;
  readonly ownership: Ownership;
}

export function viewCore(parts: ViewedParts, at: Instant): CoreView {
  const { ownership } = parts;
  const peer = ownership.peer;
  const fencingPhase = ownership.fencing.phase;
  const { standby } = ownership;
  return {
    nodes: nodeViews(parts, at),
    rscstatus: ownership.resourceState(),
    groups: ownership.groups.map((group) => ({
      ...groupView(group, parts.localNode, peer, ownership.monitoring),
      resources: resourceViews(group, ownership.monitoring, at),
    })),
    fencing: {
      state: fencingPhase.state,
      failures: ownership.fencing.failures,
      ...(fencingPhase.state !== 'idle' && peer ? { target: peer.name } : {}),
      ...(fencingPhase.retryAt === undefined
        ? {}
        : { nextAttemptInMs: Math.max(0, Math.round(fencingPhase.retryAt - at.mono)) }),
    },
    standby: {
      state: standby.state,
      ...(standby.state === 'idle' ? {} : { set: standby.set }),
      ...(standby.requester === undefined ? {} : { requester: standby.requester }),
    },
  };
}

function nodeViews(parts: ViewedParts, at: Instant): NodeSnapshot[] {
  const { membership, localNode, links } = parts;
  const heard = (name: string): { lastHeardMsAgo?: number } => {
    const ago = membership.heardAgo(name, at.mono);
    return ago === undefined ? {} : { lastHeardMsAgo: Math.round(ago) };
  };
  const nodes: NodeSnapshot[] = [localNode, ...parts.nodes.filter((n) => n !== localNode)].map(
    (name) => ({
      name,
      type: 'normal',
      status: membership.nodeStatus(name) ?? 'unknown',
      local: name === localNode,
      links: links.map((link) => ({
        name: link,
        status: membership.linkStatus(name, link) ?? 'dead',
      })),
      ...heard(name),
    }),
  );
  // A ping node has one link, named like the node, as heartbeat shows it.
  for (const name of membership.pingNodeNames) {
    nodes.push({
      name,
      type: 'ping',
      status: membership.nodeStatus(name) ?? 'init',
      local: false,
      links: [{ name, status: membership.linkStatus(name, name) ?? 'dead' }],
      ...heard(name),
    });
  }
  return nodes;
}

function groupView(
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
    peerFailures: peerReport?.failCounts.get(info.index) ?? 0,
  };
  if (group.op === 'release') return { ...base, holder: localNode, state: 'stopping' };
  if (group.op) return { ...base, holder: localNode, state: 'starting' };
  if (group.holding === 'running') return { ...base, holder: localNode, state: 'running' };
  if (group.holding === 'unclean') return { ...base, holder: localNode, state: 'unclean' };
  // The peer could not stop it: it may still run there, and nobody may start it elsewhere.
  const peerUnclean =
    peerReport?.unclean.has(info.index) ??
    (peer?.liveness === 'dead' && !peer.fenced && peer.leftUnclean.has(info.index));
  if (peer && peerUnclean) return { ...base, holder: peer.name, state: 'unclean' };
  if (peer && peerReport?.holds.has(info.index))
    return { ...base, holder: peer.name, state: 'running-on-peer' };
  return { ...base, holder: undefined, state: 'stopped' };
}

function resourceViews(
  group: LocalGroup,
  monitoring: MonitorPolicy,
  at: Instant,
): ResourceSnapshot[] {
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
