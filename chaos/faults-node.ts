// Faults of a whole node or of its daemon: a crash and reboot, kill -9 of the daemon alone and a
// restart, the daemon frozen (SIGSTOP) then thawed, and a graceful stop and start.
import { monoMs, VIP } from '../test/helpers/failover-lab.js';
import { NODES } from './cluster.js';
import { commandProblem, CRIT, hold, mostlyPastDeadtime, type Fault } from './fault.js';

const EXIT_TIMEOUT_MS = 10_000;

/** The node loses power: every process dies and the VIP goes; it boots and starts heartbeat again. */
export const crash: Fault = {
  kind: 'crash',
  allowedCrit: [],
  outageBoundMs: (t) => t.deadtimeMs + 2500,
  async run({ cluster, random, timing }) {
    const node = random.pick(NODES);
    const downMs = random.int(300, timing.deadtimeMs + 2000);
    cluster.willExit(node);
    await cluster.lab.crash(node);
    // A node without power has no address: the VIP goes now, not at the reboot.
    await cluster.lab.lab.ip(node, 'addr', 'flush', 'dev', 'eth0', 'to', `${VIP}/32`);
    await hold(downMs);
    await cluster.lab.reboot(node);
    cluster.start(node);
    // Whoever held it, the group's home node is back (auto_failback on).
    return {
      detail: `${node} crashed, down ${downMs} ms`,
      healedAt: monoMs(),
      expectedHolder: 'alpha',
    };
  },
};

/** kill -9 of the daemon alone: its agents' services and the VIP stay; it is started again. */
export const killDaemon: Fault = {
  kind: 'kill-9',
  allowedCrit: [CRIT.heldTwice],
  outageBoundMs: (t) => t.deadtimeMs + 2500,
  async run({ cluster, random, timing }) {
    const node = random.pick(NODES);
    const pauseMs = random.chance(0.5) ? 0 : random.int(0, 2 * timing.deadtimeMs);
    const pid = cluster.willExit(node);
    cluster.signal(node, 'SIGKILL');
    await cluster.exited(node, pid, EXIT_TIMEOUT_MS);
    await hold(pauseMs);
    cluster.start(node);
    return {
      detail: `${node}: daemon killed with SIGKILL, restarted after ${pauseMs} ms`,
      healedAt: monoMs(),
      mayDouble: true,
    };
  },
};

/** SIGSTOP, mostly past deadtime (the peer declares it dead), then SIGCONT. */
export const freeze: Fault = {
  kind: 'freeze',
  allowedCrit: [CRIT.partition, CRIT.lateHeartbeat, CRIT.heldTwice],
  outageBoundMs: (t) => t.deadtimeMs + 2500,
  async run({ cluster, random, timing, holder }) {
    const node = random.pick(NODES);
    const { ms: frozenMs, long } = mostlyPastDeadtime(random, timing.deadtimeMs, [500, 2500]);
    const pid = cluster.signal(node, 'SIGSTOP');
    await hold(frozenMs);
    cluster.resume(pid);
    return {
      detail: `${node}: daemon frozen for ${frozenMs} ms`,
      healedAt: monoMs(),
      // Past deadtime both sides forget moves and the group goes home; a blip changes nothing.
      expectedHolder: long ? 'alpha' : holder,
      mayDouble: long,
    };
  },
};

/** `heartbeat stop` (the groups move to the peer at once), a pause, `heartbeat start -f`. */
export const stopStart: Fault = {
  kind: 'stop-start',
  allowedCrit: [],
  outageBoundMs: () => 2500,
  async run({ cluster, random }) {
    const node = random.pick(NODES);
    const downMs = random.int(200, 2000);
    const pid = cluster.willExit(node);
    const stopped = await cluster.cli(node, ['stop']);
    await cluster.exited(node, pid, EXIT_TIMEOUT_MS);
    await hold(downMs);
    cluster.start(node);
    return {
      detail: `${node}: stopped, started again after ${downMs} ms`,
      healedAt: monoMs(),
      expectedHolder: 'alpha',
      problems: commandProblem(node, 'stop', stopped),
    };
  },
};
