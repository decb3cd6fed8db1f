// Runs the agent operations the core decides, one at a time per call: the resolved script, its
// timeout, heartbeat's environment. Starts can be cancelled together (a stopping node).
import type { AgentOperation, AgentResult } from '../cluster/types.js';
import type { ResourceSpec } from '../config/resource-spec.js';
import type { HelperIpaddr } from './address-helper/helper-ipaddr.js';
import { BUNDLED_RESOURCE_DIR } from './agent-path.js';
import { runAgent, type AgentLog } from './agent-runner.js';

/** The IPaddr shipped with this package; one in <ha.d>/resource.d shadows it and runs as a script. */
export const BUNDLED_IPADDR = `${BUNDLED_RESOURCE_DIR}/IPaddr`;

export interface ExecutorSettings {
  /** Script name -> resolved executable; missing scripts are undefined. */
  readonly agents: ReadonlyMap<string, string | undefined>;
  /** Exported to every agent (HA_DIR, HA_RSCTMP, ...). */
  readonly env: Readonly<Record<string, string>>;
  readonly log: AgentLog;
  /** Runs the bundled IPaddr without starting a process, when it can. */
  readonly helperIpaddr?: HelperIpaddr;
}

export class AgentExecutor {
  /** Aborted by a stop: starts in flight are killed. */
  private readonly starts = new AbortController();

  constructor(private readonly settings: ExecutorSettings) {}

  cancelStarts(): void {
    this.starts.abort();
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
    if (this.settings.helperIpaddr && path === BUNDLED_IPADDR) {
      const result = await this.settings.helperIpaddr.run(spec, operation, timeoutMs, path);
      if (result) return result;
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
