// Makes a failing schedule small: drops runs of steps, halving their length down to single
// steps, keeping each drop only while the schedule still fails the same way.
import type { Schedule } from './schedule.js';

/** At most this many re-runs per violation: each is a whole simulated schedule. */
const MAX_TRIES = 400;

export function shrink(schedule: Schedule, stillFails: (s: Schedule) => boolean): Schedule {
  let best = schedule;
  let tries = 0;
  const attempt = (steps: (readonly string[])[]): boolean => {
    if (tries++ >= MAX_TRIES) return false;
    const candidate = { ...best, steps };
    if (!stillFails(candidate)) return false;
    best = candidate;
    return true;
  };
  for (let size = Math.ceil(best.steps.length / 2); size >= 1; size = Math.floor(size / 2)) {
    for (let start = 0; start < best.steps.length;) {
      const steps = [...best.steps.slice(0, start), ...best.steps.slice(start + size)];
      if (!attempt(steps)) start += size;
    }
  }
  return best;
}
