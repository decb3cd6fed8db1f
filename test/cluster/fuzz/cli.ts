// `npm run sim:fuzz -- [--schedules N] [--seed S]`: runs N seeded random schedules against the
// simulated pair and prints JSON (schedules, steps, violations with their seed and a shrunk
// scenario file that replays each). Exit 0 when none broke an invariant, 1 when one did, 2 on a
// bad argument.
import { parseArgs } from 'node:util';
import { fuzz } from './fuzz.js';

const USAGE = 'usage: npm run sim:fuzz -- [--schedules N] [--seed S]';

function main(argv: string[]): number {
  let values: { schedules?: string; seed?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { schedules: { type: 'string' }, seed: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`sim:fuzz: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const schedules = whole(values.schedules, 1000, 'schedules');
  const seed = whole(values.seed, Date.now() % 2 ** 31, 'seed');
  if (typeof schedules === 'string' || typeof seed === 'string') {
    process.stderr.write(
      `sim:fuzz: ${[schedules, seed].find((v) => typeof v === 'string') ?? ''}\n${USAGE}\n`,
    );
    return 2;
  }
  const started = performance.now();
  const report = fuzz(seed, schedules);
  const elapsedMs = Math.round(performance.now() - started);
  process.stdout.write(`${JSON.stringify({ seed, ...report, elapsedMs }, null, 2)}\n`);
  return report.violations.length === 0 ? 0 : 1;
}

/** A whole number from 0 to 2^31, the default when absent, or what is wrong with it. */
function whole(text: string | undefined, otherwise: number, name: string): number | string {
  if (text === undefined) return otherwise;
  if (!/^\d{1,10}$/.test(text) || Number(text) > 2 ** 31)
    return `--${name} must be a whole number from 0 to ${2 ** 31}, not "${text}"`;
  return Number(text);
}

process.exitCode = main(process.argv.slice(2));
