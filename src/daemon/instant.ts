// The edge's clock for the core: monotonic time, wall seconds, and a cached /proc/loadavg line.
import { readFile } from 'node:fs/promises';
import type { Instant } from '../cluster/types.js';

const LOAD_REFRESH_MS = 5000;

export class Clock {
  private load = '0.00 0.00 0.00 1/1 1';
  private timer: NodeJS.Timeout | undefined;

  /** Starts refreshing the load line in the background; it never blocks a heartbeat. */
  start(): void {
    const refresh = (): void => {
      readFile('/proc/loadavg', 'utf8')
        .then((text) => {
          this.load = text.split('\n')[0]?.trim() || this.load;
        })
        .catch(() => undefined);
    };
    refresh();
    this.timer = setInterval(refresh, LOAD_REFRESH_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  now(): Instant {
    return { mono: performance.now(), wallSeconds: Math.floor(Date.now() / 1000), load: this.load };
  }
}
