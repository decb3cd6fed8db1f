// Before a node joins, the status of every resource at once: what already runs here (the daemon
// was killed and restarted, or the machine booted with a service enabled). Pure.
import type { Emitter } from '../emitter.js';
import type { AgentResult } from '../types.js';
import type { OperationTimeouts } from './group-sequencer.js';
import type { GroupInfo } from './groups.js';
import type { LocalGroup } from './placement.js';

/**
 * What the probe found of a group: all of it running, some of it, or nothing. A resource whose
 * status could not be told (it failed or timed out) may run: its group is partial, so that it
 * is completed if it stays here and stopped if it goes, never left running unknown to us.
 */
export type FoundState = 'running' | 'partial' | 'stopped';

type Answer = 'running' | 'stopped' | 'unknown';

export class StartupProbe {
  /** `running[g][r]`: undefined until resource r of group g has answered. */
  private readonly running: (Answer | undefined)[][];
  private left = 0;

  constructor(private readonly groups: readonly GroupInfo[]) {
    this.running = groups.map((group) => group.resources.map(() => undefined));
  }

  /** Asks every resource; the answers come back through `answer`. */
  begin(timeouts: OperationTimeouts, emit: Emitter): void {
    for (const group of this.groups) {
      group.resources.forEach((spec, resource) => {
        this.left++;
        const timeoutMs = timeouts.forOperation(spec, 'status');
        emit.agent({ group: group.index, resource, operation: 'status', timeoutMs });
      });
    }
  }

  get done(): boolean {
    return this.left === 0;
  }

  answer(group: number, resource: number, result: AgentResult): void {
    const row = this.running[group];
    if (!row || resource >= row.length || row[resource] !== undefined) return;
    row[resource] = result.operation === 'status' ? result.state : 'unknown';
    this.left--;
  }

  found(): FoundState[] {
    return this.running.map((row) => {
      if (row.every((answer) => answer === 'stopped')) return 'stopped';
      return row.every((answer) => answer === 'running') ? 'running' : 'partial';
    });
  }
}

/** What was found running is held, a part found is completed, until the peer says otherwise. */
export function adoptFound(
  groups: readonly LocalGroup[],
  found: readonly FoundState[],
  emit: Emitter,
): void {
  for (const group of groups) {
    const state = found[group.info.index] ?? 'stopped';
    group.holding = state === 'stopped' ? 'stopped' : 'running';
    group.incomplete = state === 'partial';
    if (state === 'stopped') continue;
    // Clients may have followed the peer's announcement since: announce it again if it stays.
    group.reassert = true;
    emit.log(
      'warn',
      `Resource group ${group.info.name} is already active here: it stays only if this node should hold it`,
    );
  }
}
