// THE membership core: heartbeats out, node and link status in, heartbeat 3.0.6's protocol rules.
// Pure: fed start/tick/receive with an Instant, returns Actions; no timers, I/O or clock of its own.
import type { Level } from '../log/levels.js';
import { getBinary, getString, stringField, type Field, type Message } from '../wire/message.js';
import { decimalField, hexField } from './fields.js';
import { Outbox } from './outbox.js';
import { Peer } from './peer.js';
import { RateLimit } from './rate-limit.js';
import type { Action, Instant, MembershipConfig, NodeStatus } from './types.js';

const REQNODES_INTERVAL_MS = 1000;
const REXMIT_INTERVAL_MS = 250;
const REXMIT_BATCH = 50;
const ACK_EVERY = 10;
/** Complaints about one source (bad packets, unknown nodes, replays) at most this often. */
const COMPLAINT_INTERVAL_MS = 10_000;

export class Membership {
  private readonly peers = new Map<string, Peer>();
  private readonly outbox: Outbox;
  private readonly complaints = new RateLimit(COMPLAINT_INTERVAL_MS);
  private readonly ownLinksUp = new Set<string>();
  private localStatus: 'init' | 'up' | 'active' = 'init';
  /** Every peer heard from or dead: from then on each peer's own dead time applies, not initdead. */
  private linksUp = false;
  private commUp = false;
  private reqnodesAt: number | undefined;
  private nextStatusAt = 0;
  private out: Action[] = [];

  constructor(private readonly config: MembershipConfig) {
    this.outbox = new Outbox(config, (node) => this.peers.get(node)?.uuid);
  }

  start(at: Instant): Action[] {
    this.config.nodes
      .filter((n) => n !== this.config.localNode)
      .forEach((name, i) =>
        this.peers.set(
          name,
          new Peer(name, this.config.links, at.mono, (this.config.generation + i) % ACK_EVERY),
        ),
      );
    this.sendStatus(at);
    this.setLocalStatus('up', at);
    this.nextStatusAt = at.mono + this.config.keepaliveMs;
    this.checkCommUp(at);
    return this.flush();
  }

  tick(at: Instant): Action[] {
    const now = at.mono;
    if (now >= this.nextStatusAt) {
      this.sendStatus(at);
      this.nextStatusAt += this.config.keepaliveMs;
      // After a stall longer than keepalive, send once and keep the rhythm from now.
      if (this.nextStatusAt <= now) this.nextStatusAt = now + this.config.keepaliveMs;
    }
    for (const peer of this.peers.values()) {
      if (!peer.dead && now - peer.lastStatusAt >= this.deadAfter(peer)) this.markDead(peer);
    }
    for (const peer of this.peers.values()) this.expireLinks(peer, now);
    this.askForRetransmissions(at);
    if (this.reqnodesAt !== undefined && now >= this.reqnodesAt) this.sendReqnodes(at);
    this.checkCommUp(at);
    return this.flush();
  }

  /** An authenticated message that arrived on `link`. */
  receive(fields: Message, link: string, at: Instant): Action[] {
    this.handle(fields, link, at);
    return this.flush();
  }

  /** Graceful stop: tell the peers we are gone, so they need not wait for deadtime. */
  stop(at: Instant): Action[] {
    this.send([stringField('t', 'shutdone'), stringField('st', 'dead')], at);
    return this.flush();
  }

  /** When the core next needs a tick (monotonic ms). */
  nextWakeup(): number {
    let next = this.nextStatusAt;
    for (const peer of this.peers.values()) {
      if (!peer.dead) next = Math.min(next, peer.lastStatusAt + this.deadAfter(peer));
      for (const state of peer.links.values())
        if (state.up) next = Math.min(next, state.lastHeard + this.deadAfter(peer));
      for (const due of peer.rexmitDue.values()) next = Math.min(next, due);
    }
    if (this.reqnodesAt !== undefined) next = Math.min(next, this.reqnodesAt);
    return next;
  }

  nodeStatus(node: string): NodeStatus | undefined {
    return node === this.config.localNode ? this.localStatus : this.peers.get(node)?.status;
  }

  linkStatus(node: string, link: string): 'up' | 'dead' | undefined {
    if (!this.config.links.includes(link)) return undefined;
    if (node === this.config.localNode) return this.ownLinksUp.has(link) ? 'up' : 'dead';
    const state = this.peers.get(node)?.links.get(link);
    return state === undefined ? undefined : state.up ? 'up' : 'dead';
  }

  /**
   * How long a peer may stay silent. Before every peer was first heard, initdead (as heartbeat).
   * Then our own deadtime, or the longer one the peer advertises in `dt` (its start-up or restart
   * window), bounded so that a bogus `dt` cannot keep a dead node alive: we never fence sooner than
   * our ha.cf says, and never wait longer than max(initdead, deadtime + 30 s).
   */
  private deadAfter(peer: Peer): number {
    const { deadtimeMs, initdeadMs } = this.config;
    if (!this.linksUp) return initdeadMs;
    const advertised = peer.advertisedDeadMs ?? deadtimeMs;
    return Math.min(Math.max(advertised, deadtimeMs), Math.max(initdeadMs, deadtimeMs + 30_000));
  }

  private handle(fields: Message, link: string, at: Instant): void {
    const type = getString(fields, 't');
    const src = getString(fields, 'src');
    const ts = hexField(fields, 'ts');
    if (type === undefined || src === undefined || getString(fields, 'ts') === undefined) {
      return this.complain(
        `bad:${link}`,
        'error',
        `process_clustermsg: missing from/ts/type: iface ${link}, from ${src ?? '?'}`,
        at,
      );
    }
    if (src === this.config.localNode) return this.ownLink(link);
    const peer = this.peers.get(src);
    if (!peer)
      return this.complain(
        `unknown:${src}`,
        'error',
        `process_status_message: bad node [${src}] in message`,
        at,
      );
    if (!ts) return;
    const generation = getString(fields, 'hg') === undefined ? 0 : hexField(fields, 'hg');
    if (generation === undefined)
      return this.complain(
        `hg:${src}`,
        'error',
        `should_drop_message: bad generation number from ${src}`,
        at,
      );
    this.learnUuid(peer, getBinary(fields, 'srcuuid'));
    const toUs = this.addressedToUs(fields);
    if (type.startsWith('NS_')) {
      if (!toUs) return;
      this.refreshLink(peer, link, at.mono);
      return this.handleUnsequenced(type, peer, fields, at);
    }
    const seq = hexField(fields, 'seq');
    if (!seq)
      return this.complain(
        `seq:${src}`,
        'error',
        `should_drop_message: bad sequence number from ${src}`,
        at,
      );
    if (!this.acceptSequenced(type, peer, generation, seq, link, at)) return;
    if (!toUs) return;
    this.refreshLink(peer, link, at.mono);
    if (type === 'status') this.onStatus(peer, fields, seq, at);
    else if (type === 'reqnodes') this.answerReqnodes(peer, at);
    else if (type === 'repnodes') this.commNowUp(at);
    else if (type === 'shutdone') this.onShutdown(peer);
    else this.out.push({ type: 'deliver', from: peer.name, fields });
  }

  /** Generation and sequence rules; false when the message is to be dropped. */
  private acceptSequenced(
    type: string,
    peer: Peer,
    generation: number,
    seq: number,
    link: string,
    at: Instant,
  ): boolean {
    const isStatus = type === 'status';
    if (isStatus && peer.dead && generation === peer.track.generation && generation > 0) {
      if (seq <= peer.statusSeq) return false;
      this.log('crit', `Cluster node ${peer.name} returning after partition.`);
    }
    const { judgement, restarted } = peer.track.judge(isStatus, generation, seq);
    if (restarted) {
      this.log('info', `Heartbeat restart on node ${peer.name}`);
      peer.heard = false;
      peer.rexmitDue.clear();
    }
    switch (judgement.kind) {
      case 'replay':
        this.complain(
          `replay:${peer.name}`,
          'error',
          `should_drop_message: attempted replay attack [${peer.name}]? [gen = ${generation}, curgen = ${judgement.current}]`,
          at,
        );
        return false;
      case 'old':
        return false;
      case 'duplicate':
        this.refreshLink(peer, link, at.mono);
        return false;
      case 'gap': {
        this.log(
          'warn',
          `${judgement.last - judgement.first + 1} lost packet(s) for [${peer.name}] [${judgement.first - 1}:${judgement.last + 1}]`,
        );
        for (let s = judgement.first; s <= judgement.last; s++)
          peer.rexmitDue.set(s, at.mono + 50 + ((s * 37) % 200));
        return true;
      }
      case 'lost-a-lot':
        this.log(
          'error',
          `lost a lot of packets! (${judgement.last - judgement.first + 1} from ${peer.name})`,
        );
        peer.rexmitDue.clear();
        return true;
      case 'filled':
        peer.rexmitDue.delete(seq);
        if (judgement.noneMissing) this.log('info', `No pkts missing from ${peer.name}!`);
        this.maybeAck(peer, at);
        return true;
      case 'in-order':
        if (seq % ACK_EVERY === peer.ackPhase) this.maybeAck(peer, at);
        return true;
    }
  }

  private onStatus(peer: Peer, fields: Message, seq: number, at: Instant): void {
    const st = getString(fields, 'st');
    if (st === undefined || !/^[A-Za-z][A-Za-z0-9_-]{1,30}$/.test(st)) {
      return this.complain(
        `st:${peer.name}`,
        'error',
        `HBDoMsg_T_STATUS: status update without a valid st field from ${peer.name}`,
        at,
      );
    }
    if (peer.heard) {
      const interval = Math.round(at.mono - peer.lastStatusAt);
      if (interval > this.config.deadtimeMs) {
        this.log('crit', `Late heartbeat: Node ${peer.name}: interval ${interval} ms (> deadtime)`);
        if (!peer.dead) this.markDead(peer);
      } else if (interval > this.config.warntimeMs) {
        this.log('warn', `Late heartbeat: Node ${peer.name}: interval ${interval} ms`);
      }
    }
    const dt = hexField(fields, 'dt');
    if (dt !== undefined) peer.advertisedDeadMs = dt;
    peer.lastStatusAt = at.mono;
    peer.heard = true;
    peer.statusSeq = seq;
    if (peer.status.toLowerCase() !== st.toLowerCase()) {
      this.log('info', `Status update for node ${peer.name}: status ${st}`);
      peer.status = st;
    }
    this.checkCommUp(at);
  }

  private handleUnsequenced(type: string, peer: Peer, fields: Message, at: Instant): void {
    if (type === 'NS_rexmit') return this.retransmit(peer, fields, at);
    if (type === 'NS_nak_rexmit') {
      const seq = hexField(fields, 'firstseq');
      if (!seq)
        return this.complain(
          `nak:${peer.name}`,
          'error',
          'should_drop_message: bad nak seq number',
          at,
        );
      this.log('error', `Irretrievably lost packet: node ${peer.name} seq ${seq}`);
      peer.track.forget(seq);
      peer.rexmitDue.delete(seq);
    }
    // NS_ackmsg: we keep a fixed history and need no flow control, so acks need no action.
  }

  private retransmit(peer: Peer, fields: Message, at: Instant): void {
    const first = decimalField(fields, 'firstseq');
    const last = decimalField(fields, 'lastseq');
    if (!first || !last || first > last)
      return this.complain(
        `rexmit:${peer.name}`,
        'error',
        `Invalid rexmit seqnos from ${peer.name}`,
        at,
      );
    for (let seq = first; seq <= Math.min(last, first + REXMIT_BATCH - 1); seq++) {
      if (seq > this.outbox.lastSeq) {
        this.complain(
          `rexmit-max:${peer.name}`,
          'warn',
          `Rexmit of seq ${seq} requested. ${this.outbox.lastSeq} is max.`,
          at,
        );
        return;
      }
      const stored = this.outbox.resend(seq, at.mono, REXMIT_INTERVAL_MS - 10);
      if (stored === 'recent') continue;
      if (stored === 'gone') {
        this.log('error', `Cannot rexmit pkt ${seq} for ${peer.name}: seqno not found`);
        this.send(
          [
            stringField('t', 'NS_nak_rexmit'),
            stringField('firstseq', seq.toString(16)),
            stringField('dest', peer.name),
            stringField('info', 'seqno not found'),
          ],
          at,
        );
        continue;
      }
      this.out.push({ type: 'send', fields: stored });
    }
  }

  private askForRetransmissions(at: Instant): void {
    for (const peer of this.peers.values()) {
      if (peer.status !== 'up' && peer.status !== 'active') continue;
      for (const [seq, due] of peer.rexmitDue) {
        if (due > at.mono) continue;
        peer.rexmitDue.set(seq, at.mono + REXMIT_INTERVAL_MS);
        this.send(
          [
            stringField('t', 'NS_rexmit'),
            stringField('dest', peer.name),
            stringField('firstseq', String(seq)),
            stringField('lastseq', String(seq)),
          ],
          at,
        );
      }
    }
  }

  private maybeAck(peer: Peer, at: Instant): void {
    const upTo = peer.track.contiguous;
    if (upTo > 0)
      this.send(
        [
          stringField('t', 'NS_ackmsg'),
          stringField('dest', peer.name),
          stringField('ackseq', upTo.toString(16)),
        ],
        at,
      );
  }

  private answerReqnodes(peer: Peer, at: Instant): void {
    const list = this.config.nodes.map((n) => `${n} `).join('');
    this.send(
      [
        stringField('dest', peer.name),
        stringField('t', 'repnodes'),
        stringField('nodelist', list),
        stringField('delnodelist', ' '),
      ],
      at,
    );
  }

  private checkCommUp(at: Instant): void {
    if (this.linksUp) return;
    if (![...this.peers.values()].every((p) => p.heard || p.dead)) return;
    this.linksUp = true;
    this.sendReqnodes(at);
  }

  /** Ask the first live peer for its node list (heartbeat's handshake), or go active alone. */
  private sendReqnodes(at: Instant): void {
    if (this.commUp) return;
    const peer = [...this.peers.values()].find((p) => !p.dead);
    if (!peer) return this.commNowUp(at);
    this.reqnodesAt = at.mono + REQNODES_INTERVAL_MS;
    this.send([stringField('t', 'reqnodes'), stringField('dest', peer.name)], at);
  }

  private commNowUp(at: Instant): void {
    if (this.commUp) return;
    this.commUp = true;
    this.reqnodesAt = undefined;
    this.log('info', 'Comm_now_up(): updating status to active');
    this.setLocalStatus('active', at);
  }

  private setLocalStatus(status: 'up' | 'active', at: Instant): void {
    this.localStatus = status;
    this.log('info', `Local status now set to: '${status}'`);
    this.sendStatus(at);
  }

  private sendStatus(at: Instant): void {
    this.send(
      [
        stringField('t', 'status'),
        stringField('st', this.localStatus),
        stringField('dt', this.config.deadtimeMs.toString(16)),
        stringField('protocol', '1'),
      ],
      at,
    );
  }

  private onShutdown(peer: Peer): void {
    this.log('info', `Received shutdown notice from '${peer.name}'.`);
    if (!peer.dead) this.markDead(peer);
  }

  private markDead(peer: Peer): void {
    this.log('warn', `node ${peer.name}: is dead`);
    peer.status = 'dead';
    peer.heard = false;
    peer.track.reset();
    peer.rexmitDue.clear();
    for (const [name, state] of peer.links) {
      if (!state.up) continue;
      state.up = false;
      this.log('info', `Link ${peer.name}:${name} dead.`);
    }
    if (this.reqnodesAt !== undefined) this.reqnodesAt = 0;
  }

  private expireLinks(peer: Peer, now: number): void {
    for (const [name, state] of peer.links) {
      if (state.up && now - state.lastHeard >= this.deadAfter(peer)) {
        state.up = false;
        this.log('info', `Link ${peer.name}:${name} dead.`);
      }
    }
  }

  private refreshLink(peer: Peer, link: string, now: number): void {
    const state = peer.links.get(link);
    if (!state) return;
    state.lastHeard = now;
    if (state.up) return;
    state.up = true;
    this.log('info', `Link ${peer.name}:${link} up.`);
  }

  private ownLink(link: string): void {
    if (this.ownLinksUp.has(link) || !this.config.links.includes(link)) return;
    this.ownLinksUp.add(link);
    this.log('info', `Link ${this.config.localNode}:${link} up.`);
  }

  private learnUuid(peer: Peer, uuid: Uint8Array | undefined): void {
    if (!uuid || uuid.length !== 16) return;
    if (peer.uuid && Buffer.compare(peer.uuid, uuid) !== 0)
      this.log('info', `node ${peer.name} changed its uuid`);
    peer.uuid = uuid;
  }

  private addressedToUs(fields: Message): boolean {
    const destUuid = getBinary(fields, 'destuuid');
    if (destUuid) return Buffer.compare(destUuid, this.config.uuid) === 0;
    const dest = getString(fields, 'dest');
    return dest === undefined || dest === this.config.localNode;
  }

  private send(fields: Field[], at: Instant): void {
    this.out.push({ type: 'send', fields: this.outbox.stamp(fields, at) });
  }

  private log(level: Level, text: string): void {
    this.out.push({ type: 'log', level, text });
  }

  private complain(key: string, level: Level, text: string, at: Instant): void {
    const suppressed = this.complaints.allow(key, at.mono);
    if (suppressed === undefined) return;
    this.log(level, suppressed > 0 ? `${text} (${suppressed} more since last report)` : text);
  }

  private flush(): Action[] {
    const actions = this.out;
    this.out = [];
    return actions;
  }
}
