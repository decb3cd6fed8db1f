// The JSON bench/compare prints: per setting and group shape, each metric's median, min, max and n
// for every implementation, and ours' median as a ratio of each peer's.
import type { Implementation } from '../../test/helpers/failover-lab.js';
import { summary } from '../summary.js';
import type { Metric, RunSamples, RunSpec, Setting, Shape } from './one-run.js';

export interface Figures {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

/** One metric across implementations; `ratio` is ours' median over the peer's (below 1: ours is faster). */
export type MetricTable = Partial<Record<Implementation, Figures>> & {
  ratio?: Partial<Record<Implementation, number>>;
};

/** Every sample of one setting, by shape, implementation and metric. */
export type SettingSamples = Map<Shape, Map<Implementation, RunSamples>>;

const METRICS: readonly Metric[] = [
  'crash',
  'link_cut',
  'graceful_stop',
  'failback',
  'standby',
  'after_detection',
];

/** Adds one run's samples to those of its shape and implementation. */
export function addRun(samples: SettingSamples, spec: RunSpec, run: RunSamples): void {
  const byImplementation = samples.get(spec.shape) ?? new Map<Implementation, RunSamples>();
  samples.set(spec.shape, byImplementation);
  const all = byImplementation.get(spec.implementation) ?? {};
  byImplementation.set(spec.implementation, all);
  for (const metric of METRICS) (all[metric] ??= []).push(...(run[metric] ?? []));
}

export function settingReport(
  setting: Setting,
  samples: SettingSamples,
  errors: readonly string[],
): Record<string, unknown> {
  return {
    keepalive_ms: setting.keepaliveMs,
    deadtime_ms: setting.deadtimeMs,
    keepalived_advert_s: setting.keepaliveMs / 1000,
    faults: shapeTables(samples.get('address_only')),
    faults_with_service: shapeTables(samples.get('address_and_service')),
    errors,
  };
}

function shapeTables(
  byImplementation: Map<Implementation, RunSamples> | undefined,
): Partial<Record<Metric, MetricTable>> {
  const tables: Partial<Record<Metric, MetricTable>> = {};
  for (const metric of METRICS) {
    const table: MetricTable = {};
    for (const [implementation, samples] of byImplementation ?? []) {
      const values = samples[metric] ?? [];
      if (values.length === 0) continue;
      const { median, min, max } = summary(values);
      table[implementation] = { median, min, max, n: values.length };
    }
    const ours = table.ours?.median;
    const ratio: Partial<Record<Implementation, number>> = {};
    for (const peer of ['heartbeat', 'keepalived'] as const) {
      const theirs = table[peer]?.median;
      if (ours !== undefined && theirs) ratio[peer] = Math.round((ours / theirs) * 100) / 100;
    }
    if (Object.keys(ratio).length > 0) table.ratio = ratio;
    if (Object.keys(table).length > 0) tables[metric] = table;
  }
  return tables;
}
