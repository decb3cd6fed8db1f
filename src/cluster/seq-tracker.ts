// Per-sender sequence and generation tracking, with heartbeat's rules for replays, gaps and duplicates.

/** More missing messages than this are not worth asking for again. */
export const MAX_LOST = 250;
const MAX_MISSING = 499;

export type Judgement =
  | { readonly kind: 'in-order' }
  | { readonly kind: 'gap'; readonly first: number; readonly last: number }
  | { readonly kind: 'lost-a-lot'; readonly first: number; readonly last: number }
  | { readonly kind: 'filled'; readonly noneMissing: boolean }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'old' }
  | { readonly kind: 'replay'; readonly current: number };

export class SeqTracker {
  /** The sender's generation as learned from its status messages; 0 before the first. */
  generation = 0;
  private last: number | undefined;
  private readonly missing = new Set<number>();

  /**
   * Judges a sequenced message. Only `status` messages move the generation forward, as in
   * heartbeat; `restarted` tells the caller a higher generation just replaced a known one.
   */
  judge(
    isStatus: boolean,
    generation: number,
    seq: number,
  ): { judgement: Judgement; restarted: boolean } {
    if (generation < this.generation) {
      return { judgement: { kind: 'replay', current: this.generation }, restarted: false };
    }
    let restarted = false;
    if (isStatus && generation > this.generation) {
      restarted = this.generation > 0;
      this.generation = generation;
      this.reset();
    }
    return { judgement: this.place(seq), restarted };
  }

  /** Forget sequence state (the sender died or restarted); the generation is kept. */
  reset(): void {
    this.last = undefined;
    this.missing.clear();
  }

  /** Highest seq up to which everything arrived: what an acknowledgement may claim. */
  get contiguous(): number {
    if (this.last === undefined) return 0;
    let lowest = this.last + 1;
    for (const seq of this.missing) lowest = Math.min(lowest, seq);
    return lowest - 1;
  }

  get lastSeq(): number | undefined {
    return this.last;
  }

  isMissing(seq: number): boolean {
    return this.missing.has(seq);
  }

  /** Gives up on a message the sender cannot retransmit. */
  forget(seq: number): void {
    this.missing.delete(seq);
  }

  private place(seq: number): Judgement {
    const last = this.last;
    if (last === undefined || seq === last + 1) {
      this.last = seq;
      return { kind: 'in-order' };
    }
    if (seq === last) return { kind: 'duplicate' };
    if (seq > last) {
      const first = last + 1;
      this.last = seq;
      if (seq - first > MAX_LOST) {
        this.missing.clear();
        return { kind: 'lost-a-lot', first, last: seq - 1 };
      }
      for (let s = first; s < seq; s++) this.addMissing(s);
      return { kind: 'gap', first, last: seq - 1 };
    }
    if (!this.missing.delete(seq)) return { kind: 'old' };
    return { kind: 'filled', noneMissing: this.missing.size === 0 };
  }

  private addMissing(seq: number): void {
    if (this.missing.size >= MAX_MISSING) {
      let lowest = seq;
      for (const s of this.missing) lowest = Math.min(lowest, s);
      this.missing.delete(lowest);
    }
    this.missing.add(seq);
  }
}
