// A STONITH device that fails, then works: the holder loses power while the power switch does
// not answer. The survivor must not take the group over while it cannot fence (the node might
// still run it); it keeps trying, and takes over once the switch answers again.
import { monoMs, VIP } from '../test/helpers/failover-lab.js';
import { peerOf } from './cluster.js';
import { hold, type Fault } from './fault.js';
import { vipHolders, vipOn, within } from './observe.js';

/** The longest the switch stays broken; fencing retries after 1 s, 2 s, 4 s... */
const BROKEN_MAX_MS = 4000;

export const fenceFails: Fault = {
  kind: 'fence-fails',
  needsFencing: true,
  allowedCrit: [],
  // Detection, the broken switch, the retry waiting after it (at most as long), the takeover.
  outageBoundMs: (t) => t.deadtimeMs + 2 * BROKEN_MAX_MS + 2500,
  async run({ cluster, random, timing, holder, powerSwitch }) {
    if (!powerSwitch) throw new Error('fence-fails needs the power switch');
    const survivor = peerOf(holder);
    const brokenMs = random.int(timing.deadtimeMs + 500, BROKEN_MAX_MS);
    await powerSwitch.break();
    cluster.willExit(holder);
    await cluster.lab.crash(holder);
    await cluster.lab.lab.ip(holder, 'addr', 'flush', 'dev', 'eth0', 'to', `${VIP}/32`);
    await hold(brokenMs);
    const early = await vipHolders(cluster.lab);
    const problems = early.includes(survivor)
      ? [`${survivor} took the VIP over while it could not fence ${holder}`]
      : [];
    await powerSwitch.repair();
    problems.push(
      ...(await within(2 * BROKEN_MAX_MS + 5000, `${survivor} taking over once fenced`, () =>
        vipOn(cluster, survivor),
      )),
    );
    await cluster.lab.reboot(holder);
    cluster.start(holder);
    return {
      detail: `${holder} lost power while the power switch failed for ${brokenMs} ms`,
      healedAt: monoMs(),
      // The home node is back, and a node that left forgets earlier moves (auto_failback on).
      expectedHolder: 'alpha',
      problems,
    };
  },
};
