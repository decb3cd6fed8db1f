// bench/compare: ours, heartbeat 3.0.6 and keepalived 2.2.7 side by side in one run. The same lab,
// service and client probe for each; implementations interleaved run by run so that drift hits all
// alike; prints JSON (progress on stderr).
import { execa } from 'execa';
import { cpus, release } from 'node:os';
import type { Implementation } from '../../test/helpers/failover-lab.js';
import { oneRun, type RunSpec, type Setting, type Shape } from './one-run.js';
import { addRun, settingReport, type SettingSamples } from './report.js';

/** Matched detection windows: keepalive/deadtime for ours and heartbeat, advert = keepalive for keepalived. */
const DEFAULT_SETTINGS = '1000/3000,100/300,10/30';
/**
 * Runs per setting: 3, and 6 at keepalive 10 ms, whose differences are a few ms (one run there
 * takes about 90 s). BENCH_RUNS sets every setting's.
 */
const runsFor = (setting: Setting): number =>
  Number(process.env.BENCH_RUNS ?? (setting.keepaliveMs <= 10 ? 6 : 3));
const ONLY = process.env.BENCH_IMPLEMENTATIONS?.split(',');
/** Who runs each shape: keepalived has no service to start, so only the address. */
const COMBINATIONS: readonly { implementation: Implementation; shape: Shape }[] = [
  { implementation: 'ours', shape: 'address_only' },
  { implementation: 'heartbeat', shape: 'address_only' },
  { implementation: 'keepalived', shape: 'address_only' },
  { implementation: 'ours', shape: 'address_and_service' },
  { implementation: 'heartbeat', shape: 'address_and_service' },
];

const progress = (text: string): void => void process.stderr.write(`compare: ${text}\n`);

function parseSettings(text: string): Setting[] {
  return text.split(',').map((pair) => {
    const [keepaliveMs, deadtimeMs] = pair.split('/').map(Number);
    if (!keepaliveMs || !deadtimeMs || deadtimeMs <= keepaliveMs) {
      throw new Error(`BENCH_SETTINGS: "${pair}" is not KEEPALIVE_MS/DEADTIME_MS`);
    }
    return { keepaliveMs, deadtimeMs };
  });
}

/** Every run of one setting; a combination that fails once is not tried again there (its samples up to the failure count). */
async function runSetting(setting: Setting): Promise<Record<string, unknown>> {
  const samples: SettingSamples = new Map();
  const errors: string[] = [];
  const failed = new Set<string>();
  const combinations = COMBINATIONS.filter((c) => !ONLY || ONLY.includes(c.implementation));
  const runs = runsFor(setting);
  for (let run = 1; run <= runs; run++) {
    for (const { implementation, shape } of combinations) {
      const name = `${setting.keepaliveMs}/${setting.deadtimeMs} ${implementation} ${shape}`;
      if (failed.has(name)) continue;
      const spec: RunSpec = { implementation, shape, setting };
      const started = performance.now();
      const { samples: measured, error } = await oneRun(spec);
      addRun(samples, spec, measured);
      const took = `${((performance.now() - started) / 1000).toFixed(0)} s`;
      progress(`${name} run ${run}/${runs} (${took}): ${JSON.stringify(measured)}`);
      if (error) {
        failed.add(name);
        errors.push(`${implementation} ${shape} run ${run}: ${error}`);
        progress(`${name} failed, not tried again at this setting: ${error}`);
      }
    }
  }
  return { runs, ...settingReport(setting, samples, errors) };
}

async function versions(): Promise<Record<string, string>> {
  const heartbeat = await execa('dpkg-query', ['-W', '-f=${Version}', 'heartbeat'], {
    reject: false,
  });
  const keepalived = await execa('keepalived', ['--version'], { reject: false, all: true });
  return {
    heartbeat: heartbeat.stdout || 'not installed',
    keepalived: /Keepalived v(\S+)/.exec(keepalived.all)?.[1] ?? 'not installed',
  };
}

const started = performance.now();
const settings = parseSettings(process.env.BENCH_SETTINGS ?? DEFAULT_SETTINGS);
const results = [];
for (const setting of settings) results.push(await runSetting(setting));
const document = {
  bench: 'compare',
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, kernel: release() },
  versions: await versions(),
  probe_interval_ms: 2,
  service: 'udp-echo: a Perl UDP daemon answering from its own process',
  ratio: "ours' median / the peer's median (below 1: ours is faster)",
  settings: results,
  elapsed_s: Math.round((performance.now() - started) / 1000),
};
process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
