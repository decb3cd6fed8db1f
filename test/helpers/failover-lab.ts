// A two-node failover lab for e2e tests and benchmarks: alpha, beta and a client on one bridge, a
// VIP served by a group `IPaddr + udp-echo`, and a client probe that records who answers the VIP.
import { execa, type ResultPromise } from 'execa';
import { readFileSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { monoMs, type TimedLine } from './line-watcher.js';
import { Lab } from './netns.js';
import { startOurNode, writeNodeDir } from './our-node.js';
import {
  prepareKeepalivedNode,
  removeKeepalivedPidFiles,
  startKeepalivedNode,
  type KeepalivedNode,
} from './keepalived-node.js';
import { prepareRealNode, startRealNode, type RealNode } from './real-heartbeat.js';

export const VIP = '192.0.2.100';
export const ECHO_PORT = 7777;
export const GROUP_LINE = `alpha IPaddr::${VIP}/24/eth0 udp-echo`;
const AUTHKEYS = 'auth 1\n1 sha1 lab-secret-of-20-chars\n';
const FIXTURES = new URL('../../test/fixtures/', import.meta.url).pathname.replace(
  /\/dist-bench\/test\/fixtures\/$/,
  '/test/fixtures/',
);

/** What runs on a lab node: our daemon, heartbeat 3.0.6 or keepalived 2.2.7 (Debian packages). */
export type Implementation = 'ours' | 'heartbeat' | 'keepalived';

export { monoMs };

export interface FailoverOptions {
  readonly keepaliveMs: number;
  readonly deadtimeMs: number;
  readonly autoFailback?: 'on' | 'off';
  /** Extra ha.cf lines for each node (e.g. stonith_host), given the node's directory. */
  readonly extraHacf?: (dir: string) => readonly string[];
  /** The haresources line of both nodes (default GROUP_LINE). */
  readonly groupLine?: string;
  /**
   * Agents placed in one node's own resource.d, shadowing the shared ones: node -> name -> file
   * (relative to test/fixtures, or absolute).
   */
  readonly nodeAgents?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Files placed in each node's ha.d/stonith.d: name -> fixture file. */
  readonly stonithPlugins?: Readonly<Record<string, string>>;
  /** The node that runs the real heartbeat 3.0.6 (Debian package) instead of ours. */
  readonly real?: string;
  /**
   * What runs on both nodes (ours by default; `real` overrides it for its node). keepalived
   * advertises every keepaliveMs, and alpha is its MASTER with the higher priority.
   */
  readonly implementation?: Implementation;
  /** More namespaces on the bridge, after alpha, beta and client (a router for ping nodes). */
  readonly moreLabNodes?: readonly string[];
}

export interface Answer {
  readonly at: number;
  /** The node name the service answered with. */
  readonly from: string;
  /** The reply's source address. */
  readonly source: string;
}

/** Sends a datagram to ADDRESS:PORT every INTERVAL ms; prints "<mono ms> <reply> <source>" per reply. */
const PROBE = `
const dgram = require('node:dgram');
const [address, port, interval] = process.argv.slice(1);
const socket = dgram.createSocket('udp4');
const now = () => Number(process.hrtime.bigint()) / 1e6;
socket.on('message', (msg, rinfo) => process.stdout.write(now().toFixed(3) + ' ' + msg.toString().trim() + ' ' + rinfo.address + '\\n'));
socket.on('error', () => undefined);
socket.bind(() => setInterval(() => socket.send('who', Number(port), address, () => undefined), Number(interval)));
`;

export interface Daemon {
  readonly child: ResultPromise;
  /** monoMs() when it was started. */
  readonly startedAt: number;
  /** Output lines, each stamped with monoMs() as written. */
  readonly lines: readonly TimedLine[];
}

interface AnswerWaiter {
  readonly node: string;
  readonly after: number;
  readonly resolve: (answer: Answer) => void;
}

export class FailoverLab {
  readonly daemons = new Map<string, Daemon>();
  readonly answers: Answer[] = [];
  private readonly answerWaiters = new Set<AnswerWaiter>();
  private probe: ResultPromise | undefined;

  private constructor(
    readonly lab: Lab,
    readonly root: string,
    readonly dirs: ReadonlyMap<string, string>,
    /** Nodes running the real heartbeat 3.0.6. */
    readonly realNodes: ReadonlyMap<string, RealNode>,
    readonly keepalivedNodes: ReadonlyMap<string, KeepalivedNode>,
  ) {}

  static async create(options: FailoverOptions): Promise<FailoverLab> {
    const root = await mkdtemp(join(tmpdir(), 'hbts-e2e-'));
    const names = ['alpha', 'beta', 'client', ...(options.moreLabNodes ?? [])];
    const lab = await Lab.create(names).catch(async (error: unknown) => {
      await rm(root, { recursive: true, force: true });
      throw error;
    });
    const dirs = new Map<string, string>();
    const realNodes = new Map<string, RealNode>();
    const keepalivedNodes = new Map<string, KeepalivedNode>();
    try {
      for (const name of ['alpha', 'beta']) {
        const implementation =
          name === options.real ? 'heartbeat' : (options.implementation ?? 'ours');
        if (implementation === 'heartbeat') {
          realNodes.set(name, await prepareReal(root, name, options));
        } else if (implementation === 'keepalived') {
          const advertSec = options.keepaliveMs / 1000;
          const vip = `${VIP}/24`;
          keepalivedNodes.set(
            name,
            await prepareKeepalivedNode(root, name, { advertSec, home: 'alpha', vip }),
          );
        } else dirs.set(name, await writeFailoverNode(root, name, options));
      }
    } catch (error) {
      await lab.destroy();
      await rm(root, { recursive: true, force: true });
      throw error;
    }
    return new FailoverLab(lab, root, dirs, realNodes, keepalivedNodes);
  }

  dir(node: string): string {
    const dir = this.dirs.get(node);
    if (!dir) throw new Error(`no node ${node}`);
    return dir;
  }

  /** The node's agents' scratch directory (HA_RSCTMP): pid files, and flag files for fixtures. */
  rscTmp(node: string): string {
    return join(this.dir(node), 'state', 'rsctmp');
  }

  /**
   * SIGKILLs the group's service (the udp-echo fixture) behind heartbeat's back, by the pid its
   * agent wrote; returns monoMs() of the kill.
   */
  async killService(node: string): Promise<number> {
    const pidFile = join(this.rscTmp(node), 'udp-echo.pid');
    const pid = Number((await readFile(pidFile, 'utf8')).trim());
    // The fixture's Perl daemon only, never a process that got a reused pid.
    const command = pid > 0 ? await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '') : '';
    if (!command.startsWith('perl\0')) throw new Error(`${pidFile}: no running udp-echo`);
    const at = monoMs();
    process.kill(pid, 'SIGKILL');
    return at;
  }

  /** The real heartbeat node of that name; throws for one of ours. */
  realNode(node: string): RealNode {
    const real = this.realNodes.get(node);
    if (!real) throw new Error(`${node} is not a real heartbeat node`);
    return real;
  }

  /**
   * Starts the group's service (the udp-echo fixture) on a node outside any cluster manager, as
   * keepalived users run theirs: an "address only" group then moves just the VIP.
   */
  async startService(node: string): Promise<void> {
    const rscTmp = join(this.root, `service-${node}`);
    await mkdir(rscTmp, { recursive: true });
    const env = { HA_RSCTMP: rscTmp, HA_CURHOST: node };
    const agent = resolve(FIXTURES, 'agents/udp-echo');
    const { ns } = this.lab.node(node);
    const result = await execa('ip', ['netns', 'exec', ns, agent, 'start'], {
      env,
      reject: false,
      timeout: 10_000,
    });
    if (result.exitCode !== 0) throw new Error(`udp-echo start on ${node}: ${result.stderr}`);
  }

  /** Starts the daemon of a node (ours, heartbeat or keepalived), collecting its output lines. */
  start(node: string): Daemon {
    const real = this.realNodes.get(node);
    const keepalived = this.keepalivedNodes.get(node);
    const { child, output } = real
      ? startRealNode(this.lab, real)
      : keepalived
        ? startKeepalivedNode(this.lab, keepalived)
        : startOurNode(this.lab, node, this.dir(node));
    const daemon: Daemon = { child, startedAt: monoMs(), lines: output.lines };
    this.daemons.set(node, daemon);
    return daemon;
  }

  /** The output lines of the node's latest daemon; for a real node, its whole log file. */
  log(node: string): string[] {
    const real = this.realNodes.get(node);
    if (real) return readLines(real.logFile);
    return this.daemons.get(node)?.lines.map((l) => l.text) ?? [];
  }

  /** Starts probing the VIP from the client every `intervalMs`. */
  startProbe(intervalMs: number): void {
    const probe = this.lab.spawn('client', process.execPath, [
      '-e',
      PROBE,
      VIP,
      String(ECHO_PORT),
      String(intervalMs),
    ]);
    createInterface({ input: probe.stdout }).on('line', (line) => {
      const [at = '', from = '', source = ''] = line.split(' ');
      const answer = { at: Number(at), from, source };
      this.answers.push(answer);
      for (const waiter of this.answerWaiters) {
        if (answer.from !== waiter.node || answer.at <= waiter.after) continue;
        this.answerWaiters.delete(waiter);
        waiter.resolve(answer);
      }
    });
    this.probe = probe;
  }

  async stopProbe(): Promise<void> {
    this.probe?.kill('SIGKILL');
    await this.probe?.catch(() => undefined);
    this.probe = undefined;
  }

  /**
   * The first answer from `node` stamped after `after`, as soon as it arrives. Nothing polls in
   * the meantime: a benchmark waiting this way takes no CPU from the takeover it times.
   */
  answerFrom(node: string, after: number, timeoutMs: number): Promise<Answer> {
    let first: Answer | undefined;
    // Answers arrive in stamp order: those after `after` are at the end.
    for (let i = this.answers.length - 1; i >= 0; i--) {
      const answer = this.answers[i];
      if (!answer || answer.at <= after) break;
      if (answer.from === node) first = answer;
    }
    if (first) return Promise.resolve(first);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.answerWaiters.delete(waiter);
        reject(new Error(`no answer from ${node} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: AnswerWaiter = {
        node,
        after,
        resolve: (answer) => {
          clearTimeout(timer);
          resolve(answer);
        },
      };
      this.answerWaiters.add(waiter);
    });
  }

  /** Who answered last, if anyone did since `since`. */
  lastAnswer(since = 0): Answer | undefined {
    const last = this.answers.at(-1);
    return last && last.at >= since ? last : undefined;
  }

  /**
   * Whole-node crash: the cable goes, every process is killed, and the interface goes down, which
   * also drops whatever its kernel still had queued (a reply waiting for ARP would otherwise be
   * sent when the link returns, long after the "crash").
   */
  async crash(node: string): Promise<void> {
    await this.lab.cut(node);
    await this.lab.killAll(node);
    await this.lab.ip(node, 'link', 'set', 'eth0', 'down');
  }

  /** The node comes back as from a reboot: no VIP on its interface, interface and cable up. */
  async reboot(node: string): Promise<void> {
    const keepalived = this.keepalivedNodes.get(node);
    if (keepalived) await removeKeepalivedPidFiles(keepalived);
    await this.lab.ip(node, 'addr', 'flush', 'dev', 'eth0', 'to', `${VIP}/32`);
    await this.lab.ip(node, 'link', 'set', 'eth0', 'up');
    await this.lab.mend(node);
  }

  /** The MAC address of a node's eth0. */
  async mac(node: string): Promise<string> {
    const [link] = JSON.parse(await this.ipShow(node, '-j', 'link', 'show', 'eth0')) as {
      address?: string;
    }[];
    return link?.address ?? '';
  }

  /** The client's neighbour entry for the VIP: its MAC, or undefined when there is none. */
  async clientNeighbour(): Promise<string | undefined> {
    const stdout = await this.ipShow('client', '-j', 'neigh', 'show', VIP);
    const [entry] = JSON.parse(stdout || '[]') as { lladdr?: string }[];
    return entry?.lladdr;
  }

  /** Forgets the client's neighbour entry for the VIP: its next datagram asks by ARP again. */
  async flushClientNeighbour(): Promise<void> {
    // One delete, not a flush: with the probe running, a flush sees the entry come back and gives
    // up. None there is fine.
    await execa('ip', ['-n', this.lab.node('client').ns, 'neigh', 'del', VIP, 'dev', 'eth0'], {
      reject: false,
    });
  }

  /** Whether a node has the VIP on its interface. */
  async holdsVip(node: string): Promise<boolean> {
    return (await this.ipShow(node, '-o', '-4', 'addr', 'show')).includes(` ${VIP}/`);
  }

  /** What `ip ARGS` prints in a node's namespace. */
  private async ipShow(node: string, ...args: string[]): Promise<string> {
    const { stdout } = await execa('ip', ['-n', this.lab.node(node).ns, ...args]);
    return stdout;
  }

  async destroy(): Promise<void> {
    await this.stopProbe();
    await this.lab.destroy();
    await rm(this.root, { recursive: true, force: true });
  }
}

function readLines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/** The ha.cf lines both kinds of node share. */
function hacfLines(root: string, name: string, options: FailoverOptions): string[] {
  return [
    `keepalive ${options.keepaliveMs}ms`,
    `deadtime ${options.deadtimeMs}ms`,
    `warntime ${Math.max(options.keepaliveMs, Math.round(options.deadtimeMs / 2))}ms`,
    `initdead ${Math.max(options.deadtimeMs * 2, 2000)}ms`,
    'bcast eth0',
    `auto_failback ${options.autoFailback ?? 'on'}`,
    'node alpha beta',
    ...(options.extraHacf?.(join(root, name)) ?? []),
  ];
}

async function prepareReal(
  root: string,
  name: string,
  options: FailoverOptions,
): Promise<RealNode> {
  const agents = { 'udp-echo': 'agents/udp-echo', ...options.nodeAgents?.[name] };
  return prepareRealNode(root, name, {
    hacf: `${hacfLines(root, name, options).join('\n')}\n`,
    authkeys: AUTHKEYS,
    haresources: `${options.groupLine ?? GROUP_LINE}\n`,
    agents: Object.fromEntries(
      Object.entries(agents).map(([agent, fixture]) => [agent, resolve(FIXTURES, fixture)]),
    ),
  });
}

async function writeFailoverNode(
  root: string,
  name: string,
  options: FailoverOptions,
): Promise<string> {
  const hacf = hacfLines(root, name, options);
  const dir = await writeNodeDir(root, name, { hacf, authkeys: AUTHKEYS });
  await writeFile(join(dir, 'haresources'), `${options.groupLine ?? GROUP_LINE}\n`);
  await mkdir(join(dir, 'resource.d'), { recursive: true });
  const agents = { 'udp-echo': 'agents/udp-echo', ...options.nodeAgents?.[name] };
  for (const [agent, fixture] of Object.entries(agents)) {
    await copyFile(resolve(FIXTURES, fixture), join(dir, 'resource.d', agent));
    await chmod(join(dir, 'resource.d', agent), 0o755);
  }
  if (options.stonithPlugins) {
    await mkdir(join(dir, 'stonith.d'), { recursive: true });
    for (const [plugin, fixture] of Object.entries(options.stonithPlugins)) {
      await copyFile(join(FIXTURES, fixture), join(dir, 'stonith.d', plugin));
      await chmod(join(dir, 'stonith.d', plugin), 0o755);
    }
  }
  return dir;
}
