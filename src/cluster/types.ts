// What the pure cluster core is fed and what it asks the edges to do.
import type { Level } from '../log/levels.js';
import type { Message } from '../wire/message.js';
import type { PingNodeConfig } from './ping-nodes.js';

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
  | { readonly type: 'deliver'; readonly from: string; readonly fields: Message }
  /** Membership news for the resource layer; consumed inside the core, never by the edges. */
  | { readonly type: 'membership'; readonly event: MembershipEvent }
  /** A group operation ownership decided; the core turns it into agent operations. */
  | { readonly type: 'group'; readonly op: GroupOp; readonly group: number; readonly from?: number }
  /** Run one agent operation (resource index within the group); report with agentDone. */
  | {
      readonly type: 'agent';
      readonly group: number;
      readonly resource: number;
      readonly operation: AgentOperation;
      readonly timeoutMs: number;
    }
  /** Kill every agent start in flight (this node is stopping); each reports as failed. */
  | { readonly type: 'cancel-starts' }
  /** Make one fencing attempt on a node; report with fenceDone. */
  | { readonly type: 'fence'; readonly node: string }
  /** Start a respawn client (report started and exited), or signal its process group. */
  | { readonly type: 'client'; readonly op: ClientOp; readonly client: number }
  /** The graceful stop is complete: every group released and the peers told. */
  | { readonly type: 'stopped' };

export type MembershipEvent =
  /** Local status went active: the node list is known, or we are alone after initdead. */
  | { readonly kind: 'comm-up' }
  /** A status arrived from a peer not heard since start or since it was declared dead. */
  | { readonly kind: 'peer-alive'; readonly node: string; readonly afterPartition: boolean }
  | { readonly kind: 'peer-dead'; readonly node: string; readonly graceful: boolean }
  /** A ping node answered again (its status became `ping`), or went silent for deadping. */
  | { readonly kind: 'ping-up'; readonly node: string }
  | { readonly kind: 'ping-dead'; readonly node: string };

/** acquire: status, then start what is stopped, left to right; release: stop right to left;
 * reassert: announce the group's addresses again (their agents' start, which re-sends gratuitous
 * ARP for an address already up), and start nothing else; recover: stop the resources from
 * `from` rightwards, right to left, then start them again (a failed monitor). */
export type GroupOp = 'acquire' | 'release' | 'reassert' | 'recover';

/** start: run it as its user; stop: SIGTERM to its process group; kill: SIGKILL to it. */
export type ClientOp = 'start' | 'stop' | 'kill';

/**
 * How a group operation ended: unclean means a stop kept failing, so the group may still run;
 * cancelled means its start was cut short by a stop of this node (and rolled back), not a failure.
 */
export type GroupOutcome = 'ok' | 'failed' | 'cancelled' | 'unclean';

export type AgentOperation = 'start' | 'stop' | 'status';

/** timeouts.ini's monitoring of one resource. */
export interface MonitorSettings {
  /** How often the agent's status runs while its group runs here; 0: not monitored. */
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Failures on this node before its group leaves it (at least 1). */
  readonly migrationThreshold: number;
  /** Failures older than this are forgotten; Infinity: never. */
  readonly failureTimeoutMs: number;
}

/** What one agent operation reported, its exit code already read as LSB (or heartbeat's text). */
export type AgentResult =
  | {
      readonly operation: 'status';
      readonly state: 'running' | 'stopped' | 'unknown';
      readonly detail: string;
    }
  | { readonly operation: 'start' | 'stop'; readonly ok: boolean; readonly detail: string };

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
  /** `ping` and `ping_group` nodes, and how long one may stay silent (deadping). */
  readonly pingNodes?: readonly PingNodeConfig[];
  readonly deadpingMs?: number;
}
