// Turns each group operation into its agents' operations, one decision per result: statuses all at
// once, starts left to right with a rollback right to left when one fails, stops right to left with
// retries on the core's own timer, announcements again for a reassert, restarts for a recovery,
// and monitors, never two operations of one group at a time. Pure.
import { announcesAddress, type ResourceSpec } from '../../config/resource-spec.js';
import type { Emitter } from '../emitter.js';
import type {
  AgentOperation,
  AgentResult,
  GroupOp,
  GroupOutcome,
  Instant,
  MonitorSettings,
} from '../types.js';
import type { GroupInfo } from './groups.js';

/** heartbeat retries a failed stop 10 times; a few tries with a pause catch the transient cases. */
export const STOP_ATTEMPTS = 3;
export const STOP_RETRY_PAUSE_MS = 1000;

/** How long each agent operation may take (timeouts.ini), looked up at each call. */
export interface OperationTimeouts {
  forOperation(spec: ResourceSpec, operation: AgentOperation): number;
  monitorFor(spec: ResourceSpec): MonitorSettings;
}

type Step =
  /** Statuses in flight; `running[i]` is what resource i's said (false until then). */
  | { readonly kind: 'status'; readonly waiting: Set<number>; readonly running: boolean[] }
  | { readonly kind: 'start'; readonly resource: number; readonly running: readonly boolean[] }
  | {
      readonly kind: 'stop';
      /** Resources still to stop, the next first. */
      readonly queue: number[];
      attempt: number;
      retryAt: number | undefined;
      unclean: boolean;
      /**
       * Once all stopped: the outcome (a rollback ends as failed or cancelled, a release ok), or
       * for a recovery the resource to start again from.
       */
      readonly then: GroupOutcome | { readonly restartFrom: number };
    }
  | { readonly kind: 'announce'; readonly queue: number[]; readonly failed: boolean }
  | { readonly kind: 'monitor'; readonly resource: number };

export interface SequenceEnds {
  done(group: number, outcome: GroupOutcome, at: Instant): void;
  monitored(group: number, resource: number, result: AgentResult, at: Instant): void;
}

export class GroupSequencer {
  private readonly steps = new Map<number, Step>();
  /** An operation asked for while a monitor of the group runs: it begins when the monitor ends. */
  private readonly queued = new Map<number, { op: GroupOp; from: number }>();
  /**
   * Resources whose last status or our own stop said stopped, and which we have not started
   * since: an acquire need not ask them again, which keeps a takeover to the starts alone.
   */
  private readonly knownStopped = new Set<string>();
  private cancelling = false;
  /** Acquires no longer wanted: they start nothing more, and stop what runs. */
  private readonly abandoned = new Set<number>();

  constructor(
    private readonly groups: readonly GroupInfo[],
    private timeouts: OperationTimeouts,
    private readonly emit: Emitter,
    private readonly ends: SequenceEnds,
  ) {}

  /** A reload's timeouts apply from the next agent operation on. */
  useTimeouts(timeouts: OperationTimeouts): void {
    this.timeouts = timeouts;
  }

  begin(group: number, op: GroupOp, at: Instant, from = 0): void {
    if (this.steps.get(group)?.kind === 'monitor') {
      this.queued.set(group, { op, from });
      return;
    }
    const resources = this.resourcesOf(group);
    if (op === 'release') {
      this.stopFrom(group, reversed(resources.length), 'ok', at);
    } else if (op === 'recover') {
      const queue = reversed(resources.length).filter((i) => i >= from);
      this.stopFrom(group, queue, { restartFrom: from }, at);
    } else if (op === 'reassert') {
      const queue = resources.flatMap((spec, i) => (announcesAddress(spec) ? [i] : []));
      this.announceNext(group, queue, at);
    } else {
      // Status calls only look, so they run together: a takeover waits for one, not for each.
      const asked = resources.flatMap((spec, i) => (this.knownStopped.has(spec.text) ? [] : [i]));
      const running = resources.map(() => false);
      if (asked.length === 0) return this.startFrom(group, 0, running, at);
      this.steps.set(group, { kind: 'status', waiting: new Set(asked), running });
      for (const i of asked) this.call(group, i, 'status');
    }
  }

  /** Runs one monitor of a group, unless another operation of the group is under way. */
  monitor(group: number, resource: number, timeoutMs: number): boolean {
    const spec = this.resourcesOf(group)[resource];
    if (this.steps.has(group) || !spec) return false;
    this.steps.set(group, { kind: 'monitor', resource });
    this.emit.agent({ group, resource, operation: 'status', timeoutMs });
    return true;
  }

  /** A status found outside any operation (the start-up probe): an acquire need not ask again. */
  learned(group: number, resource: number, result: AgentResult): void {
    const spec = this.resourcesOf(group)[resource];
    if (spec) this.remember(spec, result);
  }

  agentDone(group: number, resource: number, result: AgentResult, at: Instant): void {
    const step = this.steps.get(group);
    const spec = this.resourcesOf(group)[resource];
    if (!step || !spec) return;
    this.remember(spec, result);
    if (step.kind === 'monitor' && step.resource === resource) {
      this.steps.delete(group);
      this.ends.monitored(group, resource, result, at);
      const next = this.queued.get(group);
      this.queued.delete(group);
      if (next) this.begin(group, next.op, at, next.from);
    } else if (step.kind === 'status' && result.operation === 'status') {
      if (!step.waiting.delete(resource)) return;
      step.running[resource] = result.state === 'running';
      if (step.waiting.size === 0) this.startFrom(group, 0, step.running, at);
    } else if (step.kind === 'start' && step.resource === resource) {
      const ok = result.operation === 'start' && result.ok && !this.cancelling;
      if (ok) return this.startFrom(group, resource + 1, step.running, at);
      const outcome = this.cancelling ? 'cancelled' : 'failed';
      this.stopFrom(group, rollback(resource + 1, step.running), outcome, at);
    } else if (step.kind === 'stop' && step.queue[0] === resource) {
      this.stopped(group, step, spec, result.operation === 'stop' && result.ok, at);
    } else if (step.kind === 'announce' && step.queue[0] === resource) {
      const failed = result.operation !== 'status' && !result.ok;
      if (failed) this.emit.log('warn', `Announcing ${spec.text} again failed: ${result.detail}`);
      this.announceNext(group, step.queue.slice(1), at, step.failed || failed);
    }
  }

  /**
   * The peer keeps a group we are acquiring (both took it): the start in flight ends on its own,
   * no further one begins, and what runs is stopped; the acquire ends `cancelled`.
   */
  abandon(group: number): void {
    const kind = this.steps.get(group)?.kind;
    if (kind === 'start' || kind === 'status') this.abandoned.add(group);
  }

  /** This node is stopping: starts in flight are killed, and no new one begins. */
  cancelStarts(): void {
    if (this.cancelling) return;
    this.cancelling = true;
    if ([...this.steps.values()].some((step) => step.kind === 'start')) this.emit.cancelStarts();
  }

  tick(at: Instant): void {
    for (const [group, step] of this.steps) {
      if (step.kind !== 'stop' || step.retryAt === undefined || step.retryAt > at.mono) continue;
      step.retryAt = undefined;
      this.call(group, step.queue[0] ?? 0, 'stop');
    }
  }

  nextWakeup(): number {
    let next = Infinity;
    for (const step of this.steps.values())
      if (step.kind === 'stop' && step.retryAt !== undefined) next = Math.min(next, step.retryAt);
    return next;
  }

  private startFrom(group: number, from: number, running: readonly boolean[], at: Instant): void {
    const resources = this.resourcesOf(group);
    for (let i = from; i < resources.length; i++) {
      if (running[i]) {
        this.emit.log('info', `Resource ${resources[i]?.text ?? ''} is already running`);
        continue;
      }
      // A stopping node begins no start, nor does an abandoned acquire: what runs is stopped.
      if (this.cancelling || this.abandoned.has(group))
        return this.stopFrom(group, rollback(i, running), 'cancelled', at);
      this.steps.set(group, { kind: 'start', resource: i, running });
      return this.call(group, i, 'start');
    }
    this.finish(group, 'ok', at);
  }

  /** Stops right to left; a stop that keeps failing leaves the group unclean, the rest still stop. */
  private stopFrom(
    group: number,
    queue: number[],
    then: Extract<Step, { kind: 'stop' }>['then'],
    at: Instant,
  ): void {
    const first = queue[0];
    if (first === undefined) return this.allStopped(group, then, false, at);
    this.steps.set(group, {
      kind: 'stop',
      queue,
      attempt: 1,
      retryAt: undefined,
      unclean: false,
      then,
    });
    this.call(group, first, 'stop');
  }

  private stopped(
    group: number,
    step: Extract<Step, { kind: 'stop' }>,
    spec: ResourceSpec,
    ok: boolean,
    at: Instant,
  ): void {
    if (!ok && step.attempt < STOP_ATTEMPTS) {
      this.emit.log(
        'warn',
        `Stop of ${spec.text} failed (attempt ${step.attempt} of ${STOP_ATTEMPTS}); retrying`,
      );
      step.attempt++;
      step.retryAt = at.mono + STOP_RETRY_PAUSE_MS;
      return;
    }
    if (!ok) {
      this.emit.log(
        'crit',
        `Resource ${spec.text} could not be stopped after ${STOP_ATTEMPTS} attempts`,
      );
      step.unclean = true;
    }
    step.queue.shift();
    step.attempt = 1;
    const next = step.queue[0];
    if (next !== undefined) return this.call(group, next, 'stop');
    this.allStopped(group, step.then, step.unclean, at);
  }

  private allStopped(
    group: number,
    then: Extract<Step, { kind: 'stop' }>['then'],
    unclean: boolean,
    at: Instant,
  ): void {
    if (unclean) return this.finish(group, 'unclean', at);
    if (typeof then === 'string') return this.finish(group, then, at);
    // A recovery: what stopped starts again; the resources left of it still run.
    const running = this.resourcesOf(group).map((_, i) => i < then.restartFrom);
    this.startFrom(group, then.restartFrom, running, at);
  }

  /**
   * A group that keeps running here while its addresses may have been announced elsewhere: each
   * address agent's start sends gratuitous ARP again. Nothing else starts a second time, and a
   * failed announcement stops nothing (the group still runs; the address may still answer), and
   * its outcome says to try it again later.
   */
  private announceNext(group: number, queue: number[], at: Instant, failed = false): void {
    const next = queue[0];
    if (next === undefined) return this.finish(group, failed ? 'failed' : 'ok', at);
    this.steps.set(group, { kind: 'announce', queue, failed });
    this.call(group, next, 'start');
  }

  private finish(group: number, outcome: GroupOutcome, at: Instant): void {
    this.steps.delete(group);
    this.abandoned.delete(group);
    this.ends.done(group, outcome, at);
  }

  private call(group: number, resource: number, operation: AgentOperation): void {
    const spec = this.resourcesOf(group)[resource];
    if (!spec) return;
    if (operation === 'start') this.knownStopped.delete(spec.text);
    const timeoutMs = this.timeouts.forOperation(spec, operation);
    this.emit.agent({ group, resource, operation, timeoutMs });
  }

  private remember(spec: ResourceSpec, result: AgentResult): void {
    const stopped =
      result.operation === 'status'
        ? result.state === 'stopped'
        : result.operation === 'stop' && result.ok;
    if (stopped) this.knownStopped.add(spec.text);
    else this.knownStopped.delete(spec.text);
  }

  private resourcesOf(group: number): readonly ResourceSpec[] {
    return this.groups[group]?.resources ?? [];
  }
}

/**
 * What a start that ends early stops, right to left, so the group runs nowhere: the resources
 * before `end` (started, or found running), and any after it that were found running.
 */
function rollback(end: number, running: readonly boolean[]): number[] {
  return reversed(running.length).filter((i) => i < end || running[i]);
}

/** Indices count-1 down to 0: the order resources stop in. */
function reversed(count: number): number[] {
  return Array.from({ length: count }, (_, i) => count - 1 - i);
}
