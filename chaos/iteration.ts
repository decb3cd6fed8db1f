// One chaos iteration: the fault while the VIP is sampled, the wait for the cluster to settle, the
// client's first answer after it, and what the daemons logged and how they exited meanwhile.
import type { Random } from '../test/cluster/fuzz/random.js';
import { monoMs } from '../test/helpers/failover-lab.js';
import type { IterationRecord } from './audit.js';
import { NODES, type ChaosCluster, type NodeName } from './cluster.js';
import type { Fault, FaultOutcome, Timing } from './fault.js';
import type { PowerSwitch } from './power-switch.js';
import { settle } from './settle.js';
import { VipSampler } from './vip-sampler.js';

export const SETTLE_TIMEOUT_MS = 30_000;
/** How long the holder may take to answer the client once the cluster settled. */
const SERVED_AGAIN_MS = 3000;

export async function runIteration(
  cluster: ChaosCluster,
  powerSwitch: PowerSwitch | undefined,
  fault: Fault,
  random: Random,
  timing: Timing,
  holder: NodeName,
): Promise<IterationRecord> {
  const resetsBefore = powerSwitch?.resets.length ?? 0;
  const offsets = await Promise.all(NODES.map((node) => cluster.logSize(node)));
  const exitsBefore = cluster.exits.length;
  const sampler = new VipSampler(cluster.lab);
  sampler.start();
  const startedAt = monoMs();
  const outcome = await fault
    .run({ cluster, random, timing, holder, powerSwitch })
    .catch((error: unknown): FaultOutcome => ({
      detail: `${fault.kind}: its own steps failed`,
      healedAt: monoMs(),
      problems: [`the fault's steps failed: ${String(error)}`],
    }));
  const settled = await settle(cluster, SETTLE_TIMEOUT_MS);
  await sampler.stop();
  const servedAgainAt =
    'holder' in settled
      ? await cluster.lab.answerFrom(settled.holder, settled.at, SERVED_AGAIN_MS).then(
          (answer) => answer.at,
          () => undefined,
        )
      : undefined;
  const [alphaLog = '', betaLog = ''] = await Promise.all(
    NODES.map((node, i) => cluster.logFrom(node, offsets[i] ?? 0)),
  );
  return {
    fault,
    holderBefore: holder,
    outcome,
    startedAt,
    settled,
    servedAgainAt,
    samples: sampler.samples,
    answers: cluster.lab.answers,
    exits: cluster.exits.slice(exitsBefore),
    logs: { alpha: alphaLog, beta: betaLog },
    fencing: powerSwitch !== undefined,
    resets: powerSwitch?.resets.slice(resetsBefore).map((reset) => reset.node) ?? [],
  };
}
