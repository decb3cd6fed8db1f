// One run of bench/compare: a fresh lab for one implementation, one group shape and one setting,
// and the faults in turn (crash, link cut, graceful stop, standby), each followed by the way back
// (the failback after a crash and after a graceful stop is a sample too).
import {
  monoMs,
  VIP,
  type FailoverLab,
  type Implementation,
} from '../../test/helpers/failover-lab.js';
import { moveGroup, type MoveKind } from '../../test/helpers/move-group.js';
import { isAlive } from '../../test/helpers/processes.js';
import { clStatus, realDaemonPid, removeRealPidFile } from '../../test/helpers/real-heartbeat.js';
import { withFailoverLab } from '../lab-run.js';
import { outage, settleOn } from '../outage.js';
import { waitFor } from '../../test/helpers/wait-for.js';

export type Shape = 'address_only' | 'address_and_service';
export type Fault = 'crash' | 'link_cut' | 'graceful_stop' | 'failback' | 'standby';
/** A fault's outage, or `after_detection`: from the survivor's detection to its first answer. */
export type Metric = Fault | 'after_detection';

export interface Setting {
  readonly keepaliveMs: number;
  readonly deadtimeMs: number;
}

export interface RunSpec {
  readonly implementation: Implementation;
  readonly shape: Shape;
  readonly setting: Setting;
}

export type RunSamples = Partial<Record<Metric, number[]>>;

const PROBE_MS = 2;
const HEAL_TIMEOUT_MS = 60_000;
/** How long a detection line may take to come after the answer it led to. */
const DETECTION_LINE_MS = 5000;
/** What heartbeat 3.0.6 logs as it starts again, after `restart exec` too. */
const RESTARTED = /Configuration validated\. Starting heartbeat/;
const TAIL_LINES = 40;
const MOVE_ATTEMPTS = 3;
const MOVE_WAIT_MS = 10_000;
/** What `cl_status rscstatus` says of a node that is not in transition. */
const STEADY_RSCSTATUS = new Set(['all', 'local', 'foreign', 'none']);
const GROUP_LINES: Record<Shape, string> = {
  address_only: `alpha IPaddr::${VIP}/24/eth0`,
  address_and_service: `alpha IPaddr::${VIP}/24/eth0 udp-echo`,
};
/** The survivor's line that says it found the other gone, by implementation (heartbeat logs to a file). */
const DETECTION: Partial<Record<Implementation, RegExp>> = {
  ours: /node alpha: is dead/,
  keepalived: /Entering MASTER STATE/,
};

export interface RunResult {
  /** What was measured, up to the failure if there was one. */
  readonly samples: RunSamples;
  readonly error?: string;
}

export async function oneRun(spec: RunSpec): Promise<RunResult> {
  const { implementation, shape, setting } = spec;
  const options = { ...setting, implementation, groupLine: GROUP_LINES[shape] };
  const samples: RunSamples = {};
  try {
    await withFailoverLab(options, (lab) =>
      faults(lab, spec, samples).catch((error: unknown) => {
        for (const name of lab.daemons.keys()) {
          const tail = lab.log(name).slice(-TAIL_LINES);
          process.stderr.write(`${name}'s last lines:\n  ${tail.join('\n  ')}\n`);
        }
        throw error;
      }),
    );
    return { samples };
  } catch (error) {
    return { samples, error: error instanceof Error ? error.message : String(error) };
  }
}

async function faults(
  lab: FailoverLab,
  { implementation, shape }: RunSpec,
  samples: RunSamples,
): Promise<void> {
  const add = (metric: Metric, value: number): void => {
    (samples[metric] ??= []).push(value);
  };
  const node = new LabNode(lab, shape);
  await node.boot('alpha');
  await node.boot('beta');
  lab.startProbe(PROBE_MS);
  await settleOn(lab, 'alpha');

  let at = monoMs();
  await lab.crash('alpha');
  add('crash', await outage(lab, 'alpha', 'beta', at));
  await addDetection(lab, implementation, at, add);
  await settleOn(lab, 'beta');
  await lab.reboot('alpha');
  add('failback', await node.returnHome({ crashed: true }));

  at = monoMs();
  await lab.lab.cut('alpha');
  add('link_cut', await outage(lab, 'alpha', 'beta', at));
  await addDetection(lab, implementation, at, add);
  await settleOn(lab, 'beta');
  await node.heal();

  at = await node.stop('alpha');
  add('graceful_stop', await outage(lab, 'alpha', 'beta', at));
  await node.stopped('alpha');
  await settleOn(lab, 'beta');
  add('failback', await node.returnHome({ crashed: false }));

  if (implementation !== 'keepalived') {
    at = monoMs();
    await moveUntilServed(lab, 'standby', 'beta');
    add('standby', await outage(lab, 'alpha', 'beta', at));
    await settleOn(lab, 'beta');
    await moveUntilServed(lab, 'takeover', 'alpha');
    await settleOn(lab, 'alpha');
  }
}

/**
 * `standby` or `takeover` on alpha until `to` answers: heartbeat 3.0.6 ignores one while it deems
 * the pair in flux (`Other side is in flux`, right after a failback), and an operator asks again.
 */
async function moveUntilServed(lab: FailoverLab, kind: MoveKind, to: string): Promise<void> {
  for (let attempt = 1; attempt <= MOVE_ATTEMPTS; attempt++) {
    const asked = monoMs();
    await moveGroup(lab, 'alpha', kind, HEAL_TIMEOUT_MS);
    const served = await lab.answerFrom(to, asked, MOVE_WAIT_MS).then(
      () => true,
      () => false,
    );
    if (served) return;
  }
  throw new Error(`${kind} on alpha: ${to} never answered in ${MOVE_ATTEMPTS} attempts`);
}

/**
 * Detection to first answer on beta, where the implementation stamps its detection on a line.
 * The line comes through its stamper, the answer straight from the probe: when the address
 * answers within a millisecond of the line (keepalived), the answer can be here first, so the
 * line is waited for.
 */
async function addDetection(
  lab: FailoverLab,
  implementation: Implementation,
  since: number,
  add: (metric: Metric, value: number) => void,
): Promise<void> {
  const pattern = DETECTION[implementation];
  if (!pattern) return;
  const find = () =>
    lab.daemons.get('beta')?.lines.find((l) => l.at >= since && pattern.test(l.text));
  await waitFor(() => find() !== undefined, `beta's line matching ${pattern}`, DETECTION_LINE_MS);
  const detected = find();
  const answered = lab.answers.find((a) => a.at > since && a.from === 'beta');
  if (detected && answered) add('after_detection', answered.at - detected.at);
}

/** Starting, restarting and healing a node, the same way for every implementation. */
class LabNode {
  /** Real heartbeat daemons signalled to stop, by node. */
  private readonly stopping = new Map<string, number>();

  constructor(
    private readonly lab: FailoverLab,
    private readonly shape: Shape,
  ) {}

  /**
   * A graceful stop as each init script does it: SIGTERM to the daemon (heartbeat's master
   * control process). Returns monoMs() of the signal.
   */
  async stop(node: string): Promise<number> {
    const real = this.lab.realNodes.get(node);
    if (real) {
      const pid = await realDaemonPid(this.lab.lab, real);
      this.stopping.set(node, pid);
      const at = monoMs();
      process.kill(pid, 'SIGTERM');
      return at;
    }
    const at = monoMs();
    this.lab.daemons.get(node)?.child.kill('SIGTERM');
    return at;
  }

  /** Waits for the daemon that stop() signalled to end. */
  async stopped(node: string): Promise<void> {
    const pid = this.stopping.get(node);
    const real = this.lab.realNodes.get(node);
    if (pid === undefined || !real) await this.lab.daemons.get(node)?.child;
    else {
      await waitFor(() => !isAlive(pid), `${node}'s heartbeat ${pid} to end`, HEAL_TIMEOUT_MS);
      // A master that forked off is nobody's child here and stays a zombie, which heartbeat's
      // next start takes for itself running; on a node, init reaps it.
      await removeRealPidFile(real);
    }
    this.stopping.delete(node);
  }

  /** The service first where it runs outside the group (as keepalived's users run it), then the daemon. */
  async boot(node: string): Promise<void> {
    if (this.shape === 'address_only') await this.lab.startService(node);
    this.lab.start(node);
  }

  /**
   * Alpha starts again (after a reboot or a stop) and takes the VIP back: the failback's outage.
   * A crash killed every process of the node, the address-only shape's service too.
   */
  async returnHome({ crashed }: { crashed: boolean }): Promise<number> {
    const at = monoMs();
    if (crashed && this.shape === 'address_only') await this.lab.startService('alpha');
    this.lab.start('alpha');
    const gap = await outage(this.lab, 'beta', 'alpha', at);
    await settleOn(this.lab, 'alpha');
    await this.realNodesSteady();
    return gap;
  }

  /**
   * The cable is back: alpha kept the VIP through the cut, so the pair holds it twice until one
   * lets go. Once only alpha holds it, the client's neighbour entry (still beta's MAC where the
   * winner sends no gratuitous ARP) is flushed, so the next fault starts from a clean client.
   */
  async heal(): Promise<void> {
    const logged = new Map([...this.lab.realNodes.keys()].map((n) => [n, this.lab.log(n).length]));
    await this.lab.lab.mend('alpha');
    await this.realNodesRestarted(logged);
    await waitFor(
      async () => !(await this.lab.holdsVip('beta')),
      'beta to let go',
      HEAL_TIMEOUT_MS,
    );
    await waitFor(() => this.lab.holdsVip('alpha'), 'alpha to hold the VIP', HEAL_TIMEOUT_MS);
    await this.lab.flushClientNeighbour();
    await settleOn(this.lab, 'alpha');
    await this.realNodesSteady();
  }

  /**
   * heartbeat 3.0.6 meets a peer back from a partition (`Cluster node X returning after
   * partition`) by giving up its resources and restarting itself 2 s later. A SIGTERM that lands
   * in that restart is lost (the node comes back up and takes the VIP again), so the next fault
   * waits until each real node has started again: `logged`, the lines of its log before the heal.
   */
  private async realNodesRestarted(logged: ReadonlyMap<string, number>): Promise<void> {
    for (const [name, before] of logged) {
      await waitFor(
        () =>
          this.lab
            .log(name)
            .slice(before)
            .some((line) => RESTARTED.test(line)),
        `${name}'s heartbeat to restart after the partition`,
        HEAL_TIMEOUT_MS,
      );
    }
  }

  /**
   * After its restart heartbeat serves the client before it can take a signal or a standby again:
   * wait until `cl_status rscstatus` answers on each real node and no node is in transition.
   */
  private async realNodesSteady(): Promise<void> {
    for (const real of this.lab.realNodes.values()) {
      await waitFor(
        async () => {
          const { stdout, exitCode } = await clStatus(this.lab.lab, real, ['rscstatus']);
          return exitCode === 0 && STEADY_RSCSTATUS.has(stdout);
        },
        `${real.name}'s heartbeat to be steady`,
        HEAL_TIMEOUT_MS,
      );
    }
  }
}
