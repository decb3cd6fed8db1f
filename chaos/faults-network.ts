// Faults of a node's network: its cable cut then mended (a partition, or a blip under deadtime),
// and a share of its heartbeat packets dropped both ways (nftables inside its namespace).
import { execa } from 'execa';
import { monoMs, type FailoverLab } from '../test/helpers/failover-lab.js';
import { NODES, type NodeName } from './cluster.js';
import { CRIT, hold, mostlyPastDeadtime, type Fault } from './fault.js';

/** heartbeat's UDP port, where the lab's bcast heartbeats go. */
const HEARTBEAT_PORT = 694;
const LOSS_TABLE = 'chaos_loss';

export const cutLink: Fault = {
  kind: 'link-cut',
  allowedCrit: [CRIT.partition, CRIT.lateHeartbeat, CRIT.heldTwice],
  outageBoundMs: (t) => t.deadtimeMs + 2500,
  async run({ cluster, random, timing, holder }) {
    const node = random.pick(NODES);
    const { ms: cutMs, long } = mostlyPastDeadtime(random, timing.deadtimeMs, [700, 3000]);
    await cluster.lab.lab.cut(node);
    await hold(cutMs);
    await cluster.lab.lab.mend(node);
    return {
      detail: `${node} cut off for ${cutMs} ms`,
      healedAt: monoMs(),
      // A partition makes both forget moves, and the healed one goes home; a blip changes nothing.
      expectedHolder: long ? 'alpha' : holder,
      mayDouble: long,
    };
  },
};

export const packetLoss: Fault = {
  kind: 'packet-loss',
  allowedCrit: [CRIT.partition, CRIT.lateHeartbeat, CRIT.heldTwice],
  outageBoundMs: (t) => t.deadtimeMs + 2500,
  async run({ cluster, random }) {
    const node = random.pick(NODES);
    const percent = random.pick([20, 40, 60, 80]);
    const lossMs = random.int(2000, 6000);
    await dropHeartbeats(cluster.lab, node, percent);
    await hold(lossMs);
    await stopDropping(cluster.lab, node);
    return {
      detail: `${node}: ${percent}% of heartbeat packets dropped each way for ${lossMs} ms`,
      healedAt: monoMs(),
      mayDouble: true,
    };
  },
};

/** Drops `percent` % of the UDP packets to the heartbeat port entering or leaving the node. */
async function dropHeartbeats(lab: FailoverLab, node: NodeName, percent: number): Promise<void> {
  const rule = `udp dport ${HEARTBEAT_PORT} numgen random mod 100 < ${percent} drop`;
  const ruleset = [
    `table inet ${LOSS_TABLE} {`,
    ` chain input {\n  type filter hook input priority 0;\n  ${rule}\n }`,
    ` chain output {\n  type filter hook output priority 0;\n  ${rule}\n }`,
    '}',
    '',
  ].join('\n');
  await nft(lab, node, ['-f', '-'], ruleset);
}

async function stopDropping(lab: FailoverLab, node: NodeName): Promise<void> {
  await nft(lab, node, ['delete', 'table', 'inet', LOSS_TABLE]);
}

async function nft(lab: FailoverLab, node: NodeName, args: string[], input = ''): Promise<void> {
  await execa('ip', ['netns', 'exec', lab.lab.node(node).ns, 'nft', ...args], {
    input,
    timeout: 10_000,
  });
}
