// The last cluster events (the core's log lines at info and above), with wall-clock times.
import type { EventSnapshot } from '../control/snapshot.js';
import type { Level } from '../log/levels.js';

const KEPT = 50;

export class EventHistory {
  private readonly events: EventSnapshot[] = [];

  record(level: Level, text: string, now = new Date()): void {
    if (level === 'debug') return;
    this.events.push({ at: now.toISOString(), level, text });
    if (this.events.length > KEPT) this.events.shift();
  }

  get recent(): readonly EventSnapshot[] {
    return this.events;
  }
}
