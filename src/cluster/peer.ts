// What the core knows of one peer: status, identity, timing of its heartbeats, and its links.
import { SeqTracker } from './seq-tracker.js';
import type { NodeStatus } from './types.js';

export interface LinkState {
  up: boolean;
  lastHeard: number;
}

export class Peer {
  status: NodeStatus = 'init';
  uuid: Uint8Array | undefined;
  /** Local arrival time of its last status message (or our start, before the first). */
  lastStatusAt: number;
  /** Whether a status arrived since start or since it was declared dead. */
  heard = false;
  /** seq of its last status, to tell a returning partition from a stale copy. */
  statusSeq = 0;
  /** The deadtime it advertises in `dt`, ms. */
  advertisedDeadMs: number | undefined;
  /** Its generation when declared dead: the same one heard again means a healed partition. */
  generationAtDeath: number | undefined;
  readonly track = new SeqTracker();
  readonly links = new Map<string, LinkState>();
  /** Retransmissions we asked it for: seq -> when to ask again. */
  readonly rexmitDue = new Map<number, number>();
  /** Which in-order seq (mod 10) we acknowledge, like heartbeat's per-node ack phase. */
  readonly ackPhase: number;

  constructor(
    readonly name: string,
    linkNames: readonly string[],
    startedAt: number,
    ackPhase: number,
  ) {
    this.lastStatusAt = startedAt;
    this.ackPhase = ackPhase;
    for (const link of linkNames) this.links.set(link, { up: false, lastHeard: startedAt });
  }

  get dead(): boolean {
    return this.status === 'dead';
  }
}
