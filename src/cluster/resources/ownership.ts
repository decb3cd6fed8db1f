// THE ownership core: which groups this node acquires, releases or leaves alone, when the peer must
// be fenced first, and what it tells the peer. Pure: fed membership events, peer messages, operator
// commands and operation results; emits sends, logs, group operations and fencing requests.
import type { AutoFailback } from '../../config/hacf/types.js';
import { getString, type Message } from '../../wire/message.js';
import type { Emitter } from '../emitter.js';
import type { AgentResult, GroupOutcome, Instant, MembershipEvent } from '../types.js';
import { FenceTracker } from './fence-tracker.js';
import type { GroupInfo } from './groups.js';
import { Milestones } from './milestones.js';
import { MonitorPolicy, type RunMonitor } from './monitor-policy.js';
import { Monitors, type MonitorSettingsOf } from './monitors.js';
import { Moves, type MoveOwner } from './moves.js';
import { newPeerView, PeerReports, REPORT_WAIT_MS } from './peer-reports.js';
import {
  groupSettled,
  nextOp,
  peerMayHold,
  placeGroup,
  type LocalGroup,
  type PeerView,
  type PlacementContext,
} from './placement.js';
import { coarseHold } from './report.js';
import {
  answersOurAsk,
  asksForReport,
  peerRejoined,
  ReportSender,
  type OwnReport,
} from './report-sender.js';
import { StandbyExchange, type ResourceSet } from './standby.js';
import { adoptFound, type FoundState } from './startup-probe.js';
import { settleGroup } from './group-outcome.js';
import { GroupRetries } from './group-retries.js';
import { CLEANUP_MESSAGE, cleanupFields, cleanupRequested } from './cleanup-request.js';

export interface OwnershipConfig {
  readonly localNode: string;
  /** Undefined in a one-node cluster. */
  readonly peer: string | undefined;
  readonly groups: readonly GroupInfo[];
  readonly autoFailback: AutoFailback;
  readonly fencingConfigured: boolean;
  readonly monitorSettings: MonitorSettingsOf;
  readonly runMonitor: RunMonitor;
  /** An acquire under way goes no further: what runs of the group stops (it ends `cancelled`). */
  readonly abandonAcquire: (group: number) => void;
}

export type Phase = 'waiting' | 'active' | 'stopping' | 'stopped';

export class Ownership implements MoveOwner {
  readonly groups: LocalGroup[];
  readonly peer: PeerView | undefined;
  readonly fencing = new FenceTracker();
  readonly standby: StandbyExchange;
  phase: Phase = 'waiting';
  private readonly reports: PeerReports;
  private readonly sender: ReportSender;
  private readonly milestones: Milestones;
  private readonly moves: Moves;
  readonly monitoring: MonitorPolicy;
  private readonly retries: GroupRetries;
  /** Groups we un-failed by a cleanup, not acquired until the peer answers our `rsc_ask`. */
  private readonly awaitingPeer = new Set<number>();

  constructor(
    private readonly config: OwnershipConfig,
    private readonly emit: Emitter,
  ) {
    this.groups = config.groups.map((info) => ({
      info,
      holding: 'stopped',
      op: undefined,
      failed: false,
      reassert: false,
      contested: false,
      incomplete: false,
    }));
    this.peer = config.peer === undefined ? undefined : newPeerView(config.peer);
    this.standby = new StandbyExchange(config.localNode, emit);
    this.reports = new PeerReports(config.groups, this.groups, emit);
    this.sender = new ReportSender(config.groups, emit, () => this.ownReport());
    this.milestones = new Milestones(emit);
    this.retries = new GroupRetries(emit);
    this.moves = new Moves(this, this.standby, emit);
    const monitors = new Monitors(config.groups, config.monitorSettings);
    this.monitoring = new MonitorPolicy(
      config.localNode,
      this.groups,
      monitors,
      emit,
      config.runMonitor,
    );
  }

  /** `found`: what the start-up probe found of each group, held until the peer says otherwise. */
  start(found: readonly FoundState[]): void {
    adoptFound(this.groups, found, this.emit);
    if (this.peer && this.groups.length > 0 && !this.config.fencingConfigured) {
      this.emit.log(
        'warn',
        'No STONITH device configured: a dead peer is not fenced before takeover.',
      );
    }
  }

  onMembership(event: MembershipEvent, at: Instant): void {
    const peer = this.peer;
    // A ping node alone moves nothing (as in heartbeat, where mach_down skips ping nodes).
    if (event.kind === 'ping-up' || event.kind === 'ping-dead') return;
    if (event.kind === 'comm-up') {
      if (this.phase === 'waiting') this.phase = 'active';
      this.sender.starting(at);
    } else if (peer?.name !== event.node) {
      return;
    } else if (event.kind === 'peer-alive') {
      this.reports.peerBack(peer, at);
      this.standby.reset(`${peer.name} is back`);
      this.awaitingPeer.clear();
      if (!this.fencing.running) this.fencing.reset();
      if (this.phase !== 'waiting') this.sender.ask(at, true);
    } else {
      this.reports.peerGone(peer, event.graceful, this.config.fencingConfigured);
      this.standby.reset(`${peer.name} is dead`);
      this.awaitingPeer.clear();
      // Its failure memory is gone with it: whatever failed here is worth another try.
      for (const group of this.groups) group.failed = false;
      this.milestones.takeoverFrom = peer.name;
      if (peer.needsFencing && this.config.fencingConfigured) this.fencing.request(at.mono);
    }
    this.reconcile(at);
  }

  /** A message from the peer that membership passed up (not status or protocol traffic). */
  onMessage(from: string, fields: Message, at: Instant): void {
    const peer = this.peer;
    if (peer?.name !== from) return;
    const type = getString(fields, 't');
    if (type === 'ask_resources' || type === 'hb_takeover') {
      this.moves.onMessage(type, fields, at);
    } else if (type === CLEANUP_MESSAGE) {
      const asked = cleanupRequested(fields, this.config.groups);
      if (Array.isArray(asked)) this.cleanup(asked, at, from);
      else this.emit.log('error', `${from} asked to clean up [${asked.unknown}]: no such group`);
      return;
    } else if (type === 'starting' || type === 'resource') {
      const accepted = this.reports.accept(peer, fields, this.context());
      if (accepted === false) return;
      // A late report's state is old news (but may call for an announcement), and a question in
      // it still wants its answer.
      if (accepted === true) {
        // The peer (re)joined as it sees it, and forgot earlier moves: so do we, or it waits for
        // a group we think we moved to it while it thinks we hold it.
        if (peerRejoined(fields)) this.standby.reset(`${from} lost contact with us`);
        if (answersOurAsk(fields)) this.awaitingPeer.clear();
      }
      this.reconcile(at);
      // After deciding, so that the answer carries any group we claimed on what the peer said.
      if (asksForReport(fields) && this.phase !== 'waiting') this.sender.reply(at);
      return;
    } else return;
    this.reconcile(at);
  }

  /** An operator's hb_standby or hb_takeover; the result is why it cannot be done, if it cannot. */
  command(kind: 'standby' | 'takeover', set: ResourceSet, at: Instant): string | undefined {
    const refused = this.moves.command(kind, set, at);
    this.reconcile(at);
    return refused;
  }

  onGroupDone(index: number, outcome: GroupOutcome, at: Instant): void {
    const group = this.groups[index];
    if (!group?.op) return;
    const op = group.op;
    group.op = undefined;
    const why = this.phase === 'stopping' ? 'this node is stopping' : 'the peer keeps it';
    settleGroup(group, op, outcome, this.emit, why, () =>
      this.reports.failedFate(this.peer, group),
    );
    this.retries.settled(group, op, outcome, at);
    this.reconcile(at);
  }

  /** A monitor's status came back: the group may be recovered here or handed to the peer. */
  onMonitorResult(index: number, resource: number, result: AgentResult, at: Instant): void {
    const group = this.groups[index];
    if (!group) return;
    this.monitoring.onResult(group, resource, result, this.peer, at);
    this.reconcile(at);
  }

  /**
   * An operator's cleanup: the groups' failures are forgotten here and, when the peer is one of
   * ours, there too (`requestedBy`: the peer that passed it on), as Pacemaker cleans every node.
   */
  cleanup(indexes: readonly number[], at: Instant, requestedBy?: string): void {
    const failed = indexes.filter((i) => this.groups[i]?.failed === true);
    for (const index of indexes) {
      const group = this.groups[index];
      if (group) this.monitoring.cleanup(group);
    }
    // The peer may be taking a group our last report said we failed: until it has seen that we
    // no longer do, we leave such a group to it, or both could start it at once.
    const unfailed = failed.filter((i) => this.groups[i]?.failed === false);
    const peerAnswers = this.peer?.liveness === 'alive' && this.peer.report?.exact === true;
    if (peerAnswers) for (const i of unfailed) this.awaitingPeer.add(i);
    const names = indexes.map((i) => this.config.groups[i]?.name ?? '').join(' ');
    if (requestedBy !== undefined)
      this.emit.log('info', `Failures of ${names} forgotten here, as ${requestedBy} asked`);
    else if (peerAnswers) this.emit.send(cleanupFields(this.config.groups, indexes), at);
    if (this.awaitingPeer.size > 0) this.sender.ask(at, false);
    else this.sender.report(at, true);
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
    if (this.peer && this.phase === 'active') this.reports.assumeIfSilent(this.peer, at);
    this.standby.tick(at);
    this.monitoring.tick(at, this.phase === 'active');
    this.reconcile(at);
  }

  /** Graceful stop: release everything, last group first. */
  stop(at: Instant): void {
    if (this.phase === 'stopping' || this.phase === 'stopped') return;
    this.phase = 'stopping';
    this.standby.reset('this node is stopping');
    this.emit.log('info', 'Giving up all HA resources.');
    this.reconcile(at);
  }

  nextWakeup(): number {
    const peer = this.peer;
    const waiting = peer?.liveness === 'alive' && !peer.report && this.phase === 'active';
    return Math.min(
      this.fencing.nextWakeup(),
      this.standby.nextWakeup(),
      waiting ? this.reports.aliveSince + REPORT_WAIT_MS : Infinity,
      this.monitoring.monitors.nextWakeup(),
      // Asked after every packet: placement is looked at only while a retry waits.
      this.phase === 'active' && !this.retries.idle
        ? this.retries.nextWakeup(this.context(), this.groups)
        : Infinity,
    );
  }

  /** Our resource report now, with heartbeat's `info` comment (standby moves). */
  report(at: Instant, info: string): void {
    this.sender.report(at, true, info);
  }

  /** heartbeat's rscstatus: what this node holds, or `transition` while anything is moving. */
  resourceState(): string {
    if (!this.isStable()) return 'transition';
    return coarseHold(this.config.groups, this.heldSet(), true);
  }

  private reconcile(at: Instant): void {
    if (this.phase === 'waiting' || this.phase === 'stopped') return;
    this.monitoring.reconsider(this.peer, at);
    const ctx = this.context();
    if (
      this.peer?.liveness === 'alive' &&
      (this.peer.report?.unclean.size ?? 0) > 0 &&
      this.config.fencingConfigured
    ) {
      this.fencing.request(at.mono);
    }
    this.moves.failBackToLegacyPeer(at);
    // Both took a group and the peer keeps it: our start of it goes no further.
    for (const group of this.groups) {
      if (group.op !== 'acquire' || placeGroup(ctx, group) !== 'peer') continue;
      if (ctx.peer?.liveness !== 'alive' || !ctx.peer.report?.holds.has(group.info.index)) continue;
      this.config.abandonAcquire(group.info.index);
    }
    const fenceNow = this.peer && this.fencing.startIfDue(at.mono) ? this.peer.name : undefined;
    const started: LocalGroup[] = [];
    const stopping = this.phase === 'stopping';
    // Stopping releases one group at a time, last first; otherwise groups move independently.
    const order = stopping ? [...this.groups].reverse() : this.groups;
    for (const group of order) {
      if (stopping && (group.op === 'release' || started.length > 0)) break;
      // What keeps failing is tried again while the node runs on (not while it stops).
      const active = this.phase === 'active';
      const op = nextOp(ctx, group) ?? (active ? this.retries.due(ctx, group, at) : undefined);
      if (!op || (op === 'acquire' && this.awaitingPeer.has(group.info.index))) continue;
      group.op = op;
      // A release lets the group go, and a reassert announces it: either settles a pending
      // announcement, which an acquire of the rest of a group or a recovery only postpones.
      if (op === 'release' || op === 'reassert') {
        group.reassert = false;
        group.contested = false;
      }
      group.incomplete = false;
      started.push(group);
    }
    // Claims go out before any agent runs, so the peer never sees a group as free that we take.
    this.sender.report(at, false);
    if (fenceNow) this.emit.fence(fenceNow);
    for (const group of started) this.milestones.announce(group);
    if (this.phase === 'stopping' && this.groups.every((g) => !g.op && g.holding !== 'running')) {
      this.phase = 'stopped';
      this.milestones.stopped(this.groups);
      this.sender.report(at, true);
      return;
    }
    this.moves.progress(at);
    // Not while a group that should come here still runs on the peer (a failback under way).
    const waiting = this.groups.some(
      (g) =>
        g.holding === 'stopped' &&
        !g.op &&
        placeGroup(ctx, g) === 'us' &&
        peerMayHold(ctx, g.info.index),
    );
    if (this.isStable() && !waiting) this.milestones.stable(this.peer?.liveness === 'alive');
    // A group found partly running is completed before it is monitored.
    const steady = (g: LocalGroup): boolean =>
      this.phase === 'active' && g.holding === 'running' && !g.op && !g.incomplete;
    this.monitoring.schedule(steady, at);
  }

  /** heartbeat's isstable: nothing in flight, no move under way, nothing this node can do now. */
  isStable(): boolean {
    const peer = this.peer;
    if (this.phase !== 'active' || !this.fencing.idle || !this.standby.idle) return false;
    if (peer?.liveness === 'alive' ? !peer.report : peer?.liveness === 'unknown') return false;
    const ctx = this.context();
    return this.groups.every((group) => groupSettled(ctx, group));
  }

  private ownReport(): OwnReport {
    return {
      holds: this.heldSet(),
      failed: new Set(this.groups.filter((g) => g.failed).map((g) => g.info.index)),
      failCounts: this.monitoring.monitors.counts(),
      unclean: new Set(this.groups.filter((g) => g.holding === 'unclean').map((g) => g.info.index)),
      stable: this.isStable(),
      shuttingDown: this.phase === 'stopping' || this.phase === 'stopped',
    };
  }

  private heldSet(): Set<number> {
    return new Set(
      this.groups.filter((g) => g.holding !== 'stopped' || g.op).map((g) => g.info.index),
    );
  }

  context(): PlacementContext {
    return {
      autoFailback: this.config.autoFailback,
      fencingConfigured: this.config.fencingConfigured,
      stopping: this.phase === 'stopping',
      peer: this.peer,
      pins: this.standby.pins,
      awaitingDone: this.standby.awaitingDone,
    };
  }
}
