// What a running daemon reports about itself over the control socket: the answer to `status`,
// and everything `cl-status` queries read.

import type { FencingView, GroupSnapshot, NodeSnapshot, StandbySnapshot } from '../cluster/view.js';

export type {
  GroupSnapshot,
  GroupState,
  LinkSnapshot,
  NodeSnapshot,
  ResourceSnapshot,
  StandbySnapshot,
} from '../cluster/view.js';

export interface FencingSnapshot extends FencingView {
  readonly configured: boolean;
  /** e.g. `external/ipmi (stonith_host * ...)`, one per device. */
  readonly devices: readonly string[];
}

export interface EventSnapshot {
  /** ISO 8601 wall-clock time. */
  readonly at: string;
  readonly level: string;
  readonly text: string;
}

export interface StatusSnapshot {
  readonly version: string;
  readonly pid: number;
  /** This node's name. */
  readonly node: string;
  readonly configDir: string;
  readonly startedAt: string;
  readonly uptimeMs: number;
  /** This node first, then the peer. */
  readonly nodes: readonly NodeSnapshot[];
  /** cl_status rscstatus: none, local, foreign, all, or transition while anything moves. */
  readonly rscstatus: string;
  readonly groups: readonly GroupSnapshot[];
  readonly fencing: FencingSnapshot;
  readonly standby: StandbySnapshot;
  /** cl_status hbparameter: ha.cf parameter names (lower case) -> value as heartbeat prints it. */
  readonly parameters: Readonly<Record<string, string>>;
  /** The last cluster events (state changes worth a log line at info or above), oldest first. */
  readonly events: readonly EventSnapshot[];
}
