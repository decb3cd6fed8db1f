// A Log whose destinations a reload can replace while everyone keeps the same object.
import type { Level } from './levels.js';
import type { Log } from './logger.js';

export class SwitchableLog implements Log {
  constructor(private current: Log) {}

  log(level: Level, message: string): void {
    this.current.log(level, message);
  }

  get debugLevel(): number {
    return this.current.debugLevel;
  }

  setDebugLevel(level: number): void {
    this.current.setDebugLevel(level);
  }

  reopen(): Promise<void> {
    return this.current.reopen();
  }

  close(): Promise<void> {
    return this.current.close();
  }

  /** New destinations from now on; the old ones are flushed and closed. */
  async replace(next: Log): Promise<void> {
    const old = this.current;
    this.current = next;
    await old.close();
  }
}
