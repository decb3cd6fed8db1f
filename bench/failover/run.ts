// bench/failover: how long a client probing the VIP gets no answer when the primary crashes, is cut
// off, stops gracefully, or returns (failback), and how long a takeover takes after `is dead`.
// Runs two real daemons and a client in network namespaces; prints JSON.
import { type FailoverLab, monoMs } from '../../test/helpers/failover-lab.js';
import { withFailoverLab } from '../lab-run.js';
import { outage, settleOn } from '../outage.js';
import { waitFor } from '../../test/helpers/wait-for.js';
import { summary } from '../summary.js';

interface Setting {
  readonly keepaliveMs: number;
  readonly deadtimeMs: number;
}

const SETTINGS: Setting[] = [
  { keepaliveMs: 1000, deadtimeMs: 5000 },
  { keepaliveMs: 100, deadtimeMs: 300 },
];
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PROBE_MS = 2;
/** What the group runs after IPaddr (test/fixtures/agents/udp-echo). */
const SERVICE =
  'udp-echo: an LSB script starting a Perl UDP daemon that answers from its own process';
type Samples = Record<'crash' | 'linkCut' | 'gracefulStop' | 'failback' | 'takeover', number[]>;

async function waitSettled(lab: FailoverLab, node: string, since: number): Promise<void> {
  const settled = (): boolean =>
    lab.daemons
      .get(node)
      ?.lines.some((l) => l.at >= since && /Initial resource acquisition complete/.test(l.text)) ??
    false;
  await waitFor(settled, `${node} to settle`, 30_000);
}

async function runSetting(setting: Setting): Promise<Samples> {
  const samples: Samples = { crash: [], linkCut: [], gracefulStop: [], failback: [], takeover: [] };
  await withFailoverLab(setting, async (lab) => {
    lab.start('alpha');
    lab.start('beta');
    lab.startProbe(PROBE_MS);
    await settleOn(lab, 'alpha');
    for (let run = 0; run < RUNS; run++) {
      // Whole-node crash, then the node returns: takeover and failback.
      let at = monoMs();
      await lab.crash('alpha');
      samples.crash.push(await outage(lab, 'alpha', 'beta', at));
      const dead = lab.daemons
        .get('beta')
        ?.lines.findLast((l) => /node alpha: is dead/.test(l.text));
      const firstBeta = await lab.answerFrom('beta', at, 0);
      if (dead) samples.takeover.push(firstBeta.at - dead.at);
      await settleOn(lab, 'beta');
      await lab.reboot('alpha');
      at = monoMs();
      lab.start('alpha');
      await waitSettled(lab, 'alpha', at);
      samples.failback.push(await outage(lab, 'beta', 'alpha', at));
      await settleOn(lab, 'alpha');

      // Link cut: beta takes over; when the link is back, alpha keeps the VIP (partition healed).
      at = monoMs();
      await lab.lab.cut('alpha');
      samples.linkCut.push(await outage(lab, 'alpha', 'beta', at));
      await settleOn(lab, 'beta');
      await lab.lab.mend('alpha');
      await settleOn(lab, 'alpha');
      await waitFor(async () => !(await lab.holdsVip('beta')), 'beta to let go', 30_000);

      // Graceful stop, then the node returns.
      at = monoMs();
      lab.daemons.get('alpha')?.child.kill('SIGTERM');
      samples.gracefulStop.push(await outage(lab, 'alpha', 'beta', at));
      await lab.daemons.get('alpha')?.child.catch(() => undefined);
      await settleOn(lab, 'beta');
      at = monoMs();
      lab.start('alpha');
      await waitSettled(lab, 'alpha', at);
      samples.failback.push(await outage(lab, 'beta', 'alpha', at));
      await settleOn(lab, 'alpha');
    }
  });
  return samples;
}

const results: Record<string, unknown> = {};
for (const setting of SETTINGS) {
  const key = `${setting.keepaliveMs}/${setting.deadtimeMs}`;
  const samples = await runSetting(setting);
  results[key] = {
    keepaliveMs: setting.keepaliveMs,
    deadtimeMs: setting.deadtimeMs,
    outageMs: {
      crash: summary(samples.crash),
      linkCut: summary(samples.linkCut),
      gracefulStop: summary(samples.gracefulStop),
      failback: summary(samples.failback),
    },
    takeoverAfterDeadMs: summary(samples.takeover),
  };
}
process.stdout.write(
  `${JSON.stringify({ bench: 'failover', probeIntervalMs: PROBE_MS, service: SERVICE, results }, null, 2)}\n`,
);
