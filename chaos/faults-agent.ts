// Faults of the group's service, behind heartbeat's back: the service killed (the monitor restarts
// it in place), killed while its start fails (the group moves), and its status failing (the group
// moves after migration_threshold failures). The operator then repairs it and runs cleanup.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { monoMs } from '../test/helpers/failover-lab.js';
import { NODES, peerOf, type ChaosCluster, type NodeName } from './cluster.js';
import { commandProblem, type Fault, type FaultContext, type FaultOutcome } from './fault.js';
import { servicePids, vipOn, within } from './observe.js';

/** timeouts.ini of both nodes: udp-echo monitored; 3 failures move the group. */
export const monitoringIni = (monitorMs: number): string =>
  `[udp-echo]\nmonitor = ${monitorMs}ms\nmigration_threshold = 3\n`;
const MIGRATION_THRESHOLD = 3;

export const killService: Fault = {
  kind: 'service-kill',
  allowedCrit: [],
  outageBoundMs: (t) => t.monitorMs + 2500,
  async run(context) {
    const { cluster, timing, holder } = context;
    const killed = await killServices(cluster, holder);
    const back = await within(timing.monitorMs + 10_000, 'the service running again', async () =>
      (await servicePids(cluster.lab, holder)).some((pid) => !killed.includes(pid)),
    );
    return repaired(context, `${holder}: udp-echo service killed`, holder, back);
  },
};

export const startFails: Fault = {
  kind: 'start-fails',
  allowedCrit: [],
  outageBoundMs: (t) => t.monitorMs + 2500,
  async run(context) {
    const { cluster, timing, holder } = context;
    const flag = join(cluster.rscTmp(holder), 'udp-echo.fail-start');
    await writeFile(flag, '');
    await killServices(cluster, holder);
    const moved = await within(timing.monitorMs + 10_000, 'the group on the peer', () =>
      vipOn(cluster, peerOf(holder)),
    );
    await rm(flag, { force: true });
    return repaired(context, `${holder}: udp-echo killed, its start failing`, undefined, moved);
  },
};

export const monitorFails: Fault = {
  kind: 'monitor-fails',
  allowedCrit: [],
  outageBoundMs: () => 2500,
  async run(context) {
    const { cluster, timing, holder } = context;
    const flag = join(cluster.rscTmp(holder), 'udp-echo.fail-status');
    await writeFile(flag, '');
    const movedMs = (MIGRATION_THRESHOLD + 1) * timing.monitorMs + 10_000;
    const moved = await within(movedMs, 'the group on the peer', () =>
      vipOn(cluster, peerOf(holder)),
    );
    await rm(flag, { force: true });
    // Once cleaned up, the group goes back where it was: home (auto_failback on), or where an
    // operator's standby or takeover put it (a move outlives failures, as a Pacemaker location
    // constraint does). The long chaos run of 2026-12-06 expected home, wrongly, 4 times in 200.
    return repaired(context, `${holder}: udp-echo status failing`, holder, moved);
  },
};

/** SIGKILL to every udp-echo service process on the node; their pids. */
async function killServices(cluster: ChaosCluster, node: NodeName): Promise<number[]> {
  const pids = await servicePids(cluster.lab, node);
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  return pids;
}

/** The operator's repair: `heartbeat cleanup` on either node forgets the failures on both. */
async function repaired(
  { cluster, random }: FaultContext,
  detail: string,
  expectedHolder: NodeName | undefined,
  problems: string[],
): Promise<FaultOutcome> {
  const node = random.pick(NODES);
  const cleanup = await cluster.cli(node, ['cleanup']);
  return {
    detail: `${detail}; cleanup on ${node}`,
    healedAt: monoMs(),
    ...(expectedHolder ? { expectedHolder } : {}),
    problems: [...problems, ...commandProblem(node, 'cleanup', cleanup)],
  };
}
