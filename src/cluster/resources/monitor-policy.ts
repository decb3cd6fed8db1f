// What a failed monitor leads to: the group recovered in place (the failed resource and those
// right of it restarted), or, once a resource has failed migration_threshold times here, the group
// handed to a healthy peer that has not failed it too; never left down while a node could run it.
import type { Emitter } from '../emitter.js';
import type { AgentResult, Instant } from '../types.js';
import type { Monitors } from './monitors.js';
import type { LocalGroup, PeerView } from './placement.js';

/**
 * Runs one monitor (the agent's status with the monitor timeout) through the sequencer; false when
 * another operation of the group is under way.
 */
export type RunMonitor = (group: number, resource: number, timeoutMs: number) => boolean;

export class MonitorPolicy {
  /** Groups that left this node because of monitor failures (their `failed` is ours to clear). */
  private readonly left = new Set<number>();

  constructor(
    private readonly localNode: string,
    private readonly groups: readonly LocalGroup[],
    readonly monitors: Monitors,
    private readonly emit: Emitter,
    private readonly runMonitor: RunMonitor,
  ) {}

  /** After every decision: monitors run only for groups that run steadily here. */
  schedule(steady: (group: LocalGroup) => boolean, at: Instant): void {
    for (const group of this.groups) {
      if (steady(group)) this.monitors.arm(group.info.index, at);
      else this.monitors.disarm(group.info.index);
    }
  }

  /** Forgets expired failures and, unless the node is joining or stopping, runs what is due. */
  tick(at: Instant, active: boolean): void {
    this.monitors.forgetExpired(at);
    if (!active) return;
    for (const { info } of this.groups) {
      const due = this.monitors.nextDue(info.index, at);
      if (due && !this.runMonitor(info.index, due.resource, due.timeoutMs))
        this.monitors.finished(info.index, due.resource);
    }
  }

  /** A monitor's status came back; the group may get an operation (`op` set) or be failed here. */
  onResult(
    group: LocalGroup,
    resource: number,
    result: AgentResult,
    peer: PeerView | undefined,
    at: Instant,
  ): void {
    const index = group.info.index;
    this.monitors.finished(index, resource);
    // The group started moving while the monitor ran: what it found no longer matters.
    if (group.op || group.holding !== 'running') return;
    const ok = result.operation === 'status' && result.state === 'running';
    const detail = result.detail;
    const count = this.monitors.record(
      index,
      resource,
      { ok, detail, wallSeconds: at.wallSeconds },
      at,
    );
    if (ok) return;
    const text = group.info.resources[resource]?.text ?? '';
    const threshold = this.monitors.threshold(index, resource);
    const of = threshold > 0 ? ` of ${threshold}` : '';
    this.emit.log(
      'error',
      `Resource ${text} failed its monitor on ${this.localNode} (${detail}): failure ${count}${of}`,
    );
    const taker = this.monitors.exhausted(index, at) ? peerThatCanTake(peer, index) : undefined;
    if (taker) {
      group.failed = true;
      this.left.add(index);
      this.emit.log(
        'warn',
        `Resource group ${group.info.name} failed too often here: moving it to ${taker}`,
      );
      return;
    }
    this.emit.log(
      'info',
      `Recovering resource group ${group.info.name} here: restarting ${text} and what follows it`,
    );
    group.op = 'recover';
    this.emit.group('recover', index, resource);
  }

  /** The group left this node because of monitor failures, and may not come back yet. */
  leftHere(group: number): boolean {
    return this.left.has(group);
  }

  /**
   * An operator's cleanup, as Pacemaker's: every failure forgotten (monitor failures and a failed
   * start), so a group that left, or failed to start, may run here again.
   */
  cleanup(group: LocalGroup): void {
    this.monitors.clear(group.info.index);
    this.left.delete(group.info.index);
    group.failed = false;
  }

  /**
   * A group that left because of failures comes back into play once they are forgotten, or when
   * the peer failed it as well: then this node, which only failed it now and then, serves it.
   */
  reconsider(peer: PeerView | undefined, at: Instant): void {
    for (const group of this.groups) this.reconsiderOne(group, peer, at);
  }

  private reconsiderOne(group: LocalGroup, peer: PeerView | undefined, at: Instant): void {
    const index = group.info.index;
    if (!this.left.has(index)) return;
    // Cleared elsewhere (the peer died, and its failure memory with it): nothing left to wait for.
    if (!group.failed) {
      this.left.delete(index);
      return;
    }
    const failedThere =
      peer?.liveness === 'alive' && peer.report?.failed.has(index) === true ? peer.name : undefined;
    if (failedThere === undefined && this.monitors.exhausted(index, at)) return;
    this.left.delete(index);
    group.failed = false;
    this.emit.log(
      'info',
      failedThere === undefined
        ? `Resource group ${group.info.name}: its failures here have expired`
        : `Resource group ${group.info.name} failed on ${failedThere} too: serving it here again`,
    );
  }
}

/** The peer's name if it can take a group now: alive, one of ours, healthy, not failed there. */
function peerThatCanTake(peer: PeerView | undefined, index: number): string | undefined {
  const report = peer?.liveness === 'alive' ? peer.report : undefined;
  if (!peer || !report?.exact || report.shuttingDown || report.unclean.size > 0) return undefined;
  return report.failed.has(index) ? undefined : peer.name;
}
