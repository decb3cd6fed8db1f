// When two holders of a resource are expected: without fencing, while the nodes cannot hear each
// other (a partition, a frozen node, a killed daemon whose services still run) or a node cannot
// stop what it runs (unclean), and for a short while after. Any other moment two nodes run one
// resource breaks invariant 1.
import type { DoubledSpan } from './sim-resources.js';

export interface Span {
  readonly from: number;
  readonly to: number;
}

export class Excuses {
  private readonly spans: Span[] = [];
  private openSince: number | undefined;
  /** Why two holders are expected now: a partition, orphaned services, an unclean node. */
  private readonly reasons = new Set<string>();

  /** A reason starts or stops holding; an excuse is open while any does. */
  set(reason: string, holds: boolean, now: number): void {
    if (holds) this.reasons.add(reason);
    else this.reasons.delete(reason);
    const excused = this.reasons.size > 0;
    if (excused && this.openSince === undefined) this.openSince = now;
    if (!excused && this.openSince !== undefined) {
      this.spans.push({ from: this.openSince, to: now });
      this.openSince = undefined;
    }
  }

  /** An excuse known in advance (a node frozen for a while). */
  add(from: number, to: number): void {
    this.spans.push({ from, to });
  }

  /**
   * The parts of each doubled span (open ones end at `end`) that no excuse covers, each excuse
   * counting until `graceMs` after it ended; none counts when `graceMs` is undefined.
   */
  uncovered(doubled: readonly DoubledSpan[], end: number, graceMs: number | undefined): string[] {
    const excuses = (
      graceMs === undefined
        ? []
        : [
            ...this.spans,
            ...(this.openSince === undefined ? [] : [{ from: this.openSince, to: Infinity }]),
          ]
    )
      .map((s) => ({ from: s.from, to: s.to + (graceMs ?? 0) }))
      .sort((a, b) => a.from - b.from);
    const found: string[] = [];
    for (const span of doubled) {
      let at = span.from;
      const to = span.to ?? end;
      for (const excuse of excuses) {
        if (excuse.from > at || at >= to) continue;
        at = Math.max(at, excuse.to);
      }
      if (at < to)
        found.push(
          `${span.resource} on two nodes from ${fmt(at)} to ${span.to === undefined ? 'the end' : fmt(to)}`,
        );
    }
    return found;
  }
}

function fmt(ms: number): string {
  return `${(ms / 1000).toFixed(3)}s`;
}
