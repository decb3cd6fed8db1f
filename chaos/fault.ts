// What a chaos fault is: an action on the running pair with its random parameters, what it
// explains (CRIT lines, a VIP on both nodes while one was declared dead) and the client's bound.
import { setTimeout as delay } from 'node:timers/promises';
import type { Random } from '../test/cluster/fuzz/random.js';
import type { CliResult } from '../test/helpers/lab-cli.js';
import type { ChaosCluster, NodeName } from './cluster.js';
import type { PowerSwitch } from './power-switch.js';

export interface Timing {
  readonly keepaliveMs: number;
  readonly deadtimeMs: number;
  /** timeouts.ini's monitor interval of the udp-echo resource. */
  readonly monitorMs: number;
}

export interface FaultContext {
  readonly cluster: ChaosCluster;
  readonly random: Random;
  readonly timing: Timing;
  /** Who held the group when the cluster last settled, before this fault. */
  readonly holder: NodeName;
  /** The STONITH device's power switch, when fencing is configured. */
  readonly powerSwitch: PowerSwitch | undefined;
}

export interface FaultOutcome {
  /** What was done, with its parameters, e.g. "beta cut off for 1830 ms". */
  readonly detail: string;
  /** monoMs() when the fault's last action ended: the link back, the daemon started again. */
  readonly healedAt: number;
  /** The node that must hold the group once settled, where the fault decides it. */
  readonly expectedHolder?: NodeName;
  /**
   * Whether the VIP may be on both nodes for a while: a node was cut off, frozen or its daemon
   * killed, and the peer (without fencing) took over what it still held. The audit allows it
   * only if a node was in fact declared dead.
   */
  readonly mayDouble?: boolean;
  /** What went wrong in the fault's own steps (a command that failed, a move that never came). */
  readonly problems?: readonly string[];
}

export interface Fault {
  readonly kind: string;
  /** Drawn only when a STONITH device is configured. */
  readonly needsFencing?: boolean;
  /** CRIT log lines the fault explains. */
  readonly allowedCrit: readonly RegExp[];
  /** The longest the client may go without an answer, from the fault until settled. */
  outageBoundMs(timing: Timing): number;
  run(context: FaultContext): Promise<FaultOutcome>;
}

/** CRIT lines a node cut off, frozen or killed may cause, as the daemon words them. */
export const CRIT = {
  partition: /^Cluster node (alpha|beta) returning after partition\.$/,
  lateHeartbeat: /^Late heartbeat: Node (alpha|beta): interval \d+ ms \(> deadtime\)$/,
  heldTwice: /^Resource \S+ is active, and should not be!$/,
} as const;

/** A deliberate fault duration (a link down, a daemon frozen), never a wait for luck. */
export const hold = (ms: number): Promise<void> => delay(ms);

/**
 * How long a cut or freeze lasts: mostly (70 %) past deadtime by `pastMs` (from, to), so that
 * the peer declares the node dead (`long`); otherwise a fifth to a half of deadtime.
 */
export function mostlyPastDeadtime(
  random: Random,
  deadtimeMs: number,
  pastMs: readonly [number, number],
): { ms: number; long: boolean } {
  if (random.chance(0.7))
    return { ms: random.int(deadtimeMs + pastMs[0], deadtimeMs + pastMs[1]), long: true };
  const ms = random.int(Math.round(deadtimeMs * 0.2), Math.round(deadtimeMs * 0.5));
  return { ms, long: false };
}

/** The problem a command's non-zero exit is, if it had one. */
export function commandProblem(node: NodeName, command: string, run: CliResult): string[] {
  return run.code === 0
    ? []
    : [`${node}: heartbeat ${command} exited ${run.code}: ${run.err.trim()}`];
}
