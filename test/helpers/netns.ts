// A throw-away lab of network namespaces joined by a bridge: one namespace per node, addresses from
// 192.0.2.0/24, a per-run unique prefix, and cleanup of every namespace and process it started.
import { execa, type ResultPromise } from 'execa';
import { randomBytes } from 'node:crypto';
import { LineWatcher } from './line-watcher.js';
import { isAlive } from './processes.js';

export interface LabNode {
  readonly name: string;
  readonly ns: string;
  readonly address: string;
  /** The bridge-side end of its cable, in the switch namespace: down = link cut. */
  readonly cable: string;
}

type Child = ResultPromise<{ reject: false; buffer: false }>;

/** A lab process whose output lines are stamped as written. */
export interface Watched {
  readonly child: ResultPromise;
  readonly output: LineWatcher;
}

export class Lab {
  readonly nodes = new Map<string, LabNode>();
  private readonly children = new Set<ResultPromise>();
  private readonly owners = new Map<ResultPromise, string>();
  private readonly watchers = new Set<LineWatcher>();

  private constructor(
    readonly prefix: string,
    readonly switchNs: string,
  ) {}

  /** Needs root and iproute2; each node gets eth0 on a shared bridge. */
  static async create(names: readonly string[]): Promise<Lab> {
    const prefix = `hb${randomBytes(3).toString('hex')}`;
    const lab = new Lab(prefix, `${prefix}sw`);
    try {
      await ip('netns', 'add', lab.switchNs);
      await ip('-n', lab.switchNs, 'link', 'add', 'br0', 'type', 'bridge');
      await ip('-n', lab.switchNs, 'link', 'set', 'br0', 'up');
      for (const [i, name] of names.entries()) await lab.addNode(name, i);
    } catch (error) {
      await lab.destroy();
      throw error;
    }
    return lab;
  }

  node(name: string): LabNode {
    const node = this.nodes.get(name);
    if (!node) throw new Error(`no lab node ${name}`);
    return node;
  }

  /** Starts a long-running command inside a node's namespace; destroy() kills it if still alive. */
  spawn(
    name: string,
    command: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv = {},
  ): Child {
    const child = execa('ip', ['netns', 'exec', this.node(name).ns, command, ...args], {
      reject: false,
      buffer: false,
      env,
    });
    this.track(child, name);
    return child;
  }

  /** Like spawn(), with stdout and stderr going to a LineWatcher that stamps each line as written. */
  spawnWatched(name: string, command: string, args: readonly string[]): Watched {
    const output = new LineWatcher();
    this.watchers.add(output);
    void output.closed.then(() => this.watchers.delete(output));
    const child = execa('ip', ['netns', 'exec', this.node(name).ns, command, ...args], {
      reject: false,
      buffer: false,
      stdout: output.input,
      stderr: output.input,
    });
    output.release();
    this.track(child, name);
    return { child, output };
  }

  private track(child: ResultPromise, name: string): void {
    this.children.add(child);
    this.owners.set(child, name);
    void child.finally(() => {
      this.children.delete(child);
      this.owners.delete(child);
    });
  }

  /** Runs `ip ARGS...` inside a node's namespace. */
  async ip(name: string, ...args: string[]): Promise<void> {
    await ip('-n', this.node(name).ns, ...args);
  }

  /** SIGKILL every process in a node's namespace (daemons fork children): the node crashes. */
  async killAll(name: string): Promise<void> {
    // A process may fork while we kill (a forking server): repeat until nothing is left alive.
    for (let round = 0; round < KILL_ROUNDS; round++) {
      const { stdout } = await execa('ip', ['netns', 'pids', this.node(name).ns], {
        reject: false,
      });
      const alive = stdout.split('\n').filter(Boolean).map(Number).filter(isAlive);
      if (alive.length === 0) break;
      for (const pid of alive) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
    const children = [...this.owners].filter(([, owner]) => owner === name).map(([child]) => child);
    await Promise.allSettled(children);
  }

  async cut(name: string): Promise<void> {
    await ip('-n', this.switchNs, 'link', 'set', this.node(name).cable, 'down');
  }

  async mend(name: string): Promise<void> {
    await ip('-n', this.switchNs, 'link', 'set', this.node(name).cable, 'up');
  }

  async destroy(): Promise<void> {
    for (const child of this.children) child.kill('SIGKILL');
    await Promise.allSettled([...this.nodes.keys()].map((name) => this.killAll(name)));
    await Promise.allSettled([...this.children]);
    await Promise.allSettled([...this.watchers].map((w) => w.stop()));
    const namespaces = [...[...this.nodes.values()].map((n) => n.ns), this.switchNs];
    await Promise.allSettled(namespaces.map((ns) => ip('netns', 'del', ns)));
  }

  private async addNode(name: string, index: number): Promise<void> {
    const ns = `${this.prefix}n${index}`;
    const address = `192.0.2.${10 + index}`;
    const inner = `${this.prefix}i${index}`;
    const cable = `${this.prefix}c${index}`;
    await ip('netns', 'add', ns);
    this.nodes.set(name, { name, ns, address, cable });
    await ip('link', 'add', inner, 'type', 'veth', 'peer', 'name', cable);
    await ip('link', 'set', inner, 'netns', ns);
    await ip('link', 'set', cable, 'netns', this.switchNs);
    await ip('-n', ns, 'link', 'set', inner, 'name', 'eth0');
    await ip('-n', ns, 'addr', 'add', `${address}/24`, 'brd', '+', 'dev', 'eth0');
    await ip('-n', ns, 'link', 'set', 'eth0', 'up');
    await ip('-n', ns, 'link', 'set', 'lo', 'up');
    await ip('-n', this.switchNs, 'link', 'set', cable, 'master', 'br0');
    await ip('-n', this.switchNs, 'link', 'set', cable, 'up');
  }
}

const KILL_ROUNDS = 20;

async function ip(...args: string[]): Promise<void> {
  await execa('ip', args, { timeout: 10_000 });
}
