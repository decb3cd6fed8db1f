// The demo's lab: FailoverLab's namespaces, probe and faults, with the demo's own configuration
// files, daemons started with a run directory each (for `heartbeat status`), and their log lines.
import { execa } from 'execa';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { FailoverLab, monoMs, type Answer } from '../test/helpers/failover-lab.js';
import type { LineWatcher, TimedLine } from '../test/helpers/line-watcher.js';
import { CLI } from '../test/helpers/our-node.js';
import { waitFor } from '../test/helpers/wait-for.js';
import { randomKey, TIMING, writeNodeConfig } from './config.js';
import { ms } from './show.js';

export const NODES = ['alpha', 'beta'] as const;
export type NodeName = (typeof NODES)[number];

/** Blank lines and the frames of a stack trace. */
const NOISE = /^\s*$|^\s+at /;
/** How long a daemon that exited gets for its last lines to come through. */
const LAST_WORDS_MS = 1000;

interface Daemon {
  readonly watcher: LineWatcher;
  /** Its exit code (or signal) once it has exited. */
  exit?: string;
}

export interface CommandOutput {
  readonly exitCode: number | undefined;
  readonly output: string;
}

export class DemoLab {
  private readonly daemons = new Map<NodeName, Daemon>();
  /** Cancels the short commands still running (status) when the lab goes. */
  private readonly commands = new AbortController();
  private closed = false;

  private constructor(readonly failover: FailoverLab) {}

  static async create(): Promise<DemoLab> {
    const failover = await FailoverLab.create({
      keepaliveMs: TIMING.keepalive,
      deadtimeMs: TIMING.deadtime,
    });
    const lab = new DemoLab(failover);
    try {
      const addresses = Object.fromEntries(
        [...failover.lab.nodes.values()].map((n) => [n.name, n.address]),
      );
      const key = randomKey();
      for (const node of NODES) await writeNodeConfig(failover.dir(node), key, addresses);
    } catch (error) {
      await lab.destroy();
      throw error;
    }
    return lab;
  }

  get root(): string {
    return this.failover.root;
  }

  dir(node: NodeName): string {
    return this.failover.dir(node);
  }

  runDir(node: NodeName): string {
    return join(this.dir(node), 'run');
  }

  /** The arguments of `heartbeat start` for a node, after the command itself. */
  startArgs(node: NodeName): string[] {
    const dir = this.dir(node);
    const state = join(dir, 'state');
    return ['start', '-f', '-d', dir, '--state-dir', state, '--run-dir', this.runDir(node)];
  }

  /** Starts `heartbeat start -f` in the node's namespace, as a child the lab kills at the end. */
  async start(node: NodeName): Promise<void> {
    await mkdir(this.runDir(node), { recursive: true });
    this.ensureOpen();
    const { child, output } = this.failover.lab.spawnWatched(node, process.execPath, [
      CLI,
      ...this.startArgs(node),
    ]);
    const daemon: Daemon = { watcher: output };
    void child.then((result) => {
      daemon.exit = result.signal ?? `code ${String(result.exitCode)}`;
    });
    this.daemons.set(node, daemon);
  }

  /** Waits for a line of the node's latest daemon, stamped with monoMs(); fails early if it exits. */
  async waitLine(
    node: NodeName,
    pattern: RegExp,
    what: string,
    timeoutMs: number,
    since = 0,
  ): Promise<TimedLine> {
    const daemon = this.daemon(node);
    const find = (): TimedLine | undefined => daemon.watcher.find(pattern, since);
    await waitFor(() => find() !== undefined || daemon.exit !== undefined, what, timeoutMs);
    let line = find();
    if (!line) {
      // Its last lines may still be with the stamper; a child it left may hold the pipe open.
      await Promise.race([daemon.watcher.closed, delay(LAST_WORDS_MS)]);
      line = find();
    }
    if (!line) {
      // Its last words; if it crashed, the error rather than the stack trace.
      const said = daemon.watcher.lines.map((l) => l.text).filter((t) => !NOISE.test(t));
      const crash = said.findLast((t) => /^\w*Error\b/.test(t));
      const output = crash ?? (said.length > 0 ? said.slice(-3).join(' | ') : '(no output)');
      throw new Error(`${node}'s heartbeat exited (${daemon.exit ?? '?'}): ${output}`);
    }
    return line;
  }

  /** The node's latest daemon's lines since `since` (monoMs) that match `pattern`. */
  lines(node: NodeName, pattern: RegExp, since = 0): TimedLine[] {
    return this.daemon(node).watcher.lines.filter((l) => l.at >= since && pattern.test(l.text));
  }

  /** `heartbeat status --run-dir DIR` inside the node's namespace. */
  async status(node: NodeName): Promise<CommandOutput> {
    this.ensureOpen();
    const ns = this.failover.lab.node(node).ns;
    const args = [CLI, 'status', '--run-dir', this.runDir(node)];
    const result = await execa('ip', ['netns', 'exec', ns, process.execPath, ...args], {
      all: true,
      reject: false,
      timeout: 10_000,
      cancelSignal: this.commands.signal,
    });
    return { exitCode: result.exitCode, output: result.all };
  }

  startProbe(intervalMs: number): void {
    this.ensureOpen();
    this.failover.startProbe(intervalMs);
  }

  /** Waits until the VIP's latest answer after `since` comes from `node`; returns the first such. */
  async answeredBy(node: NodeName, since: number, timeoutMs: number): Promise<Answer> {
    const first = (): Answer | undefined =>
      this.failover.answers.find((a) => a.at > since && a.from === node);
    await waitFor(
      () => this.failover.lastAnswer(since)?.from === node,
      `the VIP answered by ${node}`,
      timeoutMs,
    );
    const answer = first();
    if (!answer) throw new Error(`no answer from ${node}`);
    return answer;
  }

  /** The answers in the `durationMs` after `from`, once that time has passed. */
  async answersDuring(from: number, durationMs: number): Promise<Answer[]> {
    const end = from + durationMs;
    await waitFor(() => monoMs() >= end, `${ms(durationMs)} of answers`, durationMs + 1000);
    return this.failover.answers.filter((a) => a.at >= from && a.at < end);
  }

  /** The last answer by `node` before `at`. */
  lastAnswerBefore(node: NodeName, at: number): Answer | undefined {
    return this.failover.answers.filter((a) => a.at < at && a.from === node).at(-1);
  }

  /** Waits until the client's neighbour entry for the VIP is the node's MAC; returns that MAC. */
  async neighbourIs(node: NodeName, timeoutMs: number): Promise<string> {
    const mac = await this.failover.mac(node);
    await waitFor(
      async () => (await this.failover.clientNeighbour()) === mac,
      `the client's neighbour entry for the VIP to be ${node}'s MAC ${mac}`,
      timeoutMs,
    );
    return mac;
  }

  async crash(node: NodeName): Promise<void> {
    await this.failover.crash(node);
  }

  async reboot(node: NodeName): Promise<void> {
    this.ensureOpen();
    await this.failover.reboot(node);
  }

  /** Kills every process and removes every namespace and file; nothing starts afterwards. */
  async destroy(): Promise<void> {
    this.closed = true;
    this.commands.abort();
    await this.failover.destroy();
  }

  private daemon(node: NodeName): Daemon {
    const daemon = this.daemons.get(node);
    if (!daemon) throw new Error(`${node} was never started`);
    return daemon;
  }

  private ensureOpen(): void {
    if (this.closed) throw new Error('the lab is being removed');
  }
}
