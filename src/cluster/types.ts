// What the pure cluster core is fed and what it asks the edges to do.
import type { Level } from '../log/levels.js';
import type { Message } from '../wire/message.js';

/** A moment as the core sees it: monotonic ms for timing, wall seconds and load for messages. */
export interface Instant {
  readonly mono: number;
  readonly wallSeconds: number;
  /** First line of /proc/loadavg, carried in `ld`. */
  readonly load: string;
}

export type Action =
  /** Sign and send on every medium. */
  | { readonly type: 'send'; readonly fields: Message }
  | { readonly type: 'log'; readonly level: Level; readonly text: string }
  /** A message for the layers above membership (resources, standby, shutdown). */
  | { readonly type: 'deliver'; readonly from: string; readonly fields: Message };

export type NodeStatus = 'init' | 'up' | 'active' | 'dead' | (string & {});

export interface MembershipConfig {
  readonly localNode: string;
  /** Every configured node, the local one included, lower-case. */
  readonly nodes: readonly string[];
  readonly uuid: Uint8Array;
  readonly generation: number;
  readonly keepaliveMs: number;
  readonly deadtimeMs: number;
  readonly warntimeMs: number;
  readonly initdeadMs: number;
  /** Names of the local media (interfaces), for link status. */
  readonly links: readonly string[];
  readonly hopfudge: number;
}
