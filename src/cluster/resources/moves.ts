// Groups moved on purpose: an operator's standby or takeover, a peer's hb_takeover, and failing
// back to a heartbeat 3.0.6 peer, all through heartbeat's standby handshake.
import { getString, stringField, type Message } from '../../wire/message.js';
import type { Emitter } from '../emitter.js';
import type { Instant } from '../types.js';
import {
  groupSettled,
  placeGroup,
  type LocalGroup,
  type PeerView,
  type PlacementContext,
} from './placement.js';
import {
  mirrorSet,
  parseSet,
  type ResourceSet,
  type StandbyExchange,
  type StandbyParty,
} from './standby.js';

/** What of the ownership core a move looks at. */
export interface MoveOwner {
  readonly peer: PeerView | undefined;
  readonly groups: readonly LocalGroup[];
  readonly phase: 'waiting' | 'active' | 'stopping' | 'stopped';
  isStable(): boolean;
  context(): PlacementContext;
  /** Our resource report now, with heartbeat's `info` comment. */
  report(at: Instant, info: string): void;
}

export class Moves {
  constructor(
    private readonly owner: MoveOwner,
    private readonly standby: StandbyExchange,
    private readonly emit: Emitter,
  ) {}

  /** An operator's hb_standby or hb_takeover; the result is why it cannot be done, if it cannot. */
  command(kind: 'standby' | 'takeover', set: ResourceSet, at: Instant): string | undefined {
    const peer = this.owner.peer;
    if (!peer) return 'this is a one-node cluster: there is nobody to move resources to';
    if (kind === 'standby') return this.standby.request(this.party(), set, at);
    const refused = this.party().unreadiness();
    if (refused !== undefined) return refused;
    this.emit.log(
      'info',
      `Asking ${peer.name} to hand over its ${mirrorSet(set)} resources [${set}].`,
    );
    this.emit.send([stringField('t', 'hb_takeover'), stringField('rsc_hold', set)], at);
    return undefined;
  }

  /** The peer's `ask_resources` or `hb_takeover`. */
  onMessage(type: string, fields: Message, at: Instant): void {
    if (type === 'ask_resources') return this.standby.onAsk(this.party(), fields, at);
    // The peer wants our groups: we go standby for the same groups, named from our side.
    const set = parseSet(getString(fields, 'rsc_hold') ?? 'all');
    const refused =
      set === undefined ? 'bad rsc_hold' : this.standby.request(this.party(), mirrorSet(set), at);
    if (refused !== undefined)
      this.emit.log(
        'warn',
        `Takeover request from ${this.owner.peer?.name ?? '?'} ignored: ${refused}.`,
      );
  }

  /** After every decision: a move that finished on our side says so. */
  progress(at: Instant): void {
    this.standby.progress(this.party(), at);
  }

  /**
   * A heartbeat 3.0.6 peer only takes groups through the standby handshake, so failing back to it
   * means asking to go standby for its groups (as heartbeat's own auto failback does).
   */
  failBackToLegacyPeer(at: Instant): void {
    const { owner } = this;
    const report = owner.peer?.liveness === 'alive' ? owner.peer.report : undefined;
    if (!report || report.exact || !report.stable || owner.phase !== 'active') return;
    if (!this.standby.idle || !owner.isStable()) return;
    const ctx = owner.context();
    const goHome = owner.groups.some(
      (g) => g.holding === 'running' && !g.info.local && placeGroup(ctx, g) === 'peer',
    );
    if (goHome) this.standby.request(this.party(), 'foreign', at);
  }

  private party(): StandbyParty {
    const { owner } = this;
    return {
      peer: owner.peer?.name ?? '',
      groups: owner.groups,
      unreadiness: () => {
        const peer = owner.peer;
        if (owner.phase !== 'active')
          return `this node is ${owner.phase === 'waiting' ? 'still starting' : 'stopping'}`;
        if (peer?.liveness !== 'alive') return `${peer?.name ?? 'the peer'} is not active`;
        if (!peer.report?.stable) return `${peer.name}'s resources are in flux`;
        if (!this.standby.idle) return 'a standby is already running';
        return owner.isStable() ? undefined : 'local resources are in flux';
      },
      busy: (groups) => {
        const ctx = owner.context();
        return groups.some((g) => !groupSettled(ctx, g));
      },
      report: (at, info) => owner.report(at, info),
    };
  }
}
