// What a node running on tries again by itself, each on its own backoff: the stop of an unclean
// group (until it is fenced), and an announcement of a kept group's addresses that failed.
import type { Emitter } from '../emitter.js';
import type { GroupOp, GroupOutcome, Instant } from '../types.js';
import { placeGroup, type LocalGroup, type PlacementContext } from './placement.js';
import { RetryBackoff } from './retry-backoff.js';

export class GroupRetries {
  private readonly stops = new RetryBackoff();
  private readonly announcements = new RetryBackoff();

  constructor(private readonly emit: Emitter) {}

  /** A group's operation ended; `group` is as it left it. */
  settled(group: LocalGroup, op: GroupOp, outcome: GroupOutcome, at: Instant): void {
    const index = group.info.index;
    this.stops.settled(index, group.holding === 'unclean', at.mono);
    if (op === 'reassert' || group.holding !== 'running')
      this.announcements.settled(index, op === 'reassert' && outcome === 'failed', at.mono);
  }

  /** What to try again now for an idle group of a node that runs on (not one that stops). */
  due(ctx: PlacementContext, group: LocalGroup, at: Instant): GroupOp | undefined {
    const index = group.info.index;
    if (this.stopWanted(group) && this.stops.takeIfDue(index, at.mono)) {
      this.emit.log('warn', `Stopping resource group ${group.info.name} again: its stop failed`);
      return 'release';
    }
    if (!this.announcementWanted(ctx, group)) return undefined;
    return this.announcements.takeIfDue(index, at.mono) ? 'reassert' : undefined;
  }

  /** Nothing failed that waits to be tried again (the usual case: no work per wakeup). */
  get idle(): boolean {
    return this.stops.idle && this.announcements.idle;
  }

  /** The next try due for a group that could take it now (the others wait for an event). */
  nextWakeup(ctx: PlacementContext, groups: readonly LocalGroup[]): number {
    return Math.min(
      ...groups.map((group) => {
        const index = group.info.index;
        const stop = this.stopWanted(group) ? this.stops.dueAt(index) : Infinity;
        const announce = this.announcementWanted(ctx, group)
          ? this.announcements.dueAt(index)
          : Infinity;
        return Math.min(stop, announce);
      }),
    );
  }

  private stopWanted(group: LocalGroup): boolean {
    return !group.op && group.holding === 'unclean';
  }

  private announcementWanted(ctx: PlacementContext, group: LocalGroup): boolean {
    return !group.op && group.holding === 'running' && placeGroup(ctx, group) === 'us';
  }
}
