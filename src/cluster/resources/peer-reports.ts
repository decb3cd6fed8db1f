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

/** heartbeat's RQSTDELAY: a peer that never reports its resources is assumed to hold its own. */
export const REPORT_WAIT_MS = 10_000;

export class PeerReports {
  /** When the peer was last heard alive again (start of the report wait). */
  aliveSince = 0;
  private readonly complained = new Set<string>();

  constructor(
    private readonly infos: readonly GroupInfo[],
    private readonly groups: readonly LocalGroup[],
    private readonly emit: Emitter,
  ) {}

  /** The peer is heard again (or for the first time): what we knew of it no longer holds. */
  peerBack(peer: PeerView, at: Instant): void {
    Object.assign(peer, newPeerView(peer.name), { liveness: 'alive' });
    this.aliveSince = at.mono;
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
    if (seq !== 0 && seq <= peer.reportSeq) return 'stale';
    const parsed = parseReport(fields, this.infos);
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

  /** Both nodes hold a group (a healed partition): the one that keeps it announces it again. */
  private noteDoubleHolding(
    ctx: PlacementContext,
    previous: HoldingsReport | undefined,
    report: HoldingsReport,
  ): void {
    for (const group of this.groups) {
      const index = group.info.index;
      if (group.holding !== 'running') continue;
      if (report.holds.has(index) && !previous?.holds.has(index)) {
        const keep = placeGroup(ctx, group) === 'us';
        this.emit.log(
          'error',
          `Both nodes hold resource group ${group.info.name}: ${keep ? 'keeping it here' : 'releasing it here'}.`,
        );
        if (!keep)
          this.emit.log('crit', `Resource ${group.info.name} is active, and should not be!`);
      } else if (
        previous?.holds.has(index) &&
        !report.holds.has(index) &&
        placeGroup(ctx, group) === 'us'
      ) {
        group.reassert = true;
      }
    }
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
