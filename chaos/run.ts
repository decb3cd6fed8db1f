// `npm run chaos -- [--iterations N] [--seed S] [--fencing on|off] [--faults KIND,...]`: a chaos
// run of N iterations on real daemons in network namespaces (as root), fencing or not as the seed
// decides unless told, drawing from every fault or from those named. Prints its report as JSON on stdout and progress on stderr; exits
// 0 when nothing broke, 1 on a violation, 2 on a bad argument. Ctrl-C removes the lab.
import { parseArgs } from 'node:util';
import { runChaos, type ChaosOptions } from './chaos.js';
import { FAULTS } from './faults.js';

const USAGE =
  'usage: npm run chaos -- [--iterations N] [--seed S] [--fencing on|off] [--faults KIND,...]';
const MAX_ITERATIONS = 100_000;
const MAX_SEED = 2 ** 31;

/** The options, or what is wrong with the arguments. */
function options(argv: string[]): ChaosOptions | string {
  let values: { iterations?: string; seed?: string; fencing?: string; faults?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        iterations: { type: 'string' },
        seed: { type: 'string' },
        fencing: { type: 'string' },
        faults: { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    return (error as Error).message;
  }
  const iterations = Number(values.iterations ?? 30);
  const seed = Number(values.seed ?? Date.now() % MAX_SEED);
  if (!/^\d+$/.test(values.iterations ?? '30') || iterations < 1 || iterations > MAX_ITERATIONS)
    return `--iterations must be a whole number from 1 to ${MAX_ITERATIONS}`;
  if (!/^\d+$/.test(values.seed ?? '0') || seed > MAX_SEED)
    return `--seed must be a whole number from 0 to ${MAX_SEED}`;
  const kinds = FAULTS.map((fault) => fault.kind);
  const only = values.faults?.split(',');
  const unknown = only?.find((kind) => !kinds.includes(kind));
  if (unknown !== undefined) return `no fault "${unknown}" (faults: ${kinds.join(', ')})`;
  if (values.fencing === undefined) return { iterations, seed, ...(only ? { only } : {}) };
  if (values.fencing !== 'on' && values.fencing !== 'off') return '--fencing must be on or off';
  return { iterations, seed, fencing: values.fencing === 'on', ...(only ? { only } : {}) };
}

async function main(argv: string[]): Promise<number> {
  const chosen = options(argv);
  if (typeof chosen === 'string') {
    process.stderr.write(`chaos: ${chosen}\n${USAGE}\n`);
    return 2;
  }
  if (process.getuid?.() !== 0) {
    process.stderr.write('chaos: run it as root: it builds network namespaces\n');
    return 2;
  }
  process.stderr.write(`chaos: ${chosen.iterations} iterations, seed ${chosen.seed}\n`);
  const report = await runChaos({
    ...chosen,
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return report.violations.length === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
