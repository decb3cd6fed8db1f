// Who should hold each resource group, given what both nodes know: the rules both nodes apply
// identically, so each one only ever releases what the other should take, or takes what is free.
import type { AutoFailback } from '../../config/hacf/types.js';
import type { GroupOp } from '../types.js';
import type { GroupInfo } from './groups.js';
import type { HoldingsReport } from './report.js';

export type Holding = 'stopped' | 'running' | 'unclean';

export interface LocalGroup {
  readonly info: GroupInfo;
  holding: Holding;
  op: GroupOp | undefined;
  /** Its start failed here: the peer should serve it if it can. */
  failed: boolean;
  /** The peer just let go of it after both held it: announce its addresses again (a healed partition). */
  reassert: boolean;
  /** The peer may have announced its addresses while it ran here (a partition): once the peer
   *  holds it no more, announce them again. */
  contested: boolean;
  /** Found partly running at start-up: the rest of it still has to start. */
  incomplete: boolean;
}

export interface PeerView {
  readonly name: string;
  liveness: 'unknown' | 'alive' | 'dead';
  /** Its latest resource state since it was last heard alive; undefined: not known yet. */
  report: HoldingsReport | undefined;
  /** It died without releasing cleanly (crash, partition, or a stop that failed). */
  needsFencing: boolean;
  /** Reset by a fencing device since it was declared dead. */
  fenced: boolean;
  /** Groups it said it could not stop before it died: they may still run there. */
  leftUnclean: ReadonlySet<number>;
  /** Sequence number of the report in `report`: an older one arriving later is stale. */
  reportSeq: number;
}

/** Desired holder: us, the peer, nobody (it failed on both), or keep as is (not enough known). */
export type Placement = 'us' | 'peer' | 'none' | 'keep';

export interface PlacementContext {
  readonly autoFailback: AutoFailback;
  readonly fencingConfigured: boolean;
  readonly stopping: boolean;
  /** Undefined in a one-node cluster. */
  readonly peer: PeerView | undefined;
  /** Groups an operator moved on purpose (standby, takeover): they stay put until a node leaves. */
  readonly pins: ReadonlyMap<number, 'us' | 'peer'>;
  /** Groups the peer is handing over in a standby move: its own until it says done. */
  readonly awaitingDone: ReadonlySet<number>;
}

/** The peer is gone and provably holds nothing: dead and fenced, or released cleanly. */
export function peerClear(ctx: PlacementContext): boolean {
  const { peer } = ctx;
  if (!peer) return true;
  if (peer.liveness !== 'dead') return false;
  return peer.fenced || !peer.needsFencing || !ctx.fencingConfigured;
}

/** Whether starting this group now could make two holders. */
export function peerMayHold(ctx: PlacementContext, index: number): boolean {
  // Without fencing a dead peer stays clear for what it stopped, never for what it could not.
  const peer = ctx.peer;
  if (peer?.liveness === 'dead' && !peer.fenced && peer.leftUnclean.has(index)) return true;
  if (peerClear(ctx)) return false;
  if (ctx.awaitingDone.has(index)) return true;
  const report = ctx.peer?.liveness === 'alive' ? ctx.peer.report : undefined;
  return report ? report.holds.has(index) : true;
}

export function placeGroup(ctx: PlacementContext, group: LocalGroup): Placement {
  if (ctx.stopping) return 'peer';
  const alone = group.failed ? 'none' : 'us';
  if (peerClear(ctx)) return alone;
  const report = ctx.peer?.liveness === 'alive' ? ctx.peer.report : undefined;
  if (!report) return 'keep';
  if (report.shuttingDown) return alone;
  const index = group.info.index;
  const failedThere = report.failed.has(index);
  if (group.failed || failedThere) {
    if (group.failed && failedThere) return 'none';
    return group.failed ? 'peer' : 'us';
  }
  const pin = ctx.pins.get(index);
  if (pin) return pin;
  const home = group.info.local ? 'us' : 'peer';
  if (ctx.autoFailback !== 'off') return home;
  // auto_failback off: a group stays where it runs; a group held by both goes home.
  const here = group.holding !== 'stopped';
  const there = report.holds.has(index);
  if (here !== there) return here ? 'us' : 'peer';
  return home;
}

/** What to do with a group now, if anything. */
export function nextOp(ctx: PlacementContext, group: LocalGroup): GroupOp | undefined {
  if (group.op) return undefined;
  const place = placeGroup(ctx, group);
  if (place === 'keep') return undefined;
  if (place !== 'us') {
    if (group.holding !== 'running') return undefined;
    // A heartbeat 3.0.6 peer takes a group only through the standby handshake, never by itself;
    // one it already holds too (both held it across a partition) is simply let go here.
    const report = ctx.peer?.liveness === 'alive' ? ctx.peer.report : undefined;
    const legacyPeer = report !== undefined && !report.exact && !report.shuttingDown;
    const handedOver = ctx.pins.get(group.info.index) === 'peer';
    const heldThere = report?.holds.has(group.info.index) === true;
    const waitForHandshake = legacyPeer && place === 'peer' && !handedOver && !heldThere;
    return waitForHandshake && !ctx.stopping ? undefined : 'release';
  }
  if (group.holding === 'running') {
    // The rest of a group found partly running starts once the peer cannot hold it any more.
    if (group.incomplete) return peerMayHold(ctx, group.info.index) ? undefined : 'acquire';
    return group.reassert ? 'reassert' : undefined;
  }
  if (group.holding === 'stopped' && !peerMayHold(ctx, group.info.index)) return 'acquire';
  return undefined;
}

/**
 * Nothing under way or due that changes who holds the group: announcing its addresses again
 * moves nothing, so it neither makes the node unstable nor holds up a standby.
 */
export function groupSettled(ctx: PlacementContext, group: LocalGroup): boolean {
  if (group.op !== undefined && group.op !== 'reassert') return false;
  const next = nextOp(ctx, group);
  return next === undefined || next === 'reassert';
}
