// heartbeat's ipfail, built in: when connectivity changes, each node asks the other how many ping
// nodes it sees, and the one that sees fewer gives up its groups through the standby handshake
// after 2 x keepalive. Same messages, fields and log lines as heartbeat 3.0.6's ipfail, so either
// side may be the real one.
import { getString, stringField, type Field, type Message } from '../wire/message.js';
import type { Emitter } from './emitter.js';
import type { Instant } from './types.js';

/** heartbeat's ipfail sleeps this long after the peer became stable before counting again. */
const RECHECK_AFTER_STABLE_MS = 10_000;
const CLIENT_ID = 'ipfail';
/**
 * heartbeat's ipfail reads its messages on a 1 s timer, so a heartbeat peer's count can come that
 * much later than 2 x keepalive allows for: giving up sooner would move groups when both nodes
 * lost the ping node, one of them a little later.
 */
const LEGACY_PEER_LAG_MS = 1000;
/** Message types ipfail handles; heartbeat delivers them to the client named by `to_id`. */
export const IPFAIL_MESSAGES = new Set(['num_ping_nodes', 'you_are_dead', 'abort_giveup']);

export interface IpfailHost {
  readonly localNode: string;
  readonly peer: string | undefined;
  readonly keepaliveMs: number;
  readonly autoFailback: boolean;
  livePingNodes(): number;
  /** Our resources are not in transition (heartbeat's rscstatus). */
  stable(): boolean;
  holdsForeign(): boolean;
  /** The peer is heartbeat 3.0.6 (its reports lack our exact fields). */
  peerIsLegacy(): boolean;
  /** hb_standby for `set`; the result is why it cannot be done, if it cannot. */
  standby(set: 'all' | 'foreign', at: Instant): string | undefined;
}

export class Ipfail {
  private giveupAt = Infinity;
  private giveupSet: 'all' | 'foreign' = 'all';
  private needStandby = false;
  private recheckAt = Infinity;
  /** heartbeat starts ipfail once comm is up: it hears nothing before. */
  private signedOn = false;

  constructor(
    private readonly host: IpfailHost,
    private readonly emit: Emitter,
  ) {}

  /** Comm is up: ipfail signs on, and the peer's ipfail hears of it. */
  signOn(at: Instant): void {
    this.signedOn = true;
    this.emit.send(
      [
        stringField('t', 'hbapi-clstat'),
        stringField('st', 'join'),
        stringField('from_id', CLIENT_ID),
        stringField('to_id', CLIENT_ID),
        stringField('info', 'signon'),
        stringField('client_gen', '0'),
      ],
      at,
    );
  }

  pingNodeUp(node: string, at: Instant): void {
    if (!this.signedOn) return;
    this.emit.log('info', `Status update: Node ${node} now has status ping`);
    this.emit.log('info', 'A ping node just came up.');
    this.ask(at);
  }

  /** A ping node died: heartbeat tells ipfail its node status and then its link's. */
  pingNodeDead(node: string, at: Instant): void {
    if (!this.signedOn) return;
    this.nodeDead(node);
    this.emit.log('info', `Link Status update: Link ${node}/${node} now has status dead`);
    if (this.host.livePingNodes() > 0) {
      this.ask(at);
      this.emit.log('info', 'Checking remote count of ping nodes.');
    } else {
      this.emit.log('info', 'We are dead. :<');
      this.ask(at);
    }
  }

  nodeDead(node: string): void {
    if (!this.signedOn) return;
    this.emit.log('info', `Status update: Node ${node} now has status dead`);
    this.emit.log(
      'info',
      this.host.livePingNodes() > 0 ? 'NS: We are still alive!' : 'NS: We are dead. :<',
    );
  }

  /** A message from the peer; the ones that are not ipfail's are ignored. */
  onMessage(from: string, fields: Message, at: Instant): void {
    const type = getString(fields, 't');
    if (!this.signedOn || from !== this.host.peer) return;
    if (type === 'num_ping_nodes') this.compare(Number(getString(fields, 'num_ping')), at);
    else if (type === 'you_are_dead') {
      this.emit.log('info', 'Giving up because we were told that we have less ping nodes.');
      this.delayGiveup('all', at);
    } else if (type === 'abort_giveup') this.abortGiveup();
    else if (type === 'hbapi-clstat') {
      if (getString(fields, 'st') === 'join' && getString(fields, 'from_id') === CLIENT_ID)
        this.ask(at);
    } else if (type === 'resource') this.peerResources(fields, at);
  }

  tick(at: Instant): void {
    if (at.mono >= this.giveupAt) {
      this.giveupAt = Infinity;
      this.giveup(at);
    }
    if (at.mono >= this.recheckAt) {
      this.recheckAt = Infinity;
      this.needStandby = false;
      this.ask(at);
    }
  }

  nextWakeup(): number {
    return Math.min(this.giveupAt, this.recheckAt);
  }

  private compare(theirs: number, at: Instant): void {
    if (!Number.isInteger(theirs)) return;
    const mine = this.host.livePingNodes();
    if (mine > theirs) {
      this.emit.log('info', 'Telling other node that we have more visible ping nodes.');
      this.emit.send([stringField('t', 'you_are_dead'), ...this.address()], at);
    } else if (mine < theirs) {
      this.emit.log('info', 'Giving up because we have less visible ping nodes.');
      this.delayGiveup('all', at);
    } else {
      this.emit.log('info', 'Ping node count is balanced.');
      this.emit.send([stringField('t', 'abort_giveup'), ...this.address()], at);
      if (this.giveupAt !== Infinity) this.abortGiveup();
      // heartbeat's ipfail goes standby for foreign groups even when it holds none, which only
      // crosses the peer's own standby; there is nothing to give back then.
      else if (this.host.autoFailback && this.host.stable() && this.host.holdsForeign()) {
        this.emit.log('info', 'Giving up foreign resources (auto_failback).');
        this.delayGiveup('foreign', at);
      }
    }
  }

  /** Asks the peer's ipfail to compare its count of live ping nodes with ours. */
  private ask(at: Instant): void {
    if (this.host.peer === undefined) return;
    this.emit.log('info', 'Asking other side for ping node count.');
    this.emit.send(
      [
        stringField('t', 'num_ping_nodes'),
        stringField('num_ping', String(this.host.livePingNodes())),
        ...this.address(),
      ],
      at,
    );
  }

  private delayGiveup(set: 'all' | 'foreign', at: Instant): void {
    const delay = 2 * this.host.keepaliveMs + (this.host.peerIsLegacy() ? LEGACY_PEER_LAG_MS : 0);
    this.emit.log('info', `Delayed giveup in ${Math.floor(delay / 1000)} seconds.`);
    this.giveupSet = set;
    this.giveupAt = at.mono + delay;
  }

  private abortGiveup(): void {
    if (this.giveupAt === Infinity) {
      this.emit.log('info', 'No giveup timer to abort.');
      return;
    }
    this.giveupAt = Infinity;
    this.emit.log('info', 'Aborted delayed giveup.');
  }

  private giveup(at: Instant): void {
    this.emit.log('info', 'giveup() called (timeout worked)');
    if (!this.host.stable()) {
      this.needStandby = true;
      return;
    }
    this.needStandby = false;
    const refused = this.host.standby(this.giveupSet, at);
    if (refused !== undefined)
      this.emit.log('warn', `ipfail: cannot give up ${this.giveupSet} resources: ${refused}.`);
  }

  /** The peer's stable report (the one without `info`) lets a pending standby be reconsidered. */
  private peerResources(fields: Message, at: Instant): void {
    const stable = getString(fields, 'isstable') === '1' && getString(fields, 'info') === undefined;
    if (stable && this.needStandby && this.recheckAt === Infinity)
      this.recheckAt = at.mono + RECHECK_AFTER_STABLE_MS;
  }

  /** heartbeat's sendnodemsg to the peer, stamped as from and to the ipfail client. */
  private address(): Field[] {
    return [
      stringField('dest', this.host.peer ?? ''),
      stringField('from_id', CLIENT_ID),
      stringField('to_id', CLIENT_ID),
      stringField('client_gen', '0'),
    ];
  }
}
