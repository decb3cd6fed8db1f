// The simulated world around the cores' resource decisions: agent operations that take time and
// can be made to fail, a fencing device that resets nodes (or is broken), and a record of which
// node really runs each resource, to catch two holders and starts out of order.
import type { AgentOperation, AgentResult } from '../../src/cluster/types.js';
import { parseHaresources, type ResourceGroup } from '../../src/config/haresources.js';
import { Diagnostics } from '../../src/config/diagnostics.js';
import { announcesAddress } from '../../src/config/resource-spec.js';

interface PendingOp {
  readonly node: string;
  readonly at: number;
  /** An agent start, which a stopping node can cut short. */
  readonly start?: { readonly group: number; readonly resource: number };
  readonly run: () => void;
}

export interface DoubledSpan {
  readonly resource: string;
  readonly from: number;
  to?: number;
}

export interface WorldHooks {
  agentDone(node: string, group: number, resource: number, result: AgentResult): void;
  fenceDone(node: string, target: string, ok: boolean): void;
  /** The node is reset: its process and everything it ran are gone. */
  reset(node: string): void;
  /** An agent operation ended: `start:web`, `stop:web=failed`, ... */
  ran(node: string, op: string, at: number): void;
}

export class ResourceWorld {
  groups: ResourceGroup[] = [];
  statusDelayMs = 10;
  startDelayMs = 50;
  stopDelayMs = 50;
  fenceDelayMs = 100;
  fencingWorks = true;
  /** "node:start:resource" or "node:stop:resource" operations that fail. */
  readonly failures = new Set<string>();
  /** The same keys, for operations that hang until the core's timeout kills them. */
  readonly hangs = new Set<string>();
  /** "group:resource" -> nodes where it runs now. */
  private readonly running = new Map<string, Set<string>>();
  readonly fenceCalls = new Map<string, number>();
  /** Every moment two nodes ran the same resource: "time resource nodes". */
  readonly doubles: string[] = [];
  /** Each time a resource ran on two nodes, from when to when (undefined: still). */
  readonly doubledSpans: DoubledSpan[] = [];
  /** Every start of a resource whose left neighbour did not run on that node. */
  readonly outOfOrder: string[] = [];
  /** "group:resource" -> the node that last announced the address (clients' ARP entries). */
  private readonly announcedBy = new Map<string, string>();
  /** "node:group:resource" its agent started and has not stopped since. */
  private readonly started = new Set<string>();
  /** Per node, each agent operation as it ended: `start:web`, `stop:web=failed`, ... */
  private readonly ran = new Map<string, { readonly at: number; readonly op: string }[]>();
  private pending: PendingOp[] = [];
  /** Nodes reset while the ops due now run: their remaining ones are dropped. */
  private readonly lostInBatch = new Set<string>();

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

  /** Nodes running every resource of the group, and nodes running only some of them. */
  holders(group: number, nodes: readonly string[]): { whole: string[]; partial: string[] } {
    const resources = this.groups[group]?.resources ?? [];
    const count = (node: string): number =>
      resources.filter((_, r) => this.runs(node, group, r)).length;
    return {
      whole: nodes.filter((n) => count(n) === resources.length),
      partial: nodes.filter((n) => count(n) > 0 && count(n) < resources.length),
    };
  }

  /** The group's addresses whose last announcement (gratuitous ARP) came from another node. */
  misdirected(group: number, holder: string): { address: string; announcer: string }[] {
    return (this.groups[group]?.resources ?? []).flatMap((spec, r) => {
      const announcer = this.announcedBy.get(`${group}:${r}`);
      if (!announcesAddress(spec) || announcer === undefined || announcer === holder) return [];
      return [{ address: spec.text, announcer }];
    });
  }

  /** Groups with any resource running on the node. */
  runsOn(node: string): number[] {
    return this.groups.flatMap((group, g) =>
      group.resources.some((_, r) => this.runs(node, g, r)) ? [g] : [],
    );
  }

  startAgent(
    node: string,
    group: number,
    resource: number,
    operation: AgentOperation,
    now: number,
    timeoutMs: number,
  ): void {
    const text = this.groups[group]?.resources[resource]?.text ?? '';
    const key = `${node}:${operation}:${text}`;
    const hangs = this.hangs.has(key);
    const fails = hangs || this.failures.has(key);
    const delays = { status: this.statusDelayMs, start: this.startDelayMs, stop: this.stopDelayMs };
    // A hung agent is killed at its timeout, as the edge does, and counts as failed.
    const delay = hangs ? timeoutMs : delays[operation];
    const report = (result: AgentResult): void => {
      this.record(node, `${operation}:${text}`, result, now + delay);
      this.hooks.agentDone(node, group, resource, result);
    };
    this.pending.push({
      node,
      at: now + delay,
      ...(operation === 'start' ? { start: { group, resource } } : {}),
      run: () => {
        if (hangs) {
          const detail = 'timed out';
          if (operation !== 'status') return report({ operation, ok: false, detail });
          return report({ operation, state: 'unknown', detail });
        }
        if (operation === 'status') {
          const state = this.runs(node, group, resource) ? 'running' : 'stopped';
          return report({ operation, state, detail: state });
        }
        if (!fails) {
          // The left neighbour runs, or was started and died since (a fault, not the order).
          const left = `${node}:${group}:${resource - 1}`;
          const leftUp = this.runs(node, group, resource - 1) || this.started.has(left);
          if (operation === 'start' && resource > 0 && !leftUp)
            this.outOfOrder.push(`${now} ${node} started ${text} before its left neighbour`);
          if (operation === 'start') this.started.add(`${node}:${group}:${resource}`);
          else this.started.delete(`${node}:${group}:${resource}`);
          const spec = this.groups[group]?.resources[resource];
          if (operation === 'start' && spec && announcesAddress(spec))
            this.announcedBy.set(`${group}:${resource}`, node);
          this.setRunning(group, resource, node, operation === 'start', now);
        }
        report({ operation, ok: !fails, detail: fails ? 'exit 1' : 'exit 0' });
      },
    });
  }

  /** A stopping node kills its agent starts: each reports as failed now, having started nothing. */
  cancelStarts(node: string, now: number): void {
    const cut = this.pending.filter((p) => p.node === node && p.start);
    this.pending = this.pending.filter((p) => !cut.includes(p));
    for (const { start } of cut) {
      if (!start) continue;
      const text = this.groups[start.group]?.resources[start.resource]?.text ?? '';
      const result = { operation: 'start', ok: false, detail: 'cancelled' } as const;
      this.record(node, `start:${text}`, result, now);
      this.hooks.agentDone(node, start.group, start.resource, result);
    }
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
  /** The node's daemon died: the agents it ran die with it (their services live on). */
  killAgents(node: string): void {
    this.lostInBatch.add(node);
    this.pending = this.pending.filter((p) => p.node !== node);
  }

  lose(node: string, now: number): void {
    this.killAgents(node);
    for (const key of this.started) if (key.startsWith(`${node}:`)) this.started.delete(key);
    for (const key of this.running.keys()) {
      const [group = 0, resource = 0] = key.split(':').map(Number);
      this.setRunning(group, resource, node, false, now);
    }
  }

  nextEventTime(): number {
    return Math.min(Infinity, ...this.pending.map((p) => p.at));
  }

  runDue(now: number): void {
    const due = this.pending.filter((p) => p.at <= now);
    this.pending = this.pending.filter((p) => p.at > now);
    this.lostInBatch.clear();
    // One op may reset a node (fencing): its other ops due at the same instant die with it.
    for (const op of due) if (!this.lostInBatch.has(op.node)) op.run();
  }

  /** A legacy node's agents, as the scenario says they run (its own core runs none here). */
  place(node: string, name: string, on: boolean, now: number): void {
    const group = this.groupIndex(name);
    this.groups[group]?.resources.forEach((_, r) => {
      this.setRunning(group, r, node, on, now);
    });
  }

  /** The node's agent operations since the last call for it. */
  ranSinceLastAsked(node: string): { readonly at: number; readonly op: string }[] {
    const list = this.ran.get(node) ?? [];
    this.ran.set(node, []);
    return list;
  }

  /** The resource stops on the node by itself (a crashed service). */
  dies(node: string, text: string, now: number): void {
    this.groups.forEach((group, g) => {
      group.resources.forEach((spec, r) => {
        if (spec.text === text) this.setRunning(g, r, node, false, now);
      });
    });
  }

  private record(node: string, op: string, result: AgentResult, at: number): void {
    const failed = result.operation !== 'status' && !result.ok;
    const list = this.ran.get(node) ?? [];
    this.ran.set(node, list);
    const shown = failed ? `${op}=${result.detail === 'cancelled' ? 'cancelled' : 'failed'}` : op;
    list.push({ at, op: shown });
    this.hooks.ran(node, shown, at);
  }

  private runs(node: string, group: number, resource: number): boolean {
    return this.running.get(`${group}:${resource}`)?.has(node) ?? false;
  }

  private setRunning(
    group: number,
    resource: number,
    node: string,
    on: boolean,
    now: number,
  ): void {
    const key = `${group}:${resource}`;
    const nodes = this.running.get(key) ?? new Set<string>();
    this.running.set(key, nodes);
    const before = nodes.size;
    if (on) nodes.add(node);
    else nodes.delete(node);
    const text = this.groups[group]?.resources[resource]?.text ?? '';
    if (nodes.size > 1) this.doubles.push(`${now} ${text} ${[...nodes].join(',')}`);
    if (before < 2 && nodes.size > 1) this.doubledSpans.push({ resource: text, from: now });
    if (before > 1 && nodes.size < 2) {
      const open = this.doubledSpans.findLast((d) => d.resource === text && d.to === undefined);
      if (open) open.to = now;
    }
  }
}
