// What the peer says it holds: its `starting`/`resource` reports checked against our haresources,
// a healed partition's double holding noticed, and a silent peer assumed to hold its own groups.
import type { Message } from '../../wire/message.js';
import { getString } from '../../wire/message.js';
import { hexField } from '../fields.js';
import type { Emitter } from '../emitter.js';
import type { Instant } from '../types.js';
import type { GroupInfo } from './groups.js';
import { placeGroup, type LocalGroup, type PeerView, type PlacementContext } from './placement.js';
import { parseReport, type HoldingsReport } from './report.js';
import { peerLostContact } from './report-sender.js';

/** heartbeat's RQSTDELAY: a peer that never reports its resources is assumed to hold its own. */
export const REPORT_WAIT_MS = 10_000;

export class PeerReports {
  /** When the peer was last heard alive again (start of the report wait). */
  aliveSince = 0;
  private readonly complained = new Set<string>();
  /** Per group, the peer's report after which we last announced it: older claims are covered. */
  private readonly announcedAfter = new Map<number, number>();

  constructor(
    private readonly infos: readonly GroupInfo[],
    private readonly groups: readonly LocalGroup[],
    private readonly emit: Emitter,
  ) {}

  /**
   * The peer is heard again (or for the first time): what we knew of it no longer holds. Back
   * after it was lost (a partition, or a crash), it may have taken over and announced what runs
   * here while we could not hear it, whether or not a report of it ever reaches us.
   */
  peerBack(peer: PeerView, at: Instant): void {
    const lost = peer.liveness === 'unknown' || peer.needsFencing;
    Object.assign(peer, newPeerView(peer.name), { liveness: 'alive' });
    this.aliveSince = at.mono;
    this.announcedAfter.clear();
    if (lost) for (const group of this.running()) group.contested = true;
  }

  /** The peer died or stopped: what it could not stop stays its own unless it is fenced. */
  peerGone(peer: PeerView, graceful: boolean, fencingConfigured: boolean): void {
    peer.liveness = 'dead';
    const unclean = peer.report?.unclean ?? new Set<number>();
    peer.needsFencing = !graceful || unclean.size > 0;
    peer.leftUnclean = unclean;
    peer.report = undefined;
    if (unclean.size === 0 || fencingConfigured) return;
    const names = [...unclean].map((i) => this.infos[i]?.name ?? '').join(', ');
    this.emit.log(
      'crit',
      `${peer.name} could not stop ${names}: not taking it over without fencing, as it may still run there`,
    );
  }

  /**
   * Takes in a report: 'stale' when a newer one was read already (a retransmission that came
   * late: its state is out of date), false when it was unusable (and said so once).
   */
  accept(peer: PeerView, fields: Message, ctx: PlacementContext): boolean | 'stale' {
    const seq = hexField(fields, 'seq') ?? 0;
    const parsed = parseReport(fields, this.infos);
    if (seq !== 0 && seq <= peer.reportSeq) {
      // Its state is old news, but what it held then may have drawn clients to it since.
      if (!('error' in parsed)) this.noteClaims(parsed.report, peerLostContact(fields), seq);
      this.reassertReleased(ctx);
      return 'stale';
    }
    const from = peer.name;
    if ('error' in parsed) {
      this.complain(`${from}:bad`, `${parsed.error} from ${from}`);
      return false;
    }
    for (const name of parsed.unknownGroups) {
      this.complain(`${from}:${name}`, `${from} holds group ${name}, which is not in haresources`);
    }
    const count = getString(fields, 'rsc_groups');
    if (count !== undefined && count !== String(this.infos.length)) {
      this.complain(
        `${from}:count`,
        `${from} has ${count} resource groups, we have ${this.infos.length}: haresources must be the same on both nodes`,
      );
    }
    const previous = peer.report;
    if (seq !== 0) peer.reportSeq = seq;
    if (peer.liveness !== 'dead') peer.liveness = 'alive';
    peer.report = parsed.report;
    this.noteDoubleHolding(ctx, previous, parsed.report);
    this.noteClaims(parsed.report, peerLostContact(fields), seq);
    this.reassertReleased(ctx);
    return true;
  }

  /** After REPORT_WAIT_MS without a report, the peer is taken to hold its own groups. */
  assumeIfSilent(peer: PeerView, at: Instant): void {
    if (peer.liveness !== 'alive' || peer.report || at.mono < this.aliveSince + REPORT_WAIT_MS)
      return;
    this.emit.log(
      'info',
      `No resource state from ${peer.name} after ${REPORT_WAIT_MS / 1000}s: assuming it holds its own groups`,
    );
    const own = this.infos.filter((g) => !g.local).map((g) => g.index);
    peer.report = {
      holds: new Set(own),
      failed: new Set(),
      failCounts: new Map(),
      unclean: new Set(),
      stable: true,
      shuttingDown: false,
      exact: false,
    };
  }

  /** Where a group that failed to start here goes, in words for the log. */
  failedFate(peer: PeerView | undefined, group: LocalGroup): string {
    if (peer?.liveness !== 'alive') return 'nobody can serve it until the peer is back';
    return peer.report?.failed.has(group.info.index)
      ? `it failed on ${peer.name} too: nobody serves it`
      : `handing it to ${peer.name}`;
  }

  /** Both nodes hold a group (a healed partition): say which one keeps it. */
  private noteDoubleHolding(
    ctx: PlacementContext,
    previous: HoldingsReport | undefined,
    report: HoldingsReport,
  ): void {
    for (const group of this.running()) {
      const index = group.info.index;
      if (!report.holds.has(index) || previous?.holds.has(index)) continue;
      const keep = placeGroup(ctx, group) === 'us';
      this.emit.log(
        'error',
        `Both nodes hold resource group ${group.info.name}: ${keep ? 'keeping it here' : 'releasing it here'}.`,
      );
      if (!keep) this.emit.log('crit', `Resource ${group.info.name} is active, and should not be!`);
    }
  }

  /**
   * A report, even a late one, that the peer held a group running here, or that it lost contact
   * with us (it may have taken over): its gratuitous ARP may have drawn clients to it.
   */
  private noteClaims(report: HoldingsReport, lostContact: boolean, seq: number): void {
    for (const group of this.running()) {
      const index = group.info.index;
      if (seq !== 0 && seq <= (this.announcedAfter.get(index) ?? 0)) continue;
      // An announcement already under way or due is later than anything the peer did then.
      const announcing = group.reassert || group.op === 'reassert';
      if (report.holds.has(index) || (lostContact && !announcing)) group.contested = true;
    }
  }

  /** The one that keeps a contested group announces it again once the peer no longer holds it. */
  private reassertReleased(ctx: PlacementContext): void {
    const report = ctx.peer?.liveness === 'alive' ? ctx.peer.report : undefined;
    if (!report) return;
    for (const group of this.running()) {
      if (!group.contested || report.holds.has(group.info.index)) continue;
      if (placeGroup(ctx, group) !== 'us') continue;
      group.contested = false;
      group.reassert = true;
      this.announcedAfter.set(group.info.index, ctx.peer?.reportSeq ?? 0);
    }
  }

  private running(): LocalGroup[] {
    return this.groups.filter((g) => g.holding === 'running');
  }

  private complain(key: string, text: string): void {
    if (this.complained.has(key)) return;
    this.complained.add(key);
    this.emit.log('error', text);
  }
}

export function newPeerView(name: string): PeerView {
  return {
    name,
    liveness: 'unknown',
    report: undefined,
    needsFencing: false,
    fenced: false,
    leftUnclean: new Set(),
    reportSeq: 0,
  };
}
