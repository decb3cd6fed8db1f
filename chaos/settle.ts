// Waits, within a deadline, until the cluster has settled as the nodes and the outside world see
// it: both daemons up, stable and agreeing on one holder, the VIP and the service on it alone.
import { setTimeout as delay } from 'node:timers/promises';
import type { StatusSnapshot } from '../src/control/snapshot.js';
import { monoMs } from '../test/helpers/failover-lab.js';
import { NODES, peerOf, type ChaosCluster, type NodeName } from './cluster.js';
import { servicePids, vipHolders } from './observe.js';

export interface Settled {
  readonly holder: NodeName;
  /** monoMs() of the first look of the steady stretch. */
  readonly at: number;
}

export interface Unsettled {
  /** What the last look found wrong. */
  readonly problems: readonly string[];
}

const LOOK_EVERY_MS = 200;
/** Settled at two looks this far apart, and at every look between: one look may catch a moment. */
const STEADY_MS = 600;

export async function settle(
  cluster: ChaosCluster,
  timeoutMs: number,
): Promise<Settled | Unsettled> {
  const deadline = monoMs() + timeoutMs;
  let steady: Settled | undefined;
  let problems: readonly string[] = [];
  while (monoMs() < deadline) {
    const at = monoMs();
    const view = await look(cluster);
    if (typeof view === 'string') {
      if (steady?.holder !== view) steady = { holder: view, at };
      else if (at - steady.at >= STEADY_MS) return steady;
    } else {
      steady = undefined;
      problems = view;
    }
    await delay(LOOK_EVERY_MS);
  }
  return { problems: [`not settled within ${timeoutMs} ms`, ...problems] };
}

/** The holder if the cluster looks settled now, else what does not. */
async function look(cluster: ChaosCluster): Promise<NodeName | string[]> {
  const down = NODES.filter((node) => cluster.pid(node) === undefined);
  if (down.length > 0) return down.map((node) => `${node}: no daemon running`);
  const statuses = await Promise.all(NODES.map((node) => cluster.status(node)));
  const problems = statuses.filter((status) => typeof status === 'string');
  if (problems.length > 0) return problems;
  const [alpha, beta] = statuses as StatusSnapshot[];
  const holder = alpha?.groups[0]?.holder;
  if (holder !== beta?.groups[0]?.holder)
    return [
      `the nodes disagree on the holder: alpha says ${holder}, beta says ${beta?.groups[0]?.holder}`,
    ];
  if (holder !== 'alpha' && holder !== 'beta') return ['nobody holds the group'];
  const unstable = NODES.flatMap((node, i) =>
    unsettledIn(node, statuses[i] as StatusSnapshot, holder),
  );
  if (unstable.length > 0) return unstable;
  return (await outsideProblems(cluster, holder)) ?? holder;
}

/** What the node's own status shows still moving or not in place. */
function unsettledIn(node: NodeName, status: StatusSnapshot, holder: NodeName): string[] {
  const problems: string[] = [];
  const peer = status.nodes.find((n) => n.name === peerOf(node));
  if (peer?.status !== 'active') problems.push(`${node} sees ${peerOf(node)} ${peer?.status}`);
  if (status.rscstatus === 'transition') problems.push(`${node}: rscstatus transition`);
  if (status.standby.state !== 'idle') problems.push(`${node}: standby ${status.standby.state}`);
  if (status.fencing.state !== 'idle') problems.push(`${node}: fencing ${status.fencing.state}`);
  const state = status.groups[0]?.state;
  const expected = node === holder ? 'running' : 'running-on-peer';
  if (state !== expected) problems.push(`${node}: group ${state}, expected ${expected}`);
  return problems;
}

/** The VIP and the service seen from outside: on the holder alone, once. */
async function outsideProblems(
  cluster: ChaosCluster,
  holder: NodeName,
): Promise<string[] | undefined> {
  const problems: string[] = [];
  const vip = await vipHolders(cluster.lab);
  if (vip.join() !== holder) problems.push(`VIP on [${vip.join(', ')}], holder ${holder}`);
  for (const node of NODES) {
    const pids = await servicePids(cluster.lab, node);
    if (pids.length !== (node === holder ? 1 : 0))
      problems.push(`${node}: ${pids.length} udp-echo services (pids ${pids.join(' ')})`);
  }
  return problems.length > 0 ? problems : undefined;
}
