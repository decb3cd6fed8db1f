// How long to wait before starting a helper again after it exited: 1 s, doubling while it keeps
// dying young, up to 30 s; a run longer than that starts the count over.
const FIRST_MS = 1000;
const MAX_MS = 30_000;

export class RestartDelay {
  private quickExits = 0;

  /** The helper ran `ranMs` and exited: the delay before its next start. */
  next(ranMs: number): number {
    this.quickExits = ranMs >= MAX_MS ? 0 : this.quickExits + 1;
    return Math.min(FIRST_MS * 2 ** Math.max(0, this.quickExits - 1), MAX_MS);
  }
}
