// THE ownership core: which groups this node acquires, releases or leaves alone, when the peer must
// be fenced first, and what it tells the peer. Pure: fed membership events, peer messages and
// operation results; emits sends, logs, group operations and fencing requests.
import type { AutoFailback } from '../../config/hacf/types.js';
import { getString, stringField, type Message } from '../../wire/message.js';
import type { Emitter } from '../emitter.js';
import type { GroupOp, GroupOutcome, Instant, MembershipEvent } from '../types.js';
import { FenceTracker } from './fence-tracker.js';
import type { GroupInfo } from './groups.js';
import {
  peerMayHold,
  placeGroup,
  type LocalGroup,
  type PeerView,
  type PlacementContext,
} from './placement.js';
import { coarseHold, parseReport, reportFields, type HoldingsReport } from './report.js';

/** heartbeat's RQSTDELAY: a peer that never reports its resources is assumed to hold its own. */
const REPORT_WAIT_MS = 10_000;

export interface OwnershipConfig {
  readonly localNode: string;
  /** Undefined in a one-node cluster. */
  readonly peer: string | undefined;
  readonly groups: readonly GroupInfo[];
  readonly autoFailback: AutoFailback;
  readonly fencingConfigured: boolean;
  /** What a status probe found running before joining (all of a group, or part of it). */
  readonly found?: readonly ('running' | 'partial' | 'stopped')[];
}

export type Phase = 'waiting' | 'active' | 'stopping' | 'stopped';

export class Ownership {
  readonly groups: LocalGroup[];
  readonly peer: PeerView | undefined;
  readonly fencing = new FenceTracker();
  phase: Phase = 'waiting';
  private peerAliveSince = 0;
  private lastReport = '';
  private settledOnce = false;
  private takeoverFrom: string | undefined;
  private readonly complained = new Set<string>();

  constructor(
    private readonly config: OwnershipConfig,
    private readonly emit: Emitter,
  ) {
    this.groups = config.groups.map((info) => {
      const found = config.found?.[info.index] ?? 'stopped';
      // Found running: held until the peer's state says otherwise; a part found is completed.
      return {
        info,
        holding: found === 'stopped' ? 'stopped' : 'running',
        op: undefined,
        failed: false,
        reassert: found === 'partial',
      };
    });
    this.peer = config.peer === undefined ? undefined : newPeerView(config.peer);
  }

  start(): void {
    for (const group of this.groups.filter((g) => g.holding === 'running')) {
      this.emit.log(
        'warn',
        `Resource group ${group.info.name} is already active here: it stays only if this node should hold it`,
      );
    }
    if (
      this.config.peer !== undefined &&
      this.groups.length > 0 &&
      !this.config.fencingConfigured
    ) {
      this.emit.log(
        'warn',
        'No STONITH device configured: a dead peer is not fenced before takeover.',
      );
    }
  }

  onMembership(event: MembershipEvent, at: Instant): void {
    const peer = this.peer;
    if (event.kind === 'comm-up') {
      if (this.phase === 'waiting') this.phase = 'active';
      const fields = this.reportFields();
      this.lastReport = JSON.stringify(fields);
      this.emit.send([stringField('t', 'starting'), ...fields], at);
    } else if (peer?.name !== event.node) {
      return;
    } else if (event.kind === 'peer-alive') {
      Object.assign(peer, newPeerView(peer.name), { liveness: 'alive' });
      this.peerAliveSince = at.mono;
      if (!this.fencing.running) this.fencing.reset();
      if (this.phase !== 'waiting') this.sendReport(at, true);
    } else {
      peer.liveness = 'dead';
      peer.needsFencing = !event.graceful || peer.report?.unclean === true;
      peer.report = undefined;
      // Its failure memory is gone with it: whatever failed here is worth another try.
      for (const group of this.groups) group.failed = false;
      this.takeoverFrom = peer.name;
      if (peer.needsFencing && this.config.fencingConfigured) this.fencing.request(at.mono);
    }
    this.reconcile(at);
  }

  /** A message from the peer that membership passed up (not status or protocol traffic). */
  onMessage(from: string, fields: Message, at: Instant): void {
    const peer = this.peer;
    const type = getString(fields, 't');
    if (peer?.name !== from || (type !== 'starting' && type !== 'resource')) return;
    const parsed = parseReport(fields, this.config.groups);
    if ('error' in parsed) return this.complain(`${from}:bad`, `${parsed.error} from ${from}`);
    for (const name of parsed.unknownGroups) {
      this.complain(`${from}:${name}`, `${from} holds group ${name}, which is not in haresources`);
    }
    const count = getString(fields, 'rsc_groups');
    if (count !== undefined && count !== String(this.groups.length)) {
      this.complain(
        `${from}:count`,
        `${from} has ${count} resource groups, we have ${this.groups.length}: haresources must be the same on both nodes`,
      );
    }
    const previous = peer.report;
    if (peer.liveness !== 'dead') peer.liveness = 'alive';
    peer.report = parsed.report;
    this.noteDoubleHolding(previous, parsed.report);
    if (type === 'starting' && this.phase !== 'waiting') this.sendReport(at, true);
    this.reconcile(at);
  }

  onGroupDone(index: number, outcome: GroupOutcome, at: Instant): void {
    const group = this.groups[index];
    if (!group?.op) return;
    const op = group.op;
    group.op = undefined;
    const name = group.info.name;
    if (outcome === 'unclean') {
      group.holding = 'unclean';
      this.emit.log(
        'crit',
        `Resource group ${name} could not be stopped: this node is unclean until it is fenced or cleaned up`,
      );
    } else if (op === 'release') {
      group.holding = 'stopped';
    } else if (outcome === 'ok') {
      group.holding = 'running';
    } else {
      group.failed = true;
      group.holding = op === 'acquire' ? 'stopped' : 'running';
      this.emit.log(
        'error',
        `Resource group ${name} failed to start here; ${this.failedGroupFate(group)}`,
      );
    }
    this.reconcile(at);
  }

  onFenceDone(node: string, ok: boolean, at: Instant): void {
    const peer = this.peer;
    if (peer?.name !== node || !this.fencing.running) return;
    if (ok) {
      this.fencing.reset();
      peer.liveness = 'dead';
      peer.fenced = true;
      peer.report = undefined;
    } else {
      const delay = this.fencing.failed(at.mono);
      this.emit.log(
        'error',
        `STONITH of ${node} failed (attempt ${this.fencing.failures}); retrying in ${delay / 1000}s. Its resources stay unserved until it is fenced.`,
      );
    }
    this.reconcile(at);
  }

  tick(at: Instant): void {
    // Membership ticks every keepalive; ownership only has work when one of its own timers is due.
    if (at.mono < this.nextWakeup()) return;
    const peer = this.peer;
    if (
      peer?.liveness === 'alive' &&
      !peer.report &&
      this.phase === 'active' &&
      at.mono - this.peerAliveSince >= REPORT_WAIT_MS
    ) {
      this.emit.log(
        'info',
        `No resource state from ${peer.name} after ${REPORT_WAIT_MS / 1000}s: assuming it holds its own groups`,
      );
      const own = this.groups.filter((g) => !g.info.local).map((g) => g.info.index);
      peer.report = {
        holds: new Set(own),
        failed: new Set(),
        unclean: false,
        stable: true,
        shuttingDown: false,
        exact: false,
      };
    }
    this.reconcile(at);
  }

  /** Graceful stop: release everything, last group first. */
  stop(at: Instant): void {
    if (this.phase === 'stopping' || this.phase === 'stopped') return;
    this.phase = 'stopping';
    this.emit.log('info', 'Giving up all HA resources.');
    this.reconcile(at);
  }

  nextWakeup(): number {
    const peer = this.peer;
    const waitingForReport = peer?.liveness === 'alive' && !peer.report && this.phase === 'active';
    return Math.min(
      this.fencing.nextWakeup(),
      waitingForReport ? this.peerAliveSince + REPORT_WAIT_MS : Infinity,
    );
  }

  /** heartbeat's rscstatus: what this node holds, or `transition` while anything is moving. */
  resourceState(): string {
    if (!this.isStable()) return 'transition';
    return coarseHold(this.config.groups, this.heldSet(), true);
  }

  private reconcile(at: Instant): void {
    if (this.phase === 'waiting' || this.phase === 'stopped') return;
    const ctx = this.context();
    if (
      this.peer?.liveness === 'alive' &&
      this.peer.report?.unclean &&
      this.config.fencingConfigured
    ) {
      this.fencing.request(at.mono);
    }
    const fenceNow = this.peer && this.fencing.startIfDue(at.mono) ? this.peer.name : undefined;
    const started: LocalGroup[] = [];
    const stopping = this.phase === 'stopping';
    // Stopping releases one group at a time, last first; otherwise groups move independently.
    const order = stopping ? [...this.groups].reverse() : this.groups;
    for (const group of order) {
      if (stopping && (group.op === 'release' || started.length > 0)) break;
      const op = this.nextOp(ctx, group);
      if (!op) continue;
      group.op = op;
      group.reassert = false;
      started.push(group);
    }
    // Claims go out before any agent runs, so the peer never sees a group as free that we take.
    this.sendReport(at, false);
    if (fenceNow) this.emit.fence(fenceNow);
    for (const group of started) this.announce(group);
    this.noteMilestones(at);
  }

  private announce(group: LocalGroup): void {
    const { line } = group.info;
    if (group.op === 'acquire') {
      if (this.takeoverFrom && !group.info.local)
        this.emit.log('info', `Resources being acquired from ${this.takeoverFrom}.`);
      this.emit.log('info', `Acquiring resource group: ${line}`);
    } else if (group.op === 'release') this.emit.log('info', `Releasing resource group: ${line}`);
    else this.emit.log('info', `Announcing resource group again: ${line}`);
    if (group.op) this.emit.group(group.op, group.info.index);
  }

  private noteMilestones(at: Instant): void {
    if (this.phase === 'stopping' && this.groups.every((g) => !g.op && g.holding !== 'running')) {
      this.phase = 'stopped';
      const unclean = this.groups.filter((g) => g.holding === 'unclean').map((g) => g.info.name);
      if (unclean.length === 0) this.emit.log('info', 'All HA resources relinquished.');
      else
        this.emit.log('crit', `Stopping with resource groups not released: ${unclean.join(', ')}`);
      this.sendReport(at, true);
      return;
    }
    if (!this.isStable()) return;
    if (!this.settledOnce) {
      this.settledOnce = true;
      const reason = this.peer?.liveness === 'alive' ? 'T_RESOURCES(us)' : 'mach_down';
      this.emit.log('info', `Initial resource acquisition complete (${reason})`);
    }
    if (this.takeoverFrom && this.peer?.liveness === 'dead') {
      this.takeoverFrom = undefined;
      this.emit.log('info', 'mach_down takeover complete.');
    }
  }

  /** What to do with a group now, if anything. */
  private nextOp(ctx: PlacementContext, group: LocalGroup): GroupOp | undefined {
    if (group.op) return undefined;
    const place = placeGroup(ctx, group);
    if (place === 'keep') return undefined;
    if (place !== 'us') return group.holding === 'running' ? 'release' : undefined;
    if (group.holding === 'running') return group.reassert ? 'reassert' : undefined;
    if (group.holding === 'stopped' && !peerMayHold(ctx, group.info.index)) return 'acquire';
    return undefined;
  }

  /** heartbeat's isstable: nothing in flight and nothing this node can do now. */
  private isStable(): boolean {
    const peer = this.peer;
    if (this.phase !== 'active' || !this.fencing.idle) return false;
    if (peer?.liveness === 'alive' ? !peer.report : peer?.liveness === 'unknown') return false;
    const ctx = this.context();
    return this.groups.every((group) => !group.op && !this.nextOp(ctx, group));
  }

  private sendReport(at: Instant, force: boolean): void {
    if (this.phase === 'waiting') return;
    const fields = this.reportFields();
    const key = JSON.stringify(fields);
    if (!force && key === this.lastReport) return;
    this.lastReport = key;
    this.emit.send([stringField('t', 'resource'), ...fields], at);
  }

  private reportFields(): ReturnType<typeof reportFields> {
    const report: Omit<HoldingsReport, 'exact'> = {
      holds: this.heldSet(),
      failed: new Set(this.groups.filter((g) => g.failed).map((g) => g.info.index)),
      unclean: this.groups.some((g) => g.holding === 'unclean'),
      stable: this.isStable(),
      shuttingDown: this.phase === 'stopping' || this.phase === 'stopped',
    };
    return reportFields(this.config.groups, report);
  }

  private heldSet(): Set<number> {
    return new Set(
      this.groups.filter((g) => g.holding !== 'stopped' || g.op).map((g) => g.info.index),
    );
  }

  private context(): PlacementContext {
    return {
      autoFailback: this.config.autoFailback,
      fencingConfigured: this.config.fencingConfigured,
      stopping: this.phase === 'stopping',
      peer: this.peer,
    };
  }

  /** Both nodes hold a group (a healed partition): the one that keeps it announces it again. */
  private noteDoubleHolding(previous: HoldingsReport | undefined, report: HoldingsReport): void {
    const ctx = this.context();
    for (const group of this.groups) {
      const index = group.info.index;
      if (group.holding !== 'running') continue;
      if (report.holds.has(index) && !previous?.holds.has(index)) {
        const keep = placeGroup(ctx, group) === 'us';
        this.emit.log(
          'error',
          `Both nodes hold resource group ${group.info.name}: ${keep ? 'keeping it here' : 'releasing it here'}.`,
        );
      } else if (
        previous?.holds.has(index) &&
        !report.holds.has(index) &&
        placeGroup(ctx, group) === 'us'
      ) {
        group.reassert = true;
      }
    }
  }

  private failedGroupFate(group: LocalGroup): string {
    const peer = this.peer;
    if (peer?.liveness !== 'alive') return 'nobody can serve it until the peer is back';
    return peer.report?.failed.has(group.info.index)
      ? `it failed on ${peer.name} too: nobody serves it`
      : `handing it to ${peer.name}`;
  }

  private complain(key: string, text: string): void {
    if (this.complained.has(key)) return;
    this.complained.add(key);
    this.emit.log('error', text);
  }
}

function newPeerView(name: string): PeerView {
  return { name, liveness: 'unknown', report: undefined, needsFencing: false, fenced: false };
}
