// What the core shows of itself, read-only: nodes and links, who holds each group and how its
// resources are monitored, fencing and standby state. Status answers and tests read this, never
// the core's fields.

export interface LinkSnapshot {
  /** The medium's interface name, as ha.cf names it (eth0, lo, ...). */
  readonly name: string;
  readonly status: 'up' | 'dead';
}

export interface NodeSnapshot {
  readonly name: string;
  /** heartbeat's node types: cluster nodes are `normal`, `ping` and `ping_group` nodes `ping`. */
  readonly type: 'normal' | 'ping';
  /** heartbeat's node status words: init, up, active, dead (others may come from a peer); a ping
   * node's are init, ping and dead. */
  readonly status: string;
  readonly local: boolean;
  readonly links: readonly LinkSnapshot[];
  /** ms since its last heartbeat arrived; undefined for the local node or one never heard. */
  readonly lastHeardMsAgo?: number;
}

export type GroupState =
  /** Running here (held). */
  | 'running'
  | 'starting'
  | 'stopping'
  /** Held by the peer, per its latest report. */
  | 'running-on-peer'
  /** Nobody holds it. */
  | 'stopped'
  /** A stop kept failing here: it may still run; this node must be fenced or cleaned up. */
  | 'unclean';

export interface GroupSnapshot {
  /** The first resource of the haresources line. */
  readonly name: string;
  /** The whole haresources line, e.g. `alpha 192.0.2.10 haproxy`. */
  readonly line: string;
  readonly home: string;
  /** The node that holds it (or is moving it), undefined when nobody does. */
  readonly holder: string | undefined;
  readonly state: GroupState;
  /** Its start failed on these nodes since the last membership change. */
  readonly failedOn: readonly string[];
  /** It left this node because a resource failed its monitor migration_threshold times. */
  readonly leftAfterMonitorFailures: boolean;
  /** Monitor failures the peer still counts for it, from its last resource report. */
  readonly peerFailures: number;
  readonly resources: readonly ResourceSnapshot[];
}

export interface ResourceSnapshot {
  /** As written in haresources. */
  readonly name: string;
  /** timeouts.ini's `monitor`; 0: not monitored. */
  readonly monitorIntervalMs: number;
  /** The last monitor on this node: found running (ok) or not, and when (ISO time). */
  readonly lastMonitor?: { readonly ok: boolean; readonly detail: string; readonly at: string };
  /** Monitor failures on this node not yet forgotten, and how many make the group leave. */
  readonly failures: number;
  readonly migrationThreshold: number;
}

/** Fencing as the core sees it; status adds the configured devices. */
export interface FencingView {
  /** idle; fencing (an attempt in flight); retrying (after failures, waiting for the next). */
  readonly state: 'idle' | 'fencing' | 'retrying';
  readonly target?: string;
  readonly failures: number;
  readonly nextAttemptInMs?: number;
}

export interface StandbySnapshot {
  /** heartbeat's standby exchange: idle, me (we asked), other (the peer asked), done. */
  readonly state: 'idle' | 'me' | 'other' | 'done';
  /** The resource set being moved, from the requesting node's side: all, local, foreign. */
  readonly set?: string;
  readonly requester?: string;
}

export interface CoreView {
  /** This node first, then the peer, then ping nodes in ha.cf order. */
  readonly nodes: readonly NodeSnapshot[];
  /** cl_status rscstatus: none, local, foreign, all, or transition while anything moves. */
  readonly rscstatus: string;
  readonly groups: readonly GroupSnapshot[];
  readonly fencing: FencingView;
  readonly standby: StandbySnapshot;
}
