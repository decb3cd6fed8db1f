// Runs the agent operations the core decides, one at a time per call: the resolved script, its
// timeout, heartbeat's environment. Starts can be cancelled together (a stopping node).
import type { AgentOperation, AgentResult } from '../cluster/types.js';
import type { ResourceGroup } from '../config/haresources.js';
import type { ResourceSpec } from '../config/resource-spec.js';
import { runAgent, type AgentLog } from './agent-runner.js';
import type { AgentTimeouts } from './agent-timeouts.js';

export interface ExecutorSettings {
  /** Script name -> resolved executable; missing scripts are undefined. */
  readonly agents: ReadonlyMap<string, string | undefined>;
  /** Exported to every agent (HA_DIR, HA_RSCTMP, ...). */
  readonly env: Readonly<Record<string, string>>;
  readonly log: AgentLog;
}

/** What a start-up probe found of a group: all of it running, some of it, or nothing. */
export type FoundState = 'running' | 'partial' | 'stopped';

export class AgentExecutor {
  /** Aborted by a stop: starts in flight are killed. */
  private readonly starts = new AbortController();

  constructor(private readonly settings: ExecutorSettings) {}

  cancelStarts(): void {
    this.starts.abort();
  }

  /** The status of every resource, before joining: what already runs here. */
  async probe(groups: readonly ResourceGroup[], timeouts: AgentTimeouts): Promise<FoundState[]> {
    return Promise.all(
      groups.map(async (group) => {
        const states = await Promise.all(
          group.resources.map((spec) =>
            this.run(spec, 'status', timeouts.forOperation(spec, 'status')),
          ),
        );
        const running = states.filter((s) => s.operation === 'status' && s.state === 'running');
        if (running.length === 0) return 'stopped';
        return running.length === states.length ? 'running' : 'partial';
      }),
    );
  }

  async run(
    spec: ResourceSpec,
    operation: AgentOperation,
    timeoutMs: number,
  ): Promise<AgentResult> {
    const path = this.settings.agents.get(spec.script);
    if (path === undefined) {
      this.settings.log('error', `Cannot locate resource script ${spec.script}`);
      // What cannot be found was never started by us: it is stopped, and stopping it succeeds.
      if (operation === 'status') return { operation, state: 'stopped', detail: 'no script' };
      return { operation, ok: operation === 'stop', detail: 'no script' };
    }
    return runAgent(
      {
        path,
        spec,
        operation,
        timeoutMs,
        env: this.settings.env,
        ...(operation === 'start' ? { signal: this.starts.signal } : {}),
      },
      this.settings.log,
    );
  }
}
