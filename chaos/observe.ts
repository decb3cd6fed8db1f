// What the chaos run sees from outside the daemons: which nodes have the VIP on their interface,
// and which run the udp-echo service (its Perl process), read from each node's namespace; and
// waiting, within a deadline, for what a fault must lead to.
import { execa } from 'execa';
import { readFile } from 'node:fs/promises';
import type { FailoverLab } from '../test/helpers/failover-lab.js';
import { isAlive } from '../test/helpers/processes.js';
import { waitFor } from '../test/helpers/wait-for.js';
import { NODES, type ChaosCluster, type NodeName } from './cluster.js';

/** The nodes whose eth0 carries the VIP now. */
export async function vipHolders(lab: FailoverLab): Promise<NodeName[]> {
  const holds = await Promise.all(NODES.map((node) => lab.holdsVip(node)));
  return NODES.filter((_, i) => holds[i]);
}

/** Whether the VIP is on that node alone. */
export async function vipOn(cluster: ChaosCluster, node: NodeName): Promise<boolean> {
  return (await vipHolders(cluster.lab)).join() === node;
}

/** Waits for what a fault must lead to; what it waited for in vain, if it did. */
export async function within(
  timeoutMs: number,
  what: string,
  condition: () => Promise<boolean>,
): Promise<string[]> {
  return waitFor(condition, what, timeoutMs).then(
    () => [],
    (error: unknown) => [String(error)],
  );
}

/** The pids of the udp-echo service processes alive in the node's namespace. */
export async function servicePids(lab: FailoverLab, node: NodeName): Promise<number[]> {
  const { stdout } = await execa('ip', ['netns', 'pids', lab.lab.node(node).ns], {
    reject: false,
  });
  const pids = stdout.split('\n').filter(Boolean).map(Number).filter(isAlive);
  const services = await Promise.all(pids.map(async (pid) => ((await isService(pid)) ? pid : 0)));
  return services.filter((pid) => pid !== 0);
}

/** The udp-echo fixture's service: `perl -e <program> PORT NAME`, its program reading datagrams. */
async function isService(pid: number): Promise<boolean> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  const [command = '', ...args] = cmdline.split('\0');
  return command.endsWith('perl') && args.some((arg) => arg.includes('recv($socket'));
}
