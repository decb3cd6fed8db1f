// THE membership core: heartbeats out, node and link status in, heartbeat 3.0.6's protocol rules.
// Pure: fed start/tick/receive/stop with an Instant, returns Actions; no timers, I/O or clock.
import { getBinary, getString, stringField, type Message } from '../wire/message.js';
import { Emitter } from './emitter.js';
import { hexField } from './fields.js';
import { Join } from './join.js';
import { expireLinks, nextLinkDeadline, refreshLink } from './links.js';
import { Outbox } from './outbox.js';
import { Peer } from './peer.js';
import { PingNodes, type PingStatus } from './ping-nodes.js';
import { answerRexmit, askForRetransmissions, nextRexmitAt, onNak } from './retransmission.js';
import { ACK_EVERY, acceptSequenced } from './sequencing.js';
import type { Action, Instant, MembershipConfig, NodeStatus } from './types.js';

/** However long a peer's advertised dead time, never wait more than this beyond our own. */
const MAX_EXTRA_DEAD_MS = 30_000;

export class Membership {
  private readonly peers = new Map<string, Peer>();
  private readonly emit: Emitter;
  private readonly ownLinksUp = new Set<string>();
  private readonly join: Join;
  private readonly pingNodes: PingNodes;
  private localStatus: 'init' | 'up' | 'active' = 'init';
  private nextStatusAt = 0;

  constructor(private readonly config: MembershipConfig) {
    this.emit = new Emitter(new Outbox(config, (node) => this.peers.get(node)?.uuid));
    this.pingNodes = new PingNodes(config.pingNodes ?? [], config.warntimeMs, this.emit);
    this.join = new Join(
      config.nodes,
      this.peers,
      () => this.pingNodes.everySeen,
      this.emit,
      (at) => this.setLocalStatus('active', at),
    );
  }

  /** Where the layers above membership add their own actions to the same stamped stream. */
  get emitter(): Emitter {
    return this.emit;
  }

  start(at: Instant): Action[] {
    const others = this.config.nodes.filter((n) => n !== this.config.localNode);
    others.forEach((name, i) => {
      const phase = (this.config.generation + i) % ACK_EVERY;
      this.peers.set(name, new Peer(name, this.config.links, at.mono, phase));
    });
    this.pingNodes.start(at);
    this.sendStatus(at);
    this.setLocalStatus('up', at);
    this.nextStatusAt = at.mono + this.config.keepaliveMs;
    this.join.check(at);
    return this.emit.flush();
  }

  tick(at: Instant): Action[] {
    const now = at.mono;
    if (now >= this.nextStatusAt) {
      this.sendStatus(at);
      this.nextStatusAt += this.config.keepaliveMs;
      // After a stall longer than keepalive, send once and keep the rhythm from now.
      if (this.nextStatusAt <= now) this.nextStatusAt = now + this.config.keepaliveMs;
    }
    // Deadlines are compared as nextWakeup computes them: `now - last` can round below the span
    // at the very instant the deadline falls due, and the node would be woken again and again.
    for (const peer of this.peers.values()) {
      if (!peer.dead && now >= peer.lastStatusAt + this.deadAfter(peer)) this.markDead(peer);
      expireLinks(peer, now, this.deadAfter(peer), this.emit);
    }
    this.pingNodes.expire(now, this.pingDeadAfter());
    askForRetransmissions(this.peers.values(), this.emit, at);
    this.join.tick(at);
    this.join.check(at);
    return this.emit.flush();
  }

  /** An authenticated message that arrived on `link`. */
  receive(fields: Message, link: string, at: Instant): Action[] {
    this.handle(fields, link, at);
    return this.emit.flush();
  }

  /** Graceful stop: tell the peers we are gone, so they need not wait for deadtime. */
  stop(at: Instant): Action[] {
    this.emit.send([stringField('t', 'shutdone'), stringField('st', 'dead')], at);
    return this.emit.flush();
  }

  /** When the core next needs a tick (monotonic ms). */
  nextWakeup(): number {
    let next = this.nextStatusAt;
    for (const peer of this.peers.values()) {
      const deadAfter = this.deadAfter(peer);
      if (!peer.dead) next = Math.min(next, peer.lastStatusAt + deadAfter);
      // Requests wait while the peer is not up; waking for them then would change nothing.
      next = Math.min(next, nextLinkDeadline(peer, deadAfter), nextRexmitAt(peer));
    }
    next = Math.min(next, this.pingNodes.nextWakeup(this.pingDeadAfter()));
    return Math.min(next, this.join.nextWakeup());
  }

  /** An ICMP echo reply from a ping node's address. */
  pingReply(address: string, at: Instant): Action[] {
    this.pingNodes.reply(address, at);
    this.join.check(at);
    return this.emit.flush();
  }

  /** Ping node names in ha.cf order. */
  get pingNodeNames(): string[] {
    return this.pingNodes.names;
  }

  /** How many ping nodes answer now (a ping_group counts once). */
  get livePingNodes(): number {
    return this.pingNodes.liveCount;
  }

  nodeStatus(node: string): NodeStatus | PingStatus | undefined {
    if (node === this.config.localNode) return this.localStatus;
    return this.peers.get(node)?.status ?? this.pingNodes.status(node);
  }

  /** ms since the node's last heartbeat, if one ever arrived (a dead node's last one too). */
  heardAgo(node: string, now: number): number | undefined {
    const peer = this.peers.get(node);
    if (!peer) return this.pingNodes.heardAgo(node, now);
    return peer.statusSeq > 0 ? now - peer.lastStatusAt : undefined;
  }

  linkStatus(node: string, link: string): 'up' | 'dead' | undefined {
    const ping = this.pingNodes.linkStatus(node, link);
    if (ping !== undefined) return ping;
    if (!this.config.links.includes(link)) return undefined;
    if (node === this.config.localNode) return this.ownLinksUp.has(link) ? 'up' : 'dead';
    const state = this.peers.get(node)?.links.get(link);
    return state === undefined ? undefined : state.up ? 'up' : 'dead';
  }

  /**
   * How long a peer may stay silent. Until every peer was first heard, initdead (as heartbeat).
   * Then our own deadtime, or the longer one the peer advertises in `dt` (its start-up or restart
   * window): we never declare a node dead sooner than our ha.cf says, and a bogus `dt` cannot
   * keep a dead node alive longer than max(initdead, deadtime + 30 s).
   */
  /** heartbeat waits initdead for ping nodes too until comm is up, then deadping. */
  private pingDeadAfter(): number {
    if (!this.join.linksUp) return this.config.initdeadMs;
    return this.config.deadpingMs ?? this.config.deadtimeMs;
  }

  private deadAfter(peer: Peer): number {
    const { deadtimeMs, initdeadMs } = this.config;
    if (!this.join.linksUp) return initdeadMs;
    const advertised = Math.max(peer.advertisedDeadMs ?? deadtimeMs, deadtimeMs);
    return Math.min(advertised, Math.max(initdeadMs, deadtimeMs + MAX_EXTRA_DEAD_MS));
  }

  private handle(fields: Message, link: string, at: Instant): void {
    const type = getString(fields, 't');
    const src = getString(fields, 'src');
    if (type === undefined || src === undefined || getString(fields, 'ts') === undefined) {
      const text = `process_clustermsg: missing from/ts/type: iface ${link}, from ${src ?? '?'}`;
      return this.emit.complain(`bad:${link}`, 'error', text, at);
    }
    if (src === this.config.localNode) return this.ownLink(link);
    const peer = this.peers.get(src);
    if (!peer) {
      return this.emit.complain(
        `unknown:${src}`,
        'error',
        `process_status_message: bad node [${src}] in message`,
        at,
      );
    }
    if (!hexField(fields, 'ts')) return; // heartbeat drops a zero or unreadable ts silently
    const generation = getString(fields, 'hg') === undefined ? 0 : hexField(fields, 'hg');
    if (generation === undefined) {
      return this.emit.complain(
        `hg:${src}`,
        'error',
        `should_drop_message: bad generation number from ${src}`,
        at,
      );
    }
    this.learnUuid(peer, getBinary(fields, 'srcuuid'));
    const toUs = this.addressedToUs(fields);
    if (type.startsWith('NS_')) {
      if (!toUs) return;
      refreshLink(peer, link, at.mono, this.emit);
      if (type === 'NS_rexmit') answerRexmit(peer, fields, this.emit, at);
      else if (type === 'NS_nak_rexmit') onNak(peer, fields, this.emit, at);
      // NS_ackmsg needs no action: our history is fixed-size and we have no flow control.
      return;
    }
    const seq = hexField(fields, 'seq');
    if (!seq) {
      return this.emit.complain(
        `seq:${src}`,
        'error',
        `should_drop_message: bad sequence number from ${src}`,
        at,
      );
    }
    const verdict = acceptSequenced(
      peer,
      { isStatus: type === 'status', generation, seq },
      this.emit,
      at,
    );
    if (verdict === 'duplicate') refreshLink(peer, link, at.mono, this.emit);
    if (verdict !== 'accept' || !toUs) return;
    refreshLink(peer, link, at.mono, this.emit);
    if (type === 'status') this.onStatus(peer, fields, seq, at);
    else if (type === 'reqnodes') this.join.answer(peer, at);
    else if (type === 'repnodes') this.join.onRepnodes(at);
    else if (type === 'shutdone') this.onShutdown(peer);
    else this.emit.deliver(peer.name, fields);
  }

  private onStatus(peer: Peer, fields: Message, seq: number, at: Instant): void {
    const st = getString(fields, 'st');
    if (st === undefined || !/^[A-Za-z][A-Za-z0-9_-]{1,30}$/.test(st)) {
      const text = `HBDoMsg_T_STATUS: status update without a valid st field from ${peer.name}`;
      return this.emit.complain(`st:${peer.name}`, 'error', text, at);
    }
    if (peer.heard) {
      const interval = Math.round(at.mono - peer.lastStatusAt);
      if (interval > this.config.deadtimeMs) {
        this.emit.log(
          'crit',
          `Late heartbeat: Node ${peer.name}: interval ${interval} ms (> deadtime)`,
        );
        if (!peer.dead) this.markDead(peer);
      } else if (interval > this.config.warntimeMs) {
        this.emit.log('warn', `Late heartbeat: Node ${peer.name}: interval ${interval} ms`);
      }
    }
    const dt = hexField(fields, 'dt');
    if (dt !== undefined) peer.advertisedDeadMs = dt;
    peer.lastStatusAt = at.mono;
    if (!peer.heard) this.peerAlive(peer);
    peer.heard = true;
    peer.statusSeq = seq;
    if (peer.status.toLowerCase() !== st.toLowerCase()) {
      this.emit.log('info', `Status update for node ${peer.name}: status ${st}`);
      peer.status = st;
    }
    this.join.check(at);
  }

  private peerAlive(peer: Peer): void {
    const afterPartition = peer.generationAtDeath === peer.track.generation;
    peer.generationAtDeath = undefined;
    this.emit.event({ kind: 'peer-alive', node: peer.name, afterPartition });
  }

  private setLocalStatus(status: 'up' | 'active', at: Instant): void {
    this.localStatus = status;
    this.emit.log('info', `Local status now set to: '${status}'`);
    this.sendStatus(at);
  }

  private sendStatus(at: Instant): void {
    const dt = this.config.deadtimeMs.toString(16);
    this.emit.send(
      [
        stringField('t', 'status'),
        stringField('st', this.localStatus),
        stringField('dt', dt),
        stringField('protocol', '1'),
      ],
      at,
    );
  }

  private onShutdown(peer: Peer): void {
    this.emit.log('info', `Received shutdown notice from '${peer.name}'.`);
    if (!peer.dead) this.markDead(peer, true);
  }

  private markDead(peer: Peer, graceful = false): void {
    this.emit.log('warn', `node ${peer.name}: is dead`);
    peer.generationAtDeath = graceful || !peer.heard ? undefined : peer.track.generation;
    peer.status = 'dead';
    peer.heard = false;
    peer.track.reset();
    peer.rexmitDue.clear();
    expireLinks(peer, Infinity, 0, this.emit);
    this.join.peerDied();
    this.emit.event({ kind: 'peer-dead', node: peer.name, graceful });
  }

  private ownLink(link: string): void {
    if (this.ownLinksUp.has(link) || !this.config.links.includes(link)) return;
    this.ownLinksUp.add(link);
    this.emit.log('info', `Link ${this.config.localNode}:${link} up.`);
  }

  private learnUuid(peer: Peer, uuid: Uint8Array | undefined): void {
    if (uuid?.length !== 16) return;
    if (peer.uuid && Buffer.compare(peer.uuid, uuid) !== 0) {
      this.emit.log('info', `node ${peer.name} changed its uuid`);
    }
    peer.uuid = uuid;
  }

  private addressedToUs(fields: Message): boolean {
    const destUuid = getBinary(fields, 'destuuid');
    if (destUuid) return Buffer.compare(destUuid, this.config.uuid) === 0;
    const dest = getString(fields, 'dest');
    return dest === undefined || dest === this.config.localNode;
  }
}
