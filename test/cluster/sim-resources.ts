// The simulated world around the cores' resource decisions: group operations that take time and
// can be made to fail, a fencing device that resets nodes (or is broken), and a record of which
// node really runs each group, to catch two holders.
import type { GroupOp, GroupOutcome } from '../../src/cluster/types.js';
import { parseHaresources, type ResourceGroup } from '../../src/config/haresources.js';
import { Diagnostics } from '../../src/config/diagnostics.js';

interface PendingOp {
  readonly node: string;
  readonly at: number;
  readonly run: () => void;
}

export interface WorldHooks {
  groupDone(node: string, group: number, outcome: GroupOutcome): void;
  fenceDone(node: string, target: string, ok: boolean): void;
  /** The node is reset: its process and everything it ran are gone. */
  reset(node: string): void;
}

export class ResourceWorld {
  groups: ResourceGroup[] = [];
  startDelayMs = 50;
  stopDelayMs = 50;
  fenceDelayMs = 100;
  fencingWorks = true;
  /** "node:start:resource" or "node:stop:resource" operations that fail. */
  readonly failures = new Set<string>();
  /** group index -> nodes where it runs now. */
  readonly running = new Map<number, Set<string>>();
  readonly fenceCalls = new Map<string, number>();
  /** Every moment two nodes ran the same group: "time group nodes". */
  readonly doubles: string[] = [];
  private pending: PendingOp[] = [];

  constructor(private readonly hooks: WorldHooks) {}

  define(lines: string[], nodes: string[]): void {
    const diag = new Diagnostics();
    this.groups = parseHaresources(lines.join('\n'), 'haresources', nodes, diag);
    if (diag.errors.length > 0)
      throw new Error(`bad haresources in scenario: ${lines.join(' | ')}`);
  }

  groupIndex(name: string): number {
    const index = this.groups.findIndex((g) => g.name === name);
    if (index < 0) throw new Error(`no group ${name}`);
    return index;
  }

  runsOn(node: string): number[] {
    return this.groups.map((_, i) => i).filter((i) => this.running.get(i)?.has(node));
  }

  startOp(node: string, op: GroupOp, group: number, now: number): void {
    const resources = this.groups[group]?.resources ?? [];
    const fails = (kind: string): boolean =>
      resources.some((r) => this.failures.has(`${node}:${kind}:${r.text}`));
    this.pending.push({
      node,
      at: now + (op === 'release' ? this.stopDelayMs : this.startDelayMs),
      run: () => {
        let outcome: GroupOutcome = 'ok';
        if (op === 'release') {
          if (fails('stop')) outcome = 'unclean';
          else this.setRunning(group, node, false, now);
        } else if (fails('start')) {
          outcome = op === 'acquire' && fails('stop') ? 'unclean' : 'failed';
          if (outcome === 'failed') this.setRunning(group, node, false, now);
        } else {
          this.setRunning(group, node, true, now);
        }
        this.hooks.groupDone(node, group, outcome);
      },
    });
  }

  startFence(node: string, target: string, now: number): void {
    this.fenceCalls.set(target, (this.fenceCalls.get(target) ?? 0) + 1);
    this.pending.push({
      node,
      at: now + this.fenceDelayMs,
      run: () => {
        if (this.fencingWorks) this.hooks.reset(target);
        this.hooks.fenceDone(node, target, this.fencingWorks);
      },
    });
  }

  /** A whole-node crash or reset: what it ran is gone, and so are its unfinished operations. */
  lose(node: string): void {
    for (const nodes of this.running.values()) nodes.delete(node);
    this.pending = this.pending.filter((p) => p.node !== node);
  }

  nextEventTime(): number {
    return Math.min(Infinity, ...this.pending.map((p) => p.at));
  }

  runDue(now: number): void {
    const due = this.pending.filter((p) => p.at <= now);
    this.pending = this.pending.filter((p) => p.at > now);
    for (const op of due) op.run();
  }

  /** A legacy node's agents, as the scenario says they run (its own core runs none here). */
  place(node: string, name: string, on: boolean, now: number): void {
    this.setRunning(this.groupIndex(name), node, on, now);
  }

  private setRunning(group: number, node: string, on: boolean, now: number): void {
    const nodes = this.running.get(group) ?? new Set<string>();
    this.running.set(group, nodes);
    if (on) nodes.add(node);
    else nodes.delete(node);
    if (nodes.size > 1)
      this.doubles.push(`${now} ${this.groups[group]?.name ?? ''} ${[...nodes].join(',')}`);
  }
}
