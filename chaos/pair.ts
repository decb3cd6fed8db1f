// The pair a chaos run works on: the failover lab's options (short timings, the udp-echo agent
// wrapped so it can be made to fail, the lab-reset STONITH device when fencing), and the pair
// started in it with monitoring, both keys, a probing client and, when fencing, the power switch.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FailoverLab, FailoverOptions } from '../test/helpers/failover-lab.js';
import { ChaosCluster, NODES } from './cluster.js';
import type { Timing } from './fault.js';
import { monitoringIni } from './faults-agent.js';
import { authkeys } from './faults-operator.js';
import { PowerSwitch } from './power-switch.js';

export const TIMING: Timing = { keepaliveMs: 200, deadtimeMs: 1000, monitorMs: 1000 };
const PROBE_EVERY_MS = 20;
/** The udp-echo agent of both nodes, wrapped so that its start or status can be made to fail. */
const FLAKY_ECHO = { 'udp-echo': 'agents/flaky-echo', 'udp-echo-real': 'agents/udp-echo' };
/** Beside the nodes' directories in the lab's root: where the STONITH plugin asks for resets. */
const FENCE_REQUESTS = 'fence-requests';

export function labOptions(fencing: boolean): FailoverOptions {
  const options = { ...TIMING, nodeAgents: { alpha: FLAKY_ECHO, beta: FLAKY_ECHO } };
  if (!fencing) return options;
  return {
    ...options,
    stonithPlugins: { 'lab-reset': 'stonith/lab-reset' },
    extraHacf: (dir) => [
      `stonith_host * external/lab-reset ${join(dir, '..', FENCE_REQUESTS)} alpha,beta`,
    ],
  };
}

export interface Pair {
  readonly cluster: ChaosCluster;
  /** The lab's power switch, when the pair fences. */
  readonly powerSwitch: PowerSwitch | undefined;
}

/** Starts both daemons and the client; the pair still has to settle. */
export async function startPair(lab: FailoverLab, fencing: boolean): Promise<Pair> {
  const cluster = new ChaosCluster(lab);
  const powerSwitch = fencing
    ? new PowerSwitch(cluster, join(lab.root, FENCE_REQUESTS))
    : undefined;
  await powerSwitch?.start();
  for (const node of NODES) {
    await writeFile(join(lab.dir(node), 'timeouts.ini'), monitoringIni(TIMING.monitorMs));
    await writeFile(join(lab.dir(node), 'authkeys'), authkeys(1), { mode: 0o600 });
    cluster.start(node);
  }
  lab.startProbe(PROBE_EVERY_MS);
  return { cluster, powerSwitch };
}
