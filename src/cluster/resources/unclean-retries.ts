// A group whose stop kept failing is unclean: until it is fenced, this node stops it again now and
// then (10 s, then twice as long each time, at most 5 min), so that a stop that works again (the
// fault repaired) clears it, instead of two nodes running it for good when nothing can fence.
const FIRST_RETRY_MS = 10_000;
const MAX_RETRY_MS = 300_000;

export class UncleanRetries {
  /** Group index -> when to try again, and the wait before that. */
  private readonly due = new Map<number, { at: number; waitedMs: number }>();

  /** The group ended its operation unclean (again) or clean. */
  settled(group: number, unclean: boolean, now: number): void {
    if (!unclean) {
      this.due.delete(group);
      return;
    }
    const waited = this.due.get(group)?.waitedMs;
    const waitMs = waited === undefined ? FIRST_RETRY_MS : Math.min(2 * waited, MAX_RETRY_MS);
    this.due.set(group, { at: now + waitMs, waitedMs: waitMs });
  }

  /** True once per retry: the caller starts it, and the next is set when it ends. */
  takeIfDue(group: number, now: number): boolean {
    const entry = this.due.get(group);
    if (entry === undefined || entry.at > now) return false;
    entry.at = Infinity;
    return true;
  }

  nextWakeup(): number {
    return Math.min(Infinity, ...[...this.due.values()].map((d) => d.at));
  }
}
