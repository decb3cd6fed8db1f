// Joining as heartbeat does: once every peer was heard or is dead, ask a live peer for its node list
// (reqnodes, again every second) and go active on its answer (repnodes), or at once when alone.
import { stringField } from '../wire/message.js';
import type { Emitter } from './emitter.js';
import type { Peer } from './peer.js';
import type { Instant } from './types.js';

const REQNODES_INTERVAL_MS = 1000;

export class Join {
  /** Every node heard from or dead: from then on each node's dead time applies, not initdead. */
  private everyPeerSeen = false;
  private commUp = false;
  private reqnodesAt: number | undefined;

  constructor(
    private readonly nodes: readonly string[],
    private readonly peers: ReadonlyMap<string, Peer>,
    /** Ping nodes count too: each answered or was declared dead. */
    private readonly pingNodesSeen: () => boolean,
    private readonly emit: Emitter,
    /** Going active: the local status changes before the comm-up event goes out. */
    private readonly goActive: (at: Instant) => void,
  ) {}

  get linksUp(): boolean {
    return this.everyPeerSeen;
  }

  /** After any news of a node: the handshake begins once every node was heard or is dead. */
  check(at: Instant): void {
    if (this.everyPeerSeen || !this.pingNodesSeen()) return;
    if (![...this.peers.values()].every((p) => p.heard || p.dead)) return;
    this.everyPeerSeen = true;
    this.ask(at);
  }

  tick(at: Instant): void {
    if (this.reqnodesAt !== undefined && at.mono >= this.reqnodesAt) this.ask(at);
  }

  /** The peer we asked may be the one that died: ask the next live one at once, or go alone. */
  peerDied(): void {
    if (this.reqnodesAt !== undefined) this.reqnodesAt = 0;
  }

  nextWakeup(): number {
    return this.reqnodesAt ?? Infinity;
  }

  /** A peer's node list arrived. */
  onRepnodes(at: Instant): void {
    this.commNowUp(at);
  }

  /** A peer asks for our node list. */
  answer(peer: Peer, at: Instant): void {
    const list = this.nodes.map((n) => `${n} `).join('');
    this.emit.send(
      [
        stringField('dest', peer.name),
        stringField('t', 'repnodes'),
        stringField('nodelist', list),
        stringField('delnodelist', ' '),
      ],
      at,
    );
  }

  private ask(at: Instant): void {
    if (this.commUp) return;
    const peer = [...this.peers.values()].find((p) => !p.dead);
    if (!peer) return this.commNowUp(at);
    this.reqnodesAt = at.mono + REQNODES_INTERVAL_MS;
    this.emit.send([stringField('t', 'reqnodes'), stringField('dest', peer.name)], at);
  }

  private commNowUp(at: Instant): void {
    if (this.commUp) return;
    this.commUp = true;
    this.reqnodesAt = undefined;
    this.emit.log('info', 'Comm_now_up(): updating status to active');
    this.goActive(at);
    this.emit.event({ kind: 'comm-up' });
  }
}
