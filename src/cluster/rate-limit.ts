// Lets a repeated complaint through at most once per interval per key, counting what it held back.

export class RateLimit {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(private readonly intervalMs: number) {}

  /** The number of suppressed repeats to mention, or undefined when this one is held back. */
  allow(key: string, now: number): number | undefined {
    const entry = this.last.get(key);
    if (entry && now - entry.at < this.intervalMs) {
      entry.suppressed++;
      return undefined;
    }
    const suppressed = entry?.suppressed ?? 0;
    this.last.set(key, { at: now, suppressed: 0 });
    if (this.last.size > 1024) this.forgetOlderThan(now - this.intervalMs);
    return suppressed;
  }

  private forgetOlderThan(limit: number): void {
    for (const [key, entry] of this.last) if (entry.at < limit) this.last.delete(key);
  }
}
