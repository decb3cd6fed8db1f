// The simulation fuzzer: seeded schedules that replay identically, a shrinker that keeps what a
// failure needs, and a sweep of random schedules in which no invariant may break.
import { describe, expect, it } from 'vitest';
import { fuzz } from './fuzz/fuzz.js';
import { makeSchedule, scheduleText } from './fuzz/schedule.js';
import { shrink } from './fuzz/shrink.js';

/** CI sweeps the same schedules every run; `npm run sim:fuzz` explores others. */
const CI_FIRST_SEED = 1;
const CI_SCHEDULES = 3000;

describe('simulation fuzzer', () => {
  it('builds the same schedule from the same seed, and another from another seed', () => {
    expect(scheduleText(makeSchedule(42))).toBe(scheduleText(makeSchedule(42)));
    expect(scheduleText(makeSchedule(42))).not.toBe(scheduleText(makeSchedule(43)));
    expect(makeSchedule(42).steps.length).toBeGreaterThan(0);
  });

  it('shrinks a failing schedule to the steps the failure needs', () => {
    const schedule = makeSchedule(7);
    const needed = schedule.steps[Math.floor(schedule.steps.length / 2)];
    expect(needed).toBeDefined();
    const smallest = shrink(schedule, (s) => s.steps.includes(needed ?? []));
    expect(smallest.steps).toEqual([needed]);
    expect(smallest.setup).toEqual(schedule.setup);
    expect(smallest.finale).toEqual(schedule.finale);
  });

  it(`breaks no invariant in ${CI_SCHEDULES} random schedules`, () => {
    const report = fuzz(CI_FIRST_SEED, CI_SCHEDULES);
    expect(report.schedules).toBe(CI_SCHEDULES);
    expect(report.steps).toBeGreaterThan(CI_SCHEDULES);
    expect(report.violations.map((v) => `seed ${v.seed}: ${v.kind}\n${v.replay}`)).toEqual([]);
  }, 300_000);
});
