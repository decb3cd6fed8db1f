// Tries again, per group, what keeps failing: 10 s after the first failure, then twice as long each
// time, at most 5 min. A stop that failed (an unclean group, until it is fenced: so that a stop
// that works again clears it, instead of two nodes running it for good when nothing can fence),
// and an announcement of a group's addresses that failed (clients may still follow the peer).
const FIRST_RETRY_MS = 10_000;
const MAX_RETRY_MS = 300_000;

export class RetryBackoff {
  /** Group index -> when to try again, and the wait before that. */
  private readonly due = new Map<number, { at: number; waitedMs: number }>();

  /** The group's operation ended, failed (again) or not. */
  settled(group: number, failed: boolean, now: number): void {
    if (!failed) {
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

  /** No try is pending for any group. */
  get idle(): boolean {
    return this.due.size === 0;
  }

  /** When the group's next try is due; Infinity when none is pending. */
  dueAt(group: number): number {
    return this.due.get(group)?.at ?? Infinity;
  }
}
