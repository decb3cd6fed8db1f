// Resource monitoring's bookkeeping: which resources are monitored, when each is next due while
// its group runs steadily here, its last result, and its failures on this node within
// failure_timeout. Pure; the policy that acts on failures is in monitor-policy.ts.
import type { ResourceSpec } from '../../config/resource-spec.js';
import type { Instant, MonitorSettings } from '../types.js';
import type { GroupInfo } from './groups.js';

export type MonitorSettingsOf = (spec: ResourceSpec) => MonitorSettings;

/** A resource no monitor watches (and the built-in values of the other settings). */
export const NOT_MONITORED: MonitorSettings = {
  intervalMs: 0,
  timeoutMs: 20_000,
  migrationThreshold: 3,
  failureTimeoutMs: Infinity,
};

export interface MonitorResult {
  readonly ok: boolean;
  readonly detail: string;
  /** Wall-clock seconds, for status. */
  readonly wallSeconds: number;
}

interface Watch {
  settings: MonitorSettings;
  /** Monotonic ms of the next run; undefined while the group is not steady here, or one runs. */
  nextAt: number | undefined;
  running: boolean;
  last: MonitorResult | undefined;
  /** Monotonic ms of each failure not yet forgotten. */
  failures: number[];
}

/** What status shows of one resource. */
export interface MonitorView {
  readonly intervalMs: number;
  readonly last: MonitorResult | undefined;
  readonly failures: number;
  readonly migrationThreshold: number;
}

export class Monitors {
  private readonly watches: Watch[][];

  constructor(
    private readonly groups: readonly GroupInfo[],
    settingsOf: MonitorSettingsOf,
  ) {
    this.watches = groups.map((group) =>
      group.resources.map((spec) => ({
        settings: settingsOf(spec),
        nextAt: undefined,
        running: false,
        last: undefined,
        failures: [],
      })),
    );
  }

  /** A reload: new intervals apply from each resource's next run. */
  useSettings(settingsOf: MonitorSettingsOf): void {
    this.groups.forEach((group, g) => {
      group.resources.forEach((spec, r) => {
        const watch = this.watches[g]?.[r];
        if (watch) watch.settings = settingsOf(spec);
      });
    });
  }

  /** The group runs steadily here: each monitored resource is due one interval from now. */
  arm(group: number, at: Instant): void {
    for (const watch of this.watches[group] ?? []) {
      if (watch.settings.intervalMs > 0 && watch.nextAt === undefined && !watch.running)
        watch.nextAt = at.mono + watch.settings.intervalMs;
    }
  }

  /** The group moves, stops or is not here: no monitor runs until it is steady again. */
  disarm(group: number): void {
    for (const watch of this.watches[group] ?? []) watch.nextAt = undefined;
  }

  /**
   * The group's monitor due first, if any is due and none of the group runs: one operation of a
   * group at a time, so the others stay due and take their turn.
   */
  nextDue(group: number, at: Instant): { resource: number; timeoutMs: number } | undefined {
    const watches = this.watches[group] ?? [];
    if (watches.some((watch) => watch.running)) return undefined;
    let first: number | undefined;
    watches.forEach((watch, r) => {
      const due = watch.nextAt !== undefined && watch.nextAt <= at.mono;
      if (due && (first === undefined || (watch.nextAt ?? 0) < (watches[first]?.nextAt ?? 0)))
        first = r;
    });
    return first === undefined
      ? undefined
      : { resource: first, timeoutMs: this.start(group, first) };
  }

  /** Takes a monitor off the schedule while it runs; returns its timeout. */
  private start(group: number, resource: number): number {
    const watch = this.watches[group]?.[resource];
    if (!watch) return 0;
    watch.nextAt = undefined;
    watch.running = true;
    return watch.settings.timeoutMs;
  }

  /** A monitor ended, whatever it found: the next one is armed once the group is steady. */
  finished(group: number, resource: number): void {
    const watch = this.watches[group]?.[resource];
    if (watch) watch.running = false;
  }

  /** Records a result; returns how many failures this resource has had here, unforgotten. */
  record(group: number, resource: number, result: MonitorResult, at: Instant): number {
    const watch = this.watches[group]?.[resource];
    if (!watch) return 0;
    watch.last = result;
    if (result.ok) return this.failures(group, resource, at);
    watch.failures.push(at.mono);
    return this.failures(group, resource, at);
  }

  /** Drops every failure older than its failure_timeout. */
  forgetExpired(at: Instant): void {
    this.watches.forEach((watches, g) => {
      watches.forEach((_, r) => this.failures(g, r, at));
    });
  }

  failures(group: number, resource: number, at: Instant): number {
    const watch = this.watches[group]?.[resource];
    if (!watch) return 0;
    // The same sum as nextWakeup's, so that a failure due to expire at a tick does expire.
    watch.failures = watch.failures.filter((t) => t + watch.settings.failureTimeoutMs > at.mono);
    return watch.failures.length;
  }

  /** Some resource of the group has failed here as often as its migration_threshold allows. */
  exhausted(group: number, at: Instant): boolean {
    return (this.watches[group] ?? []).some((watch, r) => {
      const threshold = watch.settings.migrationThreshold;
      return threshold > 0 && this.failures(group, r, at) >= threshold;
    });
  }

  /** Failures counted per group, as of the last expiry check; groups without any left out. */
  counts(): Map<number, number> {
    const counts = new Map<number, number>();
    this.watches.forEach((watches, g) => {
      const sum = watches.reduce((total, watch) => total + watch.failures.length, 0);
      if (sum > 0) counts.set(g, sum);
    });
    return counts;
  }

  /** Forgets the group's failures (an operator's cleanup). */
  clear(group: number): void {
    for (const watch of this.watches[group] ?? []) watch.failures = [];
  }

  threshold(group: number, resource: number): number {
    return this.watches[group]?.[resource]?.settings.migrationThreshold ?? 0;
  }

  /** The next monitor due, or the next failure to be forgotten. */
  nextWakeup(): number {
    let next = Infinity;
    for (const watches of this.watches) {
      // While one monitor of a group runs, the others wait for its result, not for the clock.
      const waiting = watches.some((watch) => watch.running);
      for (const watch of watches) {
        if (watch.nextAt !== undefined && !waiting) next = Math.min(next, watch.nextAt);
        const oldest = watch.failures[0];
        if (oldest !== undefined) next = Math.min(next, oldest + watch.settings.failureTimeoutMs);
      }
    }
    return next;
  }

  view(group: number, resource: number, at: Instant): MonitorView | undefined {
    const watch = this.watches[group]?.[resource];
    if (!watch) return undefined;
    return {
      intervalMs: watch.settings.intervalMs,
      last: watch.last,
      failures: this.failures(group, resource, at),
      migrationThreshold: watch.settings.migrationThreshold,
    };
  }
}
