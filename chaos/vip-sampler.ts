// Samples, every ~50 ms while a fault runs and the cluster settles, which nodes have the VIP on
// their interface, so that even a short moment with the VIP on both nodes is seen.
import { setTimeout as delay } from 'node:timers/promises';
import { monoMs, type FailoverLab } from '../test/helpers/failover-lab.js';
import type { NodeName } from './cluster.js';
import { vipHolders } from './observe.js';

export const SAMPLE_EVERY_MS = 50;

export interface VipSample {
  /** monoMs() when the sample was taken (both nodes are read at once). */
  readonly at: number;
  readonly holders: readonly NodeName[];
}

export class VipSampler {
  readonly samples: VipSample[] = [];
  private running: Promise<void> | undefined;
  private stopping = false;

  constructor(private readonly lab: FailoverLab) {}

  start(): void {
    this.stopping = false;
    this.running = this.loop();
  }

  /** Stops sampling; resolves once the sample in flight is in. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      const at = monoMs();
      const holders = await vipHolders(this.lab).catch(() => undefined);
      // The lab is gone (the run was interrupted): nothing more to sample.
      if (!holders) return;
      this.samples.push({ at, holders });
      await delay(Math.max(0, SAMPLE_EVERY_MS - (monoMs() - at)));
    }
  }
}
