// bench/monitoring: how long a client probing the VIP goes unanswered when the service behind it is
// killed and resource monitoring notices: restarted in place (the VIP stays), or moved to the peer
// after migration_threshold failures. Runs two real daemons and a client in network namespaces;
// prints JSON.
import { setTimeout as delay } from 'node:timers/promises';
import { monoMs, type FailoverLab } from '../../test/helpers/failover-lab.js';
import { labCli } from '../../test/helpers/lab-cli.js';
import { withFailoverLab } from '../lab-run.js';
import { outage, settleOn } from '../outage.js';
import { waitFor } from '../../test/helpers/wait-for.js';
import { summary } from '../summary.js';
import { monitorFailureAt, monitorService } from './service.js';

const TIMING = { keepaliveMs: 100, deadtimeMs: 500 };
const MONITOR_MS = 1000;
/** Never reached in RUNS kills: every failure is recovered in place. */
const IN_PLACE_THRESHOLD = 1000;
const MOVE_THRESHOLD = 1;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PROBE_MS = 2;
const ANSWER_TIMEOUT_MS = 30_000;
/** What the group runs after IPaddr (test/fixtures/agents/udp-echo). */
const SERVICE =
  'udp-echo: an LSB script starting a Perl UDP daemon that answers from its own process';
const KILL_PHASES =
  'run i of N (from 0) kills the service (i + 0.5)/N of a monitor interval after a monitor was ' +
  'due, counted from the first answer after the group came up on alpha (its first monitor is ' +
  'due one interval later), so the wait for the next monitor is sampled evenly';

const progress = (text: string): void => void process.stderr.write(`monitoring: ${text}\n`);

/** Waits for this run's point in the monitor's period, counted from `upAt` (see KILL_PHASES). */
async function reachKillPhase(upAt: number, run: number): Promise<void> {
  const phase = ((run + 0.5) / RUNS) * MONITOR_MS;
  const periods = Math.max(0, Math.ceil((monoMs() - upAt - phase) / MONITOR_MS));
  await delay(upAt + phase + periods * MONITOR_MS - monoMs());
}

/** A lab whose service is monitored with `threshold`; `body` gets it once alpha serves the VIP. */
function withMonitoredLab<T>(
  threshold: number,
  body: (lab: FailoverLab, upAt: number) => Promise<T>,
): Promise<T> {
  return withFailoverLab(TIMING, async (lab) => {
    await monitorService(lab, MONITOR_MS, threshold);
    lab.start('alpha');
    lab.start('beta');
    lab.startProbe(PROBE_MS);
    const first = await lab.answerFrom('alpha', 0, ANSWER_TIMEOUT_MS);
    await settleOn(lab, 'alpha');
    return body(lab, first.at);
  });
}

/** Per run: kill to answered, kill to the monitor's failure line, and from that line to answered. */
interface KillTimings {
  readonly total: number[];
  readonly detection: number[];
  readonly recovery: number[];
}

/** Kills alpha's service at this run's phase and times it until `answerer` answers the client. */
async function timeKill(
  lab: FailoverLab,
  run: number,
  upAt: number,
  answerer: string,
  timings: KillTimings,
): Promise<{ killedAt: number; answeredAt: number }> {
  await reachKillPhase(upAt, run);
  const killedAt = await lab.killService('alpha');
  const failedAt = await monitorFailureAt(lab, 'alpha', killedAt);
  const answer = await lab.answerFrom(answerer, failedAt, ANSWER_TIMEOUT_MS);
  timings.total.push(answer.at - killedAt);
  timings.detection.push(failedAt - killedAt);
  timings.recovery.push(answer.at - failedAt);
  const after = Math.round(answer.at - killedAt);
  progress(`run ${run + 1}/${RUNS}: ${answerer} answered ${after} ms after the kill`);
  return { killedAt, answeredAt: answer.at };
}

/** Kills alpha's service; the monitor finds it dead and restarts it on alpha. */
async function measureInPlace() {
  const timings: KillTimings = { total: [], detection: [], recovery: [] };
  let answeredOnlyByAlpha = true;
  await withMonitoredLab(IN_PLACE_THRESHOLD, async (lab, firstUpAt) => {
    let upAt = firstUpAt;
    for (let run = 0; run < RUNS; run++) {
      const { killedAt, answeredAt } = await timeKill(lab, run, upAt, 'alpha', timings);
      upAt = answeredAt;
      await settleOn(lab, 'alpha');
      const elsewhere = lab.answers.some((a) => a.at > killedAt && a.from !== 'alpha');
      if (elsewhere || (await lab.holdsVip('beta'))) answeredOnlyByAlpha = false;
    }
  });
  return {
    migrationThreshold: IN_PLACE_THRESHOLD,
    killToAnsweredMs: summary(timings.total),
    killToMonitorFailureMs: summary(timings.detection),
    monitorFailureToAnsweredMs: summary(timings.recovery),
    answeredOnlyByAlpha,
  };
}

/** Kills alpha's service; the group moves to beta, and `heartbeat cleanup` on alpha brings it home. */
async function measureMoved() {
  const timings: KillTimings = { total: [], detection: [], recovery: [] };
  const failback: number[] = [];
  await withMonitoredLab(MOVE_THRESHOLD, async (lab, firstUpAt) => {
    let upAt = firstUpAt;
    for (let run = 0; run < RUNS; run++) {
      await timeKill(lab, run, upAt, 'beta', timings);
      await settleOn(lab, 'beta');
      const cleanedAt = monoMs();
      const cleanup = await labCli(lab, 'alpha', ['cleanup']);
      if (cleanup.code !== 0) throw new Error(`heartbeat cleanup failed: ${cleanup.err}`);
      failback.push(await outage(lab, 'beta', 'alpha', cleanedAt));
      upAt = (await lab.answerFrom('alpha', cleanedAt, 0)).at;
      await settleOn(lab, 'alpha');
      await waitFor(async () => !(await lab.holdsVip('beta')), 'beta to let go', ANSWER_TIMEOUT_MS);
    }
  });
  return {
    migrationThreshold: MOVE_THRESHOLD,
    killToPeerAnsweredMs: summary(timings.total),
    killToMonitorFailureMs: summary(timings.detection),
    monitorFailureToPeerAnsweredMs: summary(timings.recovery),
    failbackOutageAfterCleanupMs: summary(failback),
  };
}

const results = { inPlace: await measureInPlace(), moved: await measureMoved() };
const bench = {
  bench: 'monitoring',
  probeIntervalMs: PROBE_MS,
  service: SERVICE,
  keepaliveMs: TIMING.keepaliveMs,
  deadtimeMs: TIMING.deadtimeMs,
  monitorIntervalMs: MONITOR_MS,
  killPhases: KILL_PHASES,
  results,
};
process.stdout.write(`${JSON.stringify(bench, null, 2)}\n`);
