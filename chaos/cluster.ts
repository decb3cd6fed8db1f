// The chaos run's hold on the two daemons of a failover lab: starts them, signals them, knows which
// of their exits a fault caused, and asks each one its status as an operator would.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StatusSnapshot } from '../src/control/snapshot.js';
import { monoMs, type FailoverLab } from '../test/helpers/failover-lab.js';
import { labCli, type CliResult } from '../test/helpers/lab-cli.js';
import { isAlive } from '../test/helpers/processes.js';

export const NODES = ['alpha', 'beta'] as const;
export type NodeName = (typeof NODES)[number];

export const peerOf = (node: NodeName): NodeName => (node === 'alpha' ? 'beta' : 'alpha');

export interface DaemonExit {
  readonly node: NodeName;
  readonly pid: number;
  readonly at: number;
  readonly code: number | undefined;
  readonly signal: string | undefined;
  /** A fault killed or stopped it on purpose. */
  readonly expected: boolean;
  /** Its last output lines (a crash's stack trace is there). */
  readonly lastLines: readonly string[];
}

export class ChaosCluster {
  readonly exits: DaemonExit[] = [];
  private readonly pids = new Map<NodeName, number>();
  private readonly exitsCaused = new Set<number>();

  constructor(readonly lab: FailoverLab) {}

  /** Starts `heartbeat start -f` on the node, unless it runs; its exit is recorded when it comes. */
  start(node: NodeName): void {
    if (this.pid(node) !== undefined) return;
    const daemon = this.lab.start(node);
    const pid = daemon.child.pid;
    if (pid === undefined) throw new Error(`${node}: the daemon did not start`);
    this.pids.set(node, pid);
    void daemon.child.then((result) => {
      if (this.pids.get(node) === pid) this.pids.delete(node);
      this.exits.push({
        node,
        pid,
        at: monoMs(),
        code: result.exitCode,
        signal: result.signal,
        expected: this.exitsCaused.has(pid),
        lastLines: daemon.lines.slice(-8).map((line) => line.text),
      });
    });
  }

  /** The pid of the node's daemon while it lives. */
  pid(node: NodeName): number | undefined {
    const pid = this.pids.get(node);
    return pid !== undefined && isAlive(pid) ? pid : undefined;
  }

  /** Marks the node's daemon as about to exit on purpose; its pid, if it runs. */
  willExit(node: NodeName): number | undefined {
    const pid = this.pid(node);
    if (pid !== undefined) this.exitsCaused.add(pid);
    return pid;
  }

  /** Sends a signal to the node's daemon alone (not its agents or services); its pid. */
  signal(node: NodeName, signal: NodeJS.Signals): number {
    const pid = this.pid(node);
    if (pid === undefined) throw new Error(`${node}: no daemon to send ${signal} to`);
    process.kill(pid, signal);
    return pid;
  }

  /** SIGCONT to a daemon that was stopped, if it was not killed meanwhile (fenced). */
  resume(pid: number): void {
    if (isAlive(pid)) process.kill(pid, 'SIGCONT');
  }

  /** Resolves once the node's daemon has exited (it must have been told to). */
  async exited(node: NodeName, pid: number | undefined, timeoutMs: number): Promise<void> {
    const deadline = monoMs() + timeoutMs;
    while (pid !== undefined && !this.exits.some((exit) => exit.pid === pid)) {
      if (monoMs() > deadline) throw new Error(`${node}: daemon ${pid} still running`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  cli(node: NodeName, args: readonly string[]): Promise<CliResult> {
    return labCli(this.lab, node, args);
  }

  /** `heartbeat status --json` on the node, or why it gave none. */
  async status(node: NodeName): Promise<StatusSnapshot | string> {
    const run = await this.cli(node, ['status', '--json']);
    if (run.code !== 0) return `${node}: status exited ${run.code} ${run.err.trim()}`;
    try {
      return JSON.parse(run.out) as StatusSnapshot;
    } catch {
      return `${node}: status printed no JSON: ${run.out.slice(0, 200)}`;
    }
  }

  /** The node's agents' scratch directory (HA_RSCTMP), where flag files go. */
  rscTmp(node: NodeName): string {
    return this.lab.rscTmp(node);
  }

  logFile(node: NodeName): string {
    return join(this.lab.dir(node), 'ha-log');
  }

  /** The node's log file from byte `offset` on. */
  async logFrom(node: NodeName, offset: number): Promise<string> {
    const text = await readFile(this.logFile(node)).catch(() => Buffer.alloc(0));
    return text.subarray(offset).toString('utf8');
  }

  async logSize(node: NodeName): Promise<number> {
    return (await readFile(this.logFile(node)).catch(() => Buffer.alloc(0))).length;
  }
}
