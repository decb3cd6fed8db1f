// bench/detection: how long after a peer's last heartbeat it is declared dead, and how many false
// deaths happen while both cores are kept busy. Runs two real daemons in network namespaces; prints JSON.
import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { monoMs } from '../../test/helpers/line-watcher.js';
import { Lab } from '../../test/helpers/netns.js';
import { startOurNode, writeNodeDir } from '../../test/helpers/our-node.js';

const OBSERVER = new URL('./observer.js', import.meta.url).pathname;
const BROADCAST = '192.0.2.255';

interface Setting {
  readonly keepaliveMs: number;
  readonly deadtimeMs: number;
}

const LATENCY_SETTINGS: Setting[] = [
  { keepaliveMs: 1000, deadtimeMs: 5000 },
  { keepaliveMs: 100, deadtimeMs: 300 },
  { keepaliveMs: 10, deadtimeMs: 30 },
];
const LOAD_SETTINGS: Setting[] = [
  { keepaliveMs: 100, deadtimeMs: 300 },
  { keepaliveMs: 10, deadtimeMs: 30 },
];
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 60);

function writeNode(root: string, name: string, s: Setting): Promise<string> {
  const hacf = [
    `keepalive ${s.keepaliveMs}ms`,
    `deadtime ${s.deadtimeMs}ms`,
    `warntime ${Math.floor((s.deadtimeMs + s.keepaliveMs) / 2)}ms`,
    'initdead 10',
    'bcast eth0',
    'auto_failback on',
    'node alpha beta',
  ];
  return writeNodeDir(root, name, { hacf });
}

/** One kill: ms from the last status alpha received from beta to alpha's "is dead". */
async function measureOnce(lab: Lab, root: string, s: Setting): Promise<number> {
  const alphaDir = await writeNode(root, 'alpha', s);
  const betaDir = await writeNode(root, 'beta', s);
  const observer = lab.spawnWatched('alpha', process.execPath, [OBSERVER, BROADCAST, '694']).output;
  await observer.waitFor(/^ready$/, 5000);
  const alpha = startOurNode(lab, 'alpha', alphaDir).output;
  void startOurNode(lab, 'beta', betaDir);
  await alpha.waitFor(/Status update for node beta: status active/, 15_000);
  await delay(Math.random() * s.keepaliveMs + 2 * s.keepaliveMs);
  const killedAt = monoMs();
  await lab.killAll('beta');
  const dead = await alpha.waitFor(/node beta: is dead/, s.deadtimeMs + 5000, killedAt);
  const beta = lab.node('beta').address;
  const fromBeta = observer.lines
    .map((l) => l.text.split(' '))
    .filter(([, source, type]) => source === beta && type === 'status')
    .map(([stamp]) => Number(BigInt(stamp ?? '0')) / 1e6);
  // Beta sends until the kill lands, which can be a keepalive after killedAt (listing the
  // namespace's processes takes milliseconds): its last status is the last one heard at all.
  const last = Math.max(...fromBeta.filter((t) => t <= dead.at));
  await lab.killAll('alpha');
  return dead.at - last;
}

/** Counts "is dead" lines on either node while two busy loops compete for both cores. */
async function falseDeaths(lab: Lab, root: string, s: Setting): Promise<number> {
  const alpha = startOurNode(lab, 'alpha', await writeNode(root, 'alpha', s)).output;
  const beta = startOurNode(lab, 'beta', await writeNode(root, 'beta', s)).output;
  await alpha.waitFor(/status active/, 15_000);
  const burners = [0, 1].map(() => execa(process.execPath, ['-e', 'for(;;){}'], { reject: false }));
  try {
    await delay(LOAD_SECONDS * 1000);
  } finally {
    for (const burner of burners) burner.kill('SIGKILL');
    await Promise.allSettled(burners);
  }
  const deaths = [...alpha.lines, ...beta.lines].filter((l) => l.text.includes(': is dead')).length;
  await lab.killAll('alpha');
  await lab.killAll('beta');
  return deaths;
}

function summary(values: number[]): Record<string, number> {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const round = (n: number): number => Math.round(n * 10) / 10;
  return {
    runs: sorted.length,
    min: round(sorted[0] ?? NaN),
    median: round(at(0.5)),
    p90: round(at(0.9)),
    max: round(sorted.at(-1) ?? NaN),
  };
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'hbts-bench-'));
  const lab = await Lab.create(['alpha', 'beta']);
  try {
    const detection = [];
    for (const s of LATENCY_SETTINGS) {
      const samples: number[] = [];
      for (let run = 0; run < RUNS; run++) samples.push(await measureOnce(lab, root, s));
      const stats = summary(samples);
      detection.push({
        keepalive_ms: s.keepaliveMs,
        deadtime_ms: s.deadtimeMs,
        after_last_heartbeat_ms: stats,
        beyond_deadtime_max_ms: Math.round(((stats.max ?? 0) - s.deadtimeMs) * 10) / 10,
      });
    }
    const load = [];
    for (const s of LOAD_SETTINGS) {
      load.push({
        keepalive_ms: s.keepaliveMs,
        deadtime_ms: s.deadtimeMs,
        seconds: LOAD_SECONDS,
        false_deaths: await falseDeaths(lab, root, s),
      });
    }
    process.stdout.write(
      `${JSON.stringify({ benchmark: 'detection', detection, false_deaths_under_load: load }, null, 2)}\n`,
    );
  } finally {
    await lab.destroy();
    await rm(root, { recursive: true, force: true });
  }
}

await main();
