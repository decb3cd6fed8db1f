// What a violation's evidence adds to the audit's findings, so that it explains itself once the lab
// is gone: each node's notable log lines of the iteration, and where the client sends the VIP's
// packets (its neighbour entry) against the nodes' MAC addresses.
import type { FailoverLab } from '../test/helpers/failover-lab.js';
import type { IterationRecord } from './audit.js';
import { NODES } from './cluster.js';

const NOTABLE =
  / (WARN|ERROR|CRIT): |Acquiring|Releasing|Announcing|takeover|standby|Running \S+IPaddr|reset/;
const MAX_LINES_PER_NODE = 40;

export async function moreEvidence(lab: FailoverLab, record: IterationRecord): Promise<string[]> {
  const macs = await Promise.all(NODES.map(async (node) => `${node} ${await lab.mac(node)}`));
  const neighbour = (await lab.clientNeighbour()) ?? 'none';
  const lines = NODES.flatMap((node) =>
    record.logs[node]
      .split('\n')
      .filter((line) => NOTABLE.test(line))
      .slice(-MAX_LINES_PER_NODE)
      .map((line) => `${node} log: ${line.replace(/^heartbeat\[\d+\]: \S+ /, '')}`),
  );
  return [
    `client's neighbour entry for the VIP: ${neighbour} (MACs: ${macs.join(', ')})`,
    ...lines,
  ];
}
