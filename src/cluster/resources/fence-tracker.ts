// When to fence a peer again: one attempt at a time, retried with doubling backoff until it works.
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

export class FenceTracker {
  private state: 'idle' | 'due' | 'running' = 'idle';
  private dueAt = 0;
  /** Failed attempts since the fencing was asked for. */
  failures = 0;

  get idle(): boolean {
    return this.state === 'idle';
  }

  get running(): boolean {
    return this.state === 'running';
  }

  /** For status: idle, an attempt in flight, or waiting to retry (and until when). */
  get phase(): { readonly state: 'idle' | 'fencing' | 'retrying'; readonly retryAt?: number } {
    if (this.state === 'running') return { state: 'fencing' };
    return this.state === 'due' ? { state: 'retrying', retryAt: this.dueAt } : { state: 'idle' };
  }

  /** Fencing is needed from now on; a request while one is pending changes nothing. */
  request(now: number): void {
    if (this.state !== 'idle') return;
    this.state = 'due';
    this.dueAt = now;
    this.failures = 0;
  }

  /** Whether an attempt should start now; if so it is marked running. */
  startIfDue(now: number): boolean {
    if (this.state !== 'due' || now < this.dueAt) return false;
    this.state = 'running';
    return true;
  }

  /** The attempt failed: the delay until the next one. */
  failed(now: number): number {
    this.failures += 1;
    const delay = Math.min(FIRST_RETRY_MS * 2 ** (this.failures - 1), MAX_RETRY_MS);
    this.state = 'due';
    this.dueAt = now + delay;
    return delay;
  }

  /** Succeeded, or no longer needed; an attempt still running reports to nobody. */
  reset(): void {
    this.state = 'idle';
    this.failures = 0;
  }

  nextWakeup(): number {
    return this.state === 'due' ? this.dueAt : Infinity;
  }
}
