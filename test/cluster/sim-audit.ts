// The whole-scenario audit of two holders: what the simulated cluster's state says about when
// two nodes may run one resource (see excuses.ts), noted after each command and as nodes log.
import type { Sim, SimNode } from './sim.js';

/** Reports crossing, agents' exits: beyond 2 x keepalive and the stops after a heal. */
const GRACE_SLACK_MS = 200;
/** A death is the faults' doing when the peer was silent this share of deadtime or more. */
const SILENCE_SHARE = 0.9;

/**
 * After each command: whether two holders are expected now (without fencing): while no link
 * joins the nodes, a daemon that is gone left services running, a node cannot stop what it
 * runs, or a node still takes its peer for dead after a silence the faults caused.
 */
export function noteExcuses(sim: Sim): void {
  const { excuses, now, names, links, cut } = sim;
  const [a = '', b = ''] = names;
  const joined = links.some((l) => !cut.has(`${a}:${l}`) && !cut.has(`${b}:${l}`));
  // A daemon gone (killed, or stopped with a stop that failed) leaves what it ran running, and
  // one started again has not taken it back until its start-up probe ends (a status may hang).
  const adrift = (n: string): boolean => !sim.node(n).running || localStatus(sim, n) === 'init';
  const orphans = names.some((n) => adrift(n) && sim.world.runsOn(n).length > 0);
  excuses.set('partition', !joined, now);
  excuses.set('orphans', orphans, now);
  for (const name of names) {
    const node = sim.node(name);
    const view = node.core.view(sim.instant());
    const stuck = view.groups.some((g) => g.state === 'unclean' || g.state === 'stopping');
    if (!node.running || !stuck) excuses.set(`unclean:${name}`, false, now);
    const peerDead = view.nodes.some((n) => !n.local && n.type === 'normal' && n.status === 'dead');
    if (!node.running || !peerDead) excuses.set(`silence:${name}`, false, now);
  }
}

function localStatus(sim: Sim, name: string): string | undefined {
  return sim
    .node(name)
    .core.view(sim.instant())
    .nodes.find((n) => n.local)?.status;
}

/** Lines a daemon logs at most once between its start and its end, as heartbeat does. */
const ONCE_PER_LIFE = [
  /^Local status now set to: 'up'$/,
  /^Local status now set to: 'active'$/,
  /^Comm_now_up\(\): updating status to active$/,
  /^Initial resource acquisition complete/,
  /^No STONITH device configured/,
  /^Giving up all HA resources\.$/,
  /^All HA resources relinquished\.$/,
];

/** The line, if it is one to log once per life and this daemon has logged it already. */
export function repeatedOnceLine(node: SimNode, text: string): string | undefined {
  const pattern = ONCE_PER_LIFE.find((once) => once.test(text));
  if (!pattern) return undefined;
  if (!node.loggedOnce.has(pattern.source)) {
    node.loggedOnce.add(pattern.source);
    return undefined;
  }
  return text;
}

/** A node's log line that opens an excuse at the very moment it happens. */
export function excusesFromLog(sim: Sim, node: SimNode, text: string): void {
  // The peer was silent past deadtime (a partition, a freeze, lost packets, a dead daemon):
  // without fencing, both may run its groups until they hear each other again.
  if (/^node \S+: is dead$/.test(text)) {
    if (sim.now - node.lastHeard >= sim.timing.deadtimeMs * SILENCE_SHARE)
      sim.excuses.set(`silence:${node.name}`, true, sim.now);
  }
  // A stop that fails: what the node runs may run on the peer too until it is stopped.
  if (/^Stop of .* failed/.test(text)) sim.excuses.set(`unclean:${node.name}`, true, sim.now);
}

/** Every moment two nodes ran one resource that nothing explains; with fencing, every moment. */
export function unexcusedDoubles(sim: Sim): string[] {
  const longest = Math.max(0, ...sim.world.groups.map((g) => g.resources.length));
  const graceMs = 2 * sim.timing.keepaliveMs + longest * sim.world.stopDelayMs + GRACE_SLACK_MS;
  // With fencing nothing excuses two holders: a node is fenced before its groups are taken.
  const graceOrNone = sim.fencingConfigured ? undefined : graceMs;
  return sim.excuses.uncovered(sim.world.doubledSpans, sim.now, graceOrNone);
}
