// What an operator does to a running pair: `heartbeat standby`, `heartbeat takeover`, and a key
// rotation (the active key in authkeys switched) applied by SIGHUP or `heartbeat reload`.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { monoMs } from '../test/helpers/failover-lab.js';
import { peerOf, type NodeName } from './cluster.js';
import { commandProblem, hold, type Fault } from './fault.js';

/** Both keys are known to both nodes from the start; a rotation changes which one signs. */
export const authkeys = (active: 1 | 2): string =>
  `auth ${active}\n1 sha1 lab-secret-of-20-chars\n2 sha1 next-secret-of-20-chars\n`;

export const standby: Fault = {
  kind: 'standby',
  allowedCrit: [],
  outageBoundMs: () => 2500,
  async run({ cluster, random, holder }) {
    // Mostly on the holder (its groups move); now and then on the other (nothing to give).
    const node = random.chance(0.75) ? holder : peerOf(holder);
    const run = await cluster.cli(node, ['standby']);
    return {
      detail: `heartbeat standby on ${node} (holder ${holder})`,
      healedAt: monoMs(),
      expectedHolder: node === holder ? peerOf(node) : holder,
      problems: commandProblem(node, 'standby', run),
    };
  },
};

export const takeover: Fault = {
  kind: 'takeover',
  allowedCrit: [],
  outageBoundMs: () => 2500,
  async run({ cluster, random, holder }) {
    // Mostly on the other node (the groups come to it); now and then on the holder.
    const node = random.chance(0.75) ? peerOf(holder) : holder;
    const run = await cluster.cli(node, ['takeover']);
    return {
      detail: `heartbeat takeover on ${node} (holder ${holder})`,
      healedAt: monoMs(),
      expectedHolder: node,
      problems: commandProblem(node, 'takeover', run),
    };
  },
};

export const rotateKey: Fault = {
  kind: 'reload-keys',
  allowedCrit: [],
  outageBoundMs: () => 1000,
  async run({ cluster, random, timing, holder }) {
    const file = (node: NodeName): string => join(cluster.lab.dir(node), 'authkeys');
    const activeKey = (await readFile(file('alpha'), 'utf8')).startsWith('auth 1') ? 2 : 1;
    const order: NodeName[] = random.chance(0.5) ? ['alpha', 'beta'] : ['beta', 'alpha'];
    const problems: string[] = [];
    const how: string[] = [];
    for (const node of order) {
      await writeFile(file(node), authkeys(activeKey), { mode: 0o600 });
      if (random.chance(0.5)) {
        cluster.signal(node, 'SIGHUP');
        how.push(`SIGHUP ${node}`);
      } else {
        problems.push(...commandProblem(node, 'reload', await cluster.cli(node, ['reload'])));
        how.push(`reload ${node}`);
      }
      await hold(random.int(0, 2 * timing.keepaliveMs));
    }
    return {
      detail: `active key ${activeKey}: ${how.join(', ')}`,
      healedAt: monoMs(),
      expectedHolder: holder,
      problems,
    };
  },
};
