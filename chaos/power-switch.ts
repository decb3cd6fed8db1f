// The lab's power switch behind the lab-reset STONITH plugin: it watches the plugin's request
// files and power-cycles the node named in each (every process in its namespace killed, its VIP
// gone), then removes the file, which tells the plugin the reset is done, and boots the node.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { monoMs, VIP } from '../test/helpers/failover-lab.js';
import { NODES, type ChaosCluster, type NodeName } from './cluster.js';

const WATCH_EVERY_MS = 20;
/** While this file is among the requests, the plugin finds the switch not answering and fails. */
const BROKEN = 'broken';
/** From the reset to `heartbeat start` on the node: a (fast) boot. */
const BOOT_MS = 1000;

export interface Reset {
  readonly node: NodeName;
  readonly at: number;
}

export class PowerSwitch {
  readonly resets: Reset[] = [];
  private running: Promise<void> | undefined;
  private stopping = false;

  constructor(
    private readonly cluster: ChaosCluster,
    /** Where the plugin leaves its requests, `NODE.PID` each. */
    readonly requests: string,
  ) {}

  async start(): Promise<void> {
    await mkdir(this.requests, { recursive: true });
    this.running = this.watch();
  }

  /** The switch stops answering: every reset fails until `repair`. */
  async break(): Promise<void> {
    await writeFile(join(this.requests, BROKEN), '');
  }

  async repair(): Promise<void> {
    await rm(join(this.requests, BROKEN), { force: true });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  private async watch(): Promise<void> {
    while (!this.stopping) {
      const files = await readdir(this.requests).catch(() => undefined);
      // The lab is gone (the run was interrupted).
      if (!files) return;
      for (const file of files.filter((name) => name !== BROKEN)) {
        const served = await this.serve(file).then(
          () => true,
          () => false,
        );
        // A reset fails only when the lab is being removed under it.
        if (!served) return;
      }
      await delay(WATCH_EVERY_MS);
    }
  }

  /** Resets the node a request names, then removes the request: the plugin's reset is done. */
  private async serve(file: string): Promise<void> {
    const node = NODES.find((name) => file.startsWith(`${name}.`));
    if (node) await this.reset(node);
    await rm(join(this.requests, file), { force: true });
  }

  /** Power off and on: a node that ran heartbeat boots into it again; one that was down stays so. */
  private async reset(node: NodeName): Promise<void> {
    const wasUp = this.cluster.willExit(node) !== undefined;
    await this.cluster.lab.lab.killAll(node);
    await this.cluster.lab.lab.ip(node, 'addr', 'flush', 'dev', 'eth0', 'to', `${VIP}/32`);
    this.resets.push({ node, at: monoMs() });
    if (wasUp) void this.boot(node);
  }

  private async boot(node: NodeName): Promise<void> {
    await delay(BOOT_MS);
    if (!this.stopping) this.cluster.start(node);
  }
}
