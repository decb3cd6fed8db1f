// Runs seeded random schedules against the simulated pair and collects what breaks: two holders no
// partition explains, starts out of order, a group not served once all is healed, a runner error.
// Each violation comes with the smallest schedule found that still shows it, as a scenario file.
import { runScenario } from '../scenario.js';
import { makeSchedule, scheduleText, type Schedule } from './schedule.js';
import { shrink } from './shrink.js';

export interface Violation {
  readonly seed: number;
  /** The first failure's message, which a replay must show again. */
  readonly kind: string;
  readonly failures: readonly string[];
  /** A scenario file that replays it: the schedule, shrunk. */
  readonly replay: string;
}

export interface FuzzReport {
  readonly schedules: number;
  readonly steps: number;
  readonly violations: readonly Violation[];
}

export function fuzz(firstSeed: number, schedules: number): FuzzReport {
  const violations: Violation[] = [];
  let steps = 0;
  for (let i = 0; i < schedules; i++) {
    const seed = (firstSeed + i) >>> 0;
    const schedule = makeSchedule(seed);
    steps += schedule.steps.length;
    const failures = failuresOf(schedule);
    const first = failures[0];
    if (first === undefined) continue;
    const kind = kindOf(first);
    const smallest = shrink(schedule, (candidate) =>
      failuresOf(candidate).some((f) => kindOf(f) === kind),
    );
    violations.push({ seed, kind, failures, replay: replayText(smallest, seed, first) });
  }
  return { schedules, steps, violations };
}

function failuresOf(schedule: Schedule): string[] {
  return runScenario(scheduleText(schedule)).map((f) => f.message);
}

/** What a failure is about, without the times and counts that change as a schedule shrinks. */
function kindOf(message: string): string {
  return message.replace(/\d+(\.\d+)?(ms|s)?/g, 'N').slice(0, 120);
}

function replayText(schedule: Schedule, seed: number, failure: string): string {
  const header = [
    `# Found by npm run sim:fuzz -- --seed ${seed} --schedules 1, then shrunk.`,
    `# It failed with: ${failure.split('\n')[0] ?? ''}`,
  ];
  return [...header, scheduleText(schedule)].join('\n');
}
