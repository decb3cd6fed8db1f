// bench/footprint: idle RSS and CPU of one of our nodes (paired with a peer in network namespaces)
// at two keepalives, at keepalive 100 ms with two ping nodes (and its fping helper), RSS growth
// over time at keepalive 10 ms, and a bare Node UDP process as the baseline measured on this
// machine. Prints JSON on stdout, progress on stderr.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { monoMs } from '../../test/helpers/line-watcher.js';
import { Lab } from '../../test/helpers/netns.js';
import { events, pidIn, startPair, startWatched, type Timing } from './pair.js';
import {
  clockTicks,
  cpuPercent,
  idleFigures,
  mb,
  round,
  sampleFor,
  type Sample,
} from './sampler.js';

const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 60);
const GROWTH_S = Number(process.env.BENCH_GROWTH_S ?? 600);
/** Start-up (module loading, JIT, first GCs) is left out of every figure. */
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 15);
const IDLE_TIMINGS: Timing[] = [
  { keepaliveMs: 1000, deadtimeMs: 5000, warntimeMs: 3000 },
  { keepaliveMs: 100, deadtimeMs: 300, warntimeMs: 200 },
];
const GROWTH_TIMING: Timing = { keepaliveMs: 10, deadtimeMs: 100, warntimeMs: 50 };
const PING_TIMING: Timing = { keepaliveMs: 100, deadtimeMs: 300, warntimeMs: 200 };
/** The third lab namespace answers as one ping node, beta's address as the other. */
const PING_HOSTS = ['192.0.2.12', '192.0.2.11'];
/** fping's sampling ends this much before alpha's, so that it never reads a stopped process. */
const FPING_MARGIN_S = 3;
/** The reference figures (RSS, MB). */
const REFERENCES = {
  heartbeat_3_0_6_rss_mb: 25.7,
  heartbeat_3_0_6_processes: 4,
  keepalived_rss_mb: 13.3,
  bare_node20_udp_socket_rss_mb: 43,
};
const GOAL_OVER_BARE_MB = 12;
/** Below this, the minimum-RSS difference is within V8's normal heap resizing. */
const GROWTH_TOLERANCE_MB = 1;
const BARE_MARKER = 'footprint-bare-node';
/** A bound, idle UDP socket; the trailing comment lets the process be found by its command line. */
const BARE_NODE = `require('node:dgram').createSocket('udp4').bind(0, '127.0.0.1'); // ${BARE_MARKER}`;

const progress = (text: string): void => void process.stderr.write(`[footprint] ${text}\n`);

async function measureBare(lab: Lab, ticks: number) {
  progress(`bare Node with one UDP socket: ${String(WARMUP_S)} s warm-up, ${String(IDLE_S)} s`);
  const bare = await startWatched(lab, 'alpha', ['-e', BARE_NODE], BARE_MARKER);
  try {
    await delay(WARMUP_S * 1000);
    return idleFigures(await sampleFor(bare.pid, IDLE_S), ticks);
  } finally {
    await lab.killAll('alpha');
  }
}

/** Runs the pair with `timing` and samples alpha for `seconds` after the warm-up. */
async function measurePair(
  lab: Lab,
  root: string,
  timing: Timing,
  seconds: number,
  onSample?: (sample: Sample) => void,
  extraHacf: readonly string[] = [],
) {
  const dir = join(
    root,
    `keepalive-${String(timing.keepaliveMs)}ms${extraHacf.length ? '-ping' : ''}`,
  );
  await mkdir(dir);
  try {
    const alpha = await startPair(lab, dir, timing, extraHacf);
    progress(`keepalive ${String(timing.keepaliveMs)} ms: pair up, ${String(WARMUP_S)} s warm-up`);
    await delay(WARMUP_S * 1000);
    const since = monoMs();
    const samples = await sampleFor(alpha.pid, seconds, 1000, onSample);
    return { samples, events: events(alpha, since) };
  } finally {
    await lab.killAll('alpha');
    await lab.killAll('beta');
  }
}

const config = (t: Timing) => ({
  keepalive_ms: t.keepaliveMs,
  deadtime_ms: t.deadtimeMs,
  warntime_ms: t.warntimeMs,
});

/** alpha with two ping nodes, and the one fping process that pings both for it. */
async function measurePing(lab: Lab, root: string, ticks: number) {
  progress(`keepalive 100 ms with two ping nodes: ${String(IDLE_S)} s`);
  const hacf = PING_HOSTS.map((host) => `ping ${host}`);
  let fping: Promise<Sample[]> | undefined;
  const { samples, events: seen } = await measurePair(
    lab,
    root,
    PING_TIMING,
    IDLE_S,
    (sample) => {
      // Sampled alongside alpha, from alpha's first sample on, ending before alpha is stopped.
      fping ??= pidIn(lab, 'alpha', 'fping -l').then((pid) =>
        sampleFor(pid, IDLE_S - sample.atS - FPING_MARGIN_S),
      );
    },
    hacf,
  );
  const alpha = idleFigures(samples, ticks);
  const helper = idleFigures((await fping) ?? [], ticks);
  return {
    ...config(PING_TIMING),
    ping_nodes: PING_HOSTS.length,
    daemon: alpha,
    fping: helper,
    daemon_plus_fping_rss_mb: round(alpha.rss_mb.median + helper.rss_mb.median),
    ...seen,
  };
}

async function measureGrowth(lab: Lab, root: string, ticks: number) {
  progress(`growth at keepalive 10 ms for ${String(GROWTH_S)} s`);
  const every = Math.max(1, Math.round(GROWTH_S / 10));
  const { samples, events: seen } = await measurePair(lab, root, GROWTH_TIMING, GROWTH_S, (s) => {
    if (Math.round(s.atS) % every === 0)
      progress(`  t=${s.atS.toFixed(0)} s RSS ${mb(s.rssKb).toFixed(1)} MB`);
  });
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last) throw new Error('no samples');
  const hours = (last.atS - first.atS) / 3600;
  // The lowest RSS in a window is after a GC; comparing those leaves garbage not yet collected out.
  const windowS = Math.min(60, Math.floor(GROWTH_S / 3));
  const minRss = (from: number, to: number): number =>
    Math.min(...samples.filter((s) => s.atS >= from && s.atS <= to).map((s) => mb(s.rssKb)));
  const firstMin = minRss(0, windowS);
  const lastMin = minRss(last.atS - windowS, last.atS);
  // A leak keeps growing; V8 sizing its young generation to the allocation rate levels off.
  const midMin = minRss(last.atS / 2 - windowS / 2, last.atS / 2 + windowS / 2);
  return {
    ...config(GROWTH_TIMING),
    seconds: round(last.atS),
    start_rss_mb: round(mb(first.rssKb)),
    end_rss_mb: round(mb(last.rssKb)),
    growth_mb: round(mb(last.rssKb - first.rssKb), 2),
    growth_mb_per_hour: round(mb(last.rssKb - first.rssKb) / hours, 2),
    window_s: windowS,
    first_window_min_rss_mb: round(firstMin),
    last_window_min_rss_mb: round(lastMin),
    min_rss_growth_mb: round(lastMin - firstMin, 2),
    min_rss_growth_mb_per_hour: round((lastMin - firstMin) / hours, 2),
    mid_window_min_rss_mb: round(midMin),
    second_half_min_rss_growth_mb: round(lastMin - midMin, 2),
    cpu_percent_of_one_core: cpuPercent(samples, ticks),
    ...seen,
    samples: samples
      .filter((s, i) => i % every === 0 || s === last)
      .map((s) => ({ t_s: Math.round(s.atS), rss_mb: round(mb(s.rssKb)) })),
  };
}

async function main(): Promise<void> {
  const ticks = await clockTicks();
  const root = await mkdtemp(join(tmpdir(), 'hbts-footprint-'));
  let lab: Lab | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanUp = (): Promise<void> =>
    (cleaning ??= (async () => {
      await lab?.destroy();
      await rm(root, { recursive: true, force: true });
    })());
  // `on`, not `once`: execa's exit hook re-raises a signal that has no other listener left.
  const interrupted = (signal: NodeJS.Signals): void => {
    progress(`${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(128 + (signal === 'SIGINT' ? 2 : 15)));
  };
  process.on('SIGINT', interrupted);
  process.on('SIGTERM', interrupted);
  try {
    lab = await Lab.create(['alpha', 'beta', 'router']);
    progress(`lab ${lab.prefix}, files in ${root}`);
    const bare = await measureBare(lab, ticks);
    const idle = [];
    for (const timing of IDLE_TIMINGS) {
      const { samples, events: seen } = await measurePair(lab, root, timing, IDLE_S);
      const figures = idleFigures(samples, ticks);
      idle.push({
        ...config(timing),
        ...figures,
        median_over_bare_node_mb: round(figures.rss_mb.median - bare.rss_mb.median),
        ...seen,
      });
    }
    const withPingNodes = await measurePing(lab, root, ticks);
    const growth = await measureGrowth(lab, root, ticks);
    const worstOver = Math.max(...idle.map((i) => i.median_over_bare_node_mb));
    const goal = {
      allowed_over_bare_node_mb: GOAL_OVER_BARE_MB,
      worst_median_over_bare_node_mb: worstOver,
      rss_within_allowance: worstOver <= GOAL_OVER_BARE_MB,
      growth_tolerance_mb: GROWTH_TOLERANCE_MB,
      // Over the second half: the first minutes include V8 sizing its heap to the allocation
      // rate, which levels off; a leak keeps climbing through the second half too.
      growth_measured_over: 'second half (middle-window vs last-window lowest RSS)',
      no_growth: growth.second_half_min_rss_growth_mb <= GROWTH_TOLERANCE_MB,
    };
    const result = {
      benchmark: 'footprint',
      machine: { cpus: cpus().length, node: process.version, clock_ticks_per_s: ticks },
      method:
        'alpha of a two-node pair in network namespaces (one bcast medium, empty haresources), ' +
        'sampled once a second from /proc: VmRSS; CPU = utime+stime (all threads, reaped children)',
      warmup_s: WARMUP_S,
      bare_node_udp_socket: bare,
      idle,
      with_ping_nodes: withPingNodes,
      growth,
      references: REFERENCES,
      goal: { ...goal, met: goal.rss_within_allowance && goal.no_growth },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
    await cleanUp();
  }
}

await main();
