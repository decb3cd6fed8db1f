// A CTS-like chaos run on real daemons in network namespaces: alpha and beta serve the VIP group,
// a client probes it, and each iteration injects one seeded random fault, waits for the cluster to
// settle and audits it from outside. The report counts the faults and lists the violations.
import { withFailoverLab } from '../bench/lab-run.js';
import { Random } from '../test/cluster/fuzz/random.js';
import { monoMs, type FailoverLab } from '../test/helpers/failover-lab.js';
import { audit, longestSilence, type IterationRecord } from './audit.js';
import type { NodeName } from './cluster.js';
import { FAULTS } from './faults.js';
import { moreEvidence } from './evidence.js';
import { runIteration } from './iteration.js';
import { labOptions, startPair, TIMING, type Pair } from './pair.js';
import { settle } from './settle.js';

const FIRST_SETTLE_MS = 60_000;

export interface ChaosOptions {
  readonly iterations: number;
  readonly seed: number;
  /** A STONITH device that really resets nodes; when not given, the seed decides. */
  readonly fencing?: boolean;
  /** Only the faults of these kinds (to reproduce one); all when not given. */
  readonly only?: readonly string[];
  /** One line per iteration, as it ends. */
  readonly progress?: (line: string) => void;
}

export interface Violation {
  readonly iteration: number;
  readonly fault: string;
  /** The iteration's own seed, drawn from the run's: it chose the fault and its parameters. */
  readonly seed: number;
  readonly detail: string;
  readonly evidence: readonly string[];
}

export interface ChaosReport {
  readonly seed: number;
  readonly date: string;
  readonly fencing: boolean;
  readonly iterations: number;
  readonly faults: Readonly<Record<string, number>>;
  readonly violations: readonly Violation[];
  /** Why the run ended before its iterations: the cluster did not settle. */
  readonly stoppedEarly?: string;
  readonly elapsedMs: number;
}

type Outcome = Pick<ChaosReport, 'iterations' | 'faults' | 'violations' | 'stoppedEarly'>;

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const began = monoMs();
  const date = new Date().toISOString();
  const random = new Random(options.seed);
  const fencing = options.fencing ?? random.chance(0.5);
  const outcome = await withFailoverLab(labOptions(fencing), (lab) =>
    iterate(lab, fencing, random, options),
  );
  const elapsedMs = Math.round(monoMs() - began);
  return { seed: options.seed, date, fencing, ...outcome, elapsedMs };
}

async function iterate(
  lab: FailoverLab,
  fencing: boolean,
  random: Random,
  options: ChaosOptions,
): Promise<Outcome> {
  const pair = await startPair(lab, fencing);
  try {
    return await iterateOn(lab, pair, random, options);
  } finally {
    await pair.powerSwitch?.stop();
  }
}

async function iterateOn(
  lab: FailoverLab,
  { cluster, powerSwitch }: Pair,
  random: Random,
  { iterations, seed, progress, only }: ChaosOptions,
): Promise<Outcome> {
  const usable = FAULTS.filter((fault) => powerSwitch !== undefined || !fault.needsFencing);
  const pool = only ? usable.filter((fault) => only.includes(fault.kind)) : usable;
  const faults: Record<string, number> = {};
  const violations: Violation[] = [];
  const first = await settle(cluster, FIRST_SETTLE_MS);
  if (!('holder' in first)) {
    const evidence = first.problems;
    violations.push({ iteration: 0, fault: 'start', seed, detail: 'both started', evidence });
    return { iterations: 0, faults, violations, stoppedEarly: 'the pair never settled' };
  }
  let holder: NodeName = first.holder;
  for (let iteration = 1; iteration <= iterations; iteration++) {
    const iterationSeed = random.int(0, 2 ** 31 - 1);
    const iterationRandom = new Random(iterationSeed);
    const fault = iterationRandom.pick(pool);
    const record = await runIteration(cluster, powerSwitch, fault, iterationRandom, TIMING, holder);
    faults[fault.kind] = (faults[fault.kind] ?? 0) + 1;
    const evidence = audit(record, TIMING);
    progress?.(`[${iteration}/${iterations}] ${summary(record, evidence)}`);
    if (evidence.length > 0) {
      const detail = record.outcome.detail;
      const explained = [...evidence, ...(await moreEvidence(lab, record))];
      violations.push({
        iteration,
        fault: fault.kind,
        seed: iterationSeed,
        detail,
        evidence: explained,
      });
    }
    if (!('holder' in record.settled))
      return { iterations: iteration, faults, violations, stoppedEarly: 'the pair did not settle' };
    holder = record.settled.holder;
  }
  return { iterations, faults, violations };
}

/** One progress line: the fault, where and when it settled, the client's longest silence. */
function summary(record: IterationRecord, evidence: readonly string[]): string {
  const { outcome, settled, samples, resets } = record;
  const where =
    'holder' in settled
      ? `settled on ${settled.holder} ${Math.round(settled.at - outcome.healedAt)} ms after`
      : 'NOT settled';
  const doubled = samples.filter((s) => s.holders.length > 1).length;
  const silence = Math.round(longestSilence(record).ms);
  const fenced = resets.length > 0 ? `, reset ${resets.join(' ')}` : '';
  const verdict = evidence.length > 0 ? `VIOLATION: ${evidence.join('; ')}` : 'ok';
  return `${outcome.detail}${fenced}: ${where}, longest silence ${silence} ms, ${doubled} doubled samples: ${verdict}`;
}
