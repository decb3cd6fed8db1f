// Carries out the core's group operations with the real agents: acquire (status of every resource,
// then start what is stopped, left to right, rolling back in reverse on failure), release (stop
// right to left, retrying a stop a few times), reassert (the addresses' start again, for their ARP).
import type { GroupOp, GroupOutcome } from '../cluster/types.js';
import type { ResourceGroup } from '../config/haresources.js';
import { announcesAddress, type ResourceSpec } from '../config/resource-spec.js';
import { runAgent, type AgentLog, type AgentOperation, type AgentResult } from './agent-runner.js';
import type { AgentTimeouts } from './agent-timeouts.js';

/** heartbeat retries a failed stop 10 times; a few tries with a pause catch the transient cases. */
export const STOP_ATTEMPTS = 3;
const STOP_RETRY_PAUSE_MS = 1000;

export interface ExecutorSettings {
  /** Script name -> resolved executable; missing scripts are undefined. */
  readonly agents: ReadonlyMap<string, string | undefined>;
  readonly timeouts: AgentTimeouts;
  /** Exported to every agent (HA_DIR, HA_RSCTMP, ...). */
  readonly env: Readonly<Record<string, string>>;
  readonly log: AgentLog;
  readonly stopRetryPauseMs?: number;
}

/** What a start-up probe found of a group: all of it running, some of it, or nothing. */
export type FoundState = 'running' | 'partial' | 'stopped';

export class GroupExecutor {
  /** The operation in flight per group: a new one waits for it (the core sends one at a time). */
  private readonly running = new Map<number, Promise<GroupOutcome>>();
  /**
   * Resources whose last status or our own stop said stopped, and which we have not started
   * since: an acquire need not ask them again, which keeps a takeover to the starts alone.
   */
  private readonly knownStopped = new Set<string>();

  /** Aborted by a stop: starts in flight are killed and no new ones begin. */
  private readonly starts = new AbortController();
  private timeouts: AgentTimeouts;

  constructor(private readonly settings: ExecutorSettings) {
    this.timeouts = settings.timeouts;
  }

  /** A reload's timeouts.ini applies from the next agent call on. */
  useTimeouts(timeouts: AgentTimeouts): void {
    this.timeouts = timeouts;
  }

  /** A stop must not wait for a takeover: kill running starts; their groups roll back. */
  cancelStarts(): void {
    this.starts.abort();
  }

  run(index: number, group: ResourceGroup, op: GroupOp): Promise<GroupOutcome> {
    const previous = this.running.get(index) ?? Promise.resolve<GroupOutcome>('ok');
    const next = previous.then(() => this.perform(group, op));
    this.running.set(index, next);
    return next;
  }

  /** The status of every resource, before joining: what already runs here. */
  async probe(groups: readonly ResourceGroup[]): Promise<FoundState[]> {
    return Promise.all(
      groups.map(async (group) => {
        const states = await Promise.all(group.resources.map((spec) => this.call(spec, 'status')));
        const running = states.filter(isRunning).length;
        return running === 0 ? 'stopped' : running === states.length ? 'running' : 'partial';
      }),
    );
  }

  private perform(group: ResourceGroup, op: GroupOp): Promise<GroupOutcome> {
    if (op === 'release') return this.stopEach(group.resources);
    if (op === 'reassert') return this.announceAgain(group.resources);
    return this.acquire(group.resources);
  }

  /**
   * A group that keeps running here while its addresses may have been announced elsewhere: each
   * address agent's start sends gratuitous ARP again. Nothing else starts a second time, and a
   * failed announcement stops nothing (the group still runs; the address may still answer).
   */
  private async announceAgain(resources: readonly ResourceSpec[]): Promise<GroupOutcome> {
    for (const spec of resources.filter(announcesAddress)) {
      const result = await this.call(spec, 'start');
      if (result.operation !== 'status' && !result.ok)
        this.settings.log('warn', `Announcing ${spec.text} again failed: ${result.detail}`);
    }
    return 'ok';
  }

  private async acquire(resources: readonly ResourceSpec[]): Promise<GroupOutcome> {
    // Status calls only look, so they run together: a takeover waits for one, not for each.
    const states = await Promise.all(
      resources.map((spec) =>
        this.knownStopped.has(spec.text) ? Promise.resolve(undefined) : this.call(spec, 'status'),
      ),
    );
    return this.startEach(resources, (i) => isRunning(states[i]));
  }

  private async startEach(
    resources: readonly ResourceSpec[],
    alreadyRunning: (index: number) => boolean,
  ): Promise<GroupOutcome> {
    for (const [i, spec] of resources.entries()) {
      if (alreadyRunning(i)) {
        this.settings.log('info', `Resource ${spec.text} is already running`);
        continue;
      }
      const result = this.starts.signal.aborted
        ? { operation: 'start' as const, ok: false, detail: 'cancelled' }
        : await this.call(spec, 'start');
      if (result.operation !== 'status' && result.ok) continue;
      // Roll back everything of the group up to the failed one, so it runs nowhere.
      const rolledBack = await this.stopEach(resources.slice(0, i + 1));
      return rolledBack === 'ok' ? 'failed' : 'unclean';
    }
    return 'ok';
  }

  /** Stops right to left; a stop that keeps failing leaves the group unclean, the rest still stop. */
  private async stopEach(resources: readonly ResourceSpec[]): Promise<GroupOutcome> {
    let outcome: GroupOutcome = 'ok';
    for (const spec of [...resources].reverse()) {
      if (!(await this.stopWithRetries(spec))) outcome = 'unclean';
    }
    return outcome;
  }

  private async stopWithRetries(spec: ResourceSpec): Promise<boolean> {
    const pause = this.settings.stopRetryPauseMs ?? STOP_RETRY_PAUSE_MS;
    for (let attempt = 1; attempt <= STOP_ATTEMPTS; attempt++) {
      const result = await this.call(spec, 'stop');
      if (result.operation !== 'status' && result.ok) return true;
      if (attempt < STOP_ATTEMPTS) {
        this.settings.log(
          'warn',
          `Stop of ${spec.text} failed (attempt ${attempt} of ${STOP_ATTEMPTS}); retrying`,
        );
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
    this.settings.log(
      'crit',
      `Resource ${spec.text} could not be stopped after ${STOP_ATTEMPTS} attempts`,
    );
    return false;
  }

  private async call(spec: ResourceSpec, operation: AgentOperation): Promise<AgentResult> {
    const path = this.settings.agents.get(spec.script);
    if (path === undefined) {
      this.settings.log('error', `Cannot locate resource script ${spec.script}`);
      // What cannot be found was never started by us: it is stopped, and stopping it succeeds.
      if (operation === 'status') return { operation, state: 'stopped', detail: 'no script' };
      return { operation, ok: operation === 'stop', detail: 'no script' };
    }
    const result = await runAgent(
      {
        path,
        spec,
        operation,
        timeoutMs: this.timeouts.forOperation(spec, operation),
        env: this.settings.env,
        ...(operation === 'start' ? { signal: this.starts.signal } : {}),
      },
      this.settings.log,
    );
    const stopped =
      result.operation === 'status'
        ? result.state === 'stopped'
        : operation === 'stop' && result.ok;
    if (stopped) this.knownStopped.add(spec.text);
    else this.knownStopped.delete(spec.text);
    return result;
  }
}

function isRunning(result: AgentResult | undefined): boolean {
  return result?.operation === 'status' && result.state === 'running';
}
