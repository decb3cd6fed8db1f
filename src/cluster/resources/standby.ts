// heartbeat's standby handshake (`ask_resources` me -> other -> done -> done), which hb_standby,
// hb_takeover and a heartbeat peer's auto failback all use to move groups on purpose: the giver
// releases only once the taker agreed, and the taker starts only once the giver said done.
import { getString, stringField, type Message } from '../../wire/message.js';
import type { Emitter } from '../emitter.js';
import type { Instant } from '../types.js';
import type { LocalGroup } from './placement.js';
import type { CoarseHold } from './report.js';

/** heartbeat's STANDBY_INIT_TO_MS: how long the asker waits for the other node to agree. */
export const STANDBY_REPLY_MS = 10_000;
/** heartbeat's HB_STANDBY_RSC_TO_MS: how long either side waits for the groups to move. */
export const STANDBY_MOVE_MS = 60 * 60_000;

export type ResourceSet = Exclude<CoarseHold, 'none'>;
export type StandbyState = 'idle' | 'me' | 'other' | 'done';

export interface StandbyParty {
  readonly peer: string;
  readonly groups: readonly LocalGroup[];
  /** Why this node cannot take part in a move now (not stable, peer unknown...), if it cannot. */
  unreadiness(): string | undefined;
  /** Whether any of these groups has an operation in flight or one still to start. */
  busy(groups: readonly LocalGroup[]): boolean;
  /** Our resource report, with heartbeat's `info` comment. */
  report(at: Instant, info: string): void;
}

export class StandbyExchange {
  state: StandbyState = 'idle';
  /** The set being moved, from the requester's side (as on the wire). */
  set: ResourceSet = 'all';
  requester: string | undefined;
  private deadline = Infinity;
  /** We asked and the peer agreed: our groups are being released. */
  private releasing = false;
  /** Groups placed on purpose by the last move: index -> holder. Cleared by membership changes. */
  readonly pins = new Map<number, 'us' | 'peer'>();
  /** Groups the peer is giving up: still its own until it says done. */
  readonly awaitingDone = new Set<number>();

  constructor(
    private readonly localNode: string,
    private readonly emit: Emitter,
  ) {}

  get idle(): boolean {
    return this.state === 'idle';
  }

  /** This node asks to give up `set` (hb_standby); a string result is why it cannot. */
  request(party: StandbyParty, set: ResourceSet, at: Instant): string | undefined {
    const reason = this.state === 'idle' ? party.unreadiness() : 'a standby is already running';
    if (reason !== undefined) return reason;
    this.emit.log('info', `Going standby [${set}].`);
    this.begin('me', set, this.localNode, at.mono + STANDBY_REPLY_MS);
    this.emit.log('info', `${this.localNode} wants to go standby [${set}]`);
    this.send(at, 'me');
    return undefined;
  }

  /** The peer's `ask_resources`. */
  onAsk(party: StandbyParty, fields: Message, at: Instant): void {
    const info = getString(fields, 'info') ?? '';
    const set = parseSet(getString(fields, 'rsc_hold'));
    if (set === undefined) return this.ignored(party.peer, info);
    if (this.state === 'idle' && info === 'me') {
      const reason = party.unreadiness();
      if (reason !== undefined) {
        this.emit.log('warn', `standby message [me] from ${party.peer} ignored: ${reason}.`);
        return;
      }
      this.emit.log('info', `${party.peer} wants to go standby [${set}]`);
      this.begin('other', set, party.peer, at.mono + STANDBY_MOVE_MS);
      for (const group of selectGroups(party.groups, set, false)) {
        this.pins.set(group.info.index, 'us');
        this.awaitingDone.add(group.info.index);
      }
      this.send(at, 'other');
    } else if (this.state === 'me' && info === 'other') {
      this.emit.log('info', `standby: ${party.peer} can take our ${set} resources`);
      this.deadline = at.mono + STANDBY_MOVE_MS;
      this.releasing = true;
      for (const group of selectGroups(party.groups, set, true))
        this.pins.set(group.info.index, 'peer');
      party.report(at, 'standby');
    } else if (this.state === 'other' && info === 'done') {
      this.emit.log('info', `standby: acquire [${set}] resources from ${party.peer}`);
      this.awaitingDone.clear();
      this.state = 'done';
    } else if (this.state === 'done' && info === 'done' && this.requester === this.localNode) {
      this.emit.log('info', `Other node completed standby takeover of ${set} resources.`);
      this.finish();
    } else {
      this.ignored(party.peer, info);
    }
  }

  /** After every decision: has our side of the move finished? */
  progress(party: StandbyParty, at: Instant): void {
    if (this.state === 'me' && this.releasing) {
      if (party.busy(selectGroups(party.groups, this.set, true))) return;
      this.releasing = false;
      this.emit.log('info', `Local standby process completed [${this.set}].`);
      this.state = 'done';
      this.send(at, 'done');
    } else if (this.state === 'done' && this.requester !== this.localNode) {
      if (party.busy(selectGroups(party.groups, this.set, false))) return;
      this.emit.log('info', `Standby resource acquisition done [${this.set}].`);
      party.report(at, 'standby');
      this.send(at, 'done');
      this.finish();
    }
  }

  /** The peer died or came back: any move in progress is void, and so are earlier moves. */
  reset(reason: string): void {
    if (this.state !== 'idle') this.emit.log('warn', `Standby request cancelled: ${reason}.`);
    this.finish();
    this.pins.clear();
  }

  tick(at: Instant): void {
    if (at.mono < this.deadline) return;
    this.emit.log('warn', 'No reply to standby request.  Standby request cancelled.');
    this.finish();
  }

  nextWakeup(): number {
    return this.deadline;
  }

  private begin(state: StandbyState, set: ResourceSet, requester: string, deadline: number): void {
    this.state = state;
    this.set = set;
    this.requester = requester;
    this.deadline = deadline;
  }

  private finish(): void {
    this.state = 'idle';
    this.requester = undefined;
    this.deadline = Infinity;
    this.releasing = false;
    this.awaitingDone.clear();
  }

  private send(at: Instant, info: 'me' | 'other' | 'done'): void {
    this.emit.send(
      [
        stringField('t', 'ask_resources'),
        stringField('rsc_hold', this.set),
        stringField('info', info),
      ],
      at,
    );
  }

  private ignored(from: string, info: string): void {
    this.emit.log('error', `Ignored standby message '${info}' from ${from} in state ${this.state}`);
  }
}

export function parseSet(text: string | undefined): ResourceSet | undefined {
  return text === 'all' || text === 'local' || text === 'foreign' ? text : undefined;
}

/** The other node's name for the same groups: its local ones are our foreign ones. */
export function mirrorSet(set: ResourceSet): ResourceSet {
  return set === 'all' ? 'all' : set === 'local' ? 'foreign' : 'local';
}

/** The groups of `set` as the requester means it; `ours`: this node is the requester. */
export function selectGroups(
  groups: readonly LocalGroup[],
  set: ResourceSet,
  ours: boolean,
): LocalGroup[] {
  if (set === 'all') return [...groups];
  const wantLocalHere = (set === 'local') === ours;
  return groups.filter((g) => g.info.local === wantLocalHere);
}
