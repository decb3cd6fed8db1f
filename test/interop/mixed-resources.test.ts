// Resource moves in a mixed pair: one node ours, one the real heartbeat 3.0.6, in both directions
// (real home node with our peer, our home node with a real peer). Each cell ends with the client
// served by the expected node and the VIP on exactly one node; the closing lines of each print the
// client-observed outage and the holder count.
import { afterEach, describe, expect, it } from 'vitest';
import { FailoverLab, monoMs, type FailoverOptions } from '../helpers/failover-lab.js';
import { labCli } from '../helpers/lab-cli.js';
import { moveGroup, type MoveKind } from '../helpers/move-group.js';
import { waitFor } from '../helpers/wait-for.js';

const TIMING = { keepaliveMs: 200, deadtimeMs: 1000 };
const PROBE_MS = 5;
const SETTLE_MS = 30_000;
/** A cell starts a pair, waits for it to settle, and moves the group twice. */
const CELL_MS = 150_000;
const isRoot = process.getuid?.() === 0;
/**
 * heartbeat 3.0.6 advertises deadtime + 2 s in its heartbeats for its first 5 s (hb_add_deadtime
 * and hb_pop_deadtime in heartbeat.c), and its peer, ours as much as heartbeat, honours it.
 */
const REAL_STARTUP_DEADTIME_MS = 5000;

/** `Running <agent> start` lines: both daemons log one before every start of an agent. */
const startsOf = (lab: FailoverLab, node: string, agent: string): number =>
  lab.log(node).filter((line) => new RegExp(`Running \\S*/${agent}\\s.*\\bstart$`).test(line))
    .length;

describe.skipIf(!isRoot).each([
  { home: 'alpha', real: 'alpha', ours: 'beta', title: 'real home node, our peer' },
  { home: 'alpha', real: 'beta', ours: 'alpha', title: 'our home node, real peer' },
])('mixed pair: $title', ({ real, ours }) => {
  let lab: FailoverLab | undefined;
  const other = (node: string): string => (node === 'alpha' ? 'beta' : 'alpha');

  afterEach(async () => {
    await lab?.destroy();
    lab = undefined;
  }, 30_000);

  const report = (cell: string, outage: number, holders: string[]): void => {
    console.log(
      `mixed ${real === 'alpha' ? 'real-home' : 'ours-home'} ${cell}: outage ${outage.toFixed(0)} ms, VIP holders ${holders.length} (${holders.join(',')})`,
    );
  };

  const fail = (l: FailoverLab, error: unknown): never => {
    const logs = ['alpha', 'beta'].map((n) => `--- ${n}:\n${l.log(n).slice(-60).join('\n')}`);
    throw new Error(`${String(error)}\n${logs.join('\n')}`);
  };

  /**
   * Waits until the latest answers come from `node` and the VIP is on it alone. A crashed node is
   * left out: its interface is down, and a reboot clears its addresses.
   */
  const servedBy = async (
    l: FailoverLab,
    node: string,
    since: number,
    crashed?: string,
  ): Promise<string[]> => {
    let holders: string[] = [];
    await waitFor(
      async () => {
        if (l.lastAnswer(since)?.from !== node) return false;
        holders = (await vipHolders(l)).filter((n) => n !== crashed);
        return holders.length === 1 && holders[0] === node;
      },
      `the VIP answered by ${node} and held by it alone`,
      SETTLE_MS,
    ).catch((error: unknown) => fail(l, error));
    return holders;
  };

  const vipHolders = async (l: FailoverLab): Promise<string[]> => {
    const held = await Promise.all(['alpha', 'beta'].map((n) => l.holdsVip(n)));
    return ['alpha', 'beta'].filter((_, i) => held[i]);
  };

  /** Both up, the group on alpha: the first node started alone takes it, the second joins. */
  const setUp = async (options: Partial<FailoverOptions> = {}): Promise<FailoverLab> => {
    lab = await FailoverLab.create({ ...TIMING, real, ...options });
    const l = lab;
    l.startProbe(PROBE_MS);
    l.start('alpha');
    await servedBy(l, 'alpha', 0);
    l.start('beta');
    await joined(l);
    return l;
  };

  /** Each node has logged the other active and settled its resources. */
  const joined = async (l: FailoverLab): Promise<void> => {
    await waitFor(
      () =>
        ['alpha', 'beta'].every((n) =>
          l
            .log(n)
            .some((line) => line.includes(`Status update for node ${other(n)}: status active`)),
        ) && l.log(ours).some((line) => line.includes('Initial resource acquisition complete')),
      'both nodes active and settled',
      SETTLE_MS,
    ).catch((error: unknown) => fail(l, error));
  };

  /**
   * Alpha crashes and beta serves alone; alpha reboots and starts. Returns when it started. A real
   * alpha crashes once its start-up deadtime is over and it advertises its ha.cf deadtime again, so
   * that the outage shows the steady state; the pop of that window sends a heartbeat at once.
   */
  const crashAndReturn = async (l: FailoverLab, cell: string): Promise<number> => {
    const startedAt = l.daemons.get('alpha')?.startedAt ?? 0;
    if (real === 'alpha')
      await waitFor(
        () => monoMs() > startedAt + REAL_STARTUP_DEADTIME_MS + 2 * TIMING.keepaliveMs,
        'the start-up deadtime of the real alpha over',
        2 * REAL_STARTUP_DEADTIME_MS,
      );
    const crashAt = monoMs();
    await l.crash('alpha');
    const holders = await servedBy(l, 'beta', crashAt, 'alpha');
    report(cell, outageSince(l, crashAt), holders);
    const returnAt = monoMs();
    await l.reboot('alpha');
    l.start('alpha');
    return returnAt;
  };

  /** The longest silence the client saw between `since` and now, in ms. */
  const outageSince = (l: FailoverLab, since: number): number => {
    const times = [since, ...l.answers.filter((a) => a.at > since).map((a) => a.at)];
    return times.slice(1).reduce((max, t, i) => Math.max(max, t - (times[i] ?? t)), 0);
  };

  /** Graceful stop: `heartbeat stop` on ours, SIGTERM to the real daemon (its init script's way). */
  const stop = async (l: FailoverLab, node: string): Promise<void> => {
    const daemon = l.daemons.get(node);
    if (node === real) daemon?.child.kill('SIGTERM');
    else {
      const result = await labCli(l, node, ['stop']);
      expect(result.code, result.err).toBe(0);
    }
    await daemon?.child;
  };

  /** hb_standby / hb_takeover on the real node, `heartbeat standby|takeover` on ours. */
  const move = (l: FailoverLab, node: string, kind: MoveKind) =>
    moveGroup(l, node, kind, SETTLE_MS);

  it(
    'whole-node crash of the home node, then its return (auto_failback on)',
    async () => {
      const l = await setUp();
      const returnAt = await crashAndReturn(l, 'crash');
      const holders = await servedBy(l, 'alpha', returnAt);
      report('return after crash', outageSince(l, returnAt), holders);
    },
    CELL_MS,
  );

  it(
    'graceful stop of the home node, then its start',
    async () => {
      const l = await setUp();
      const stopAt = monoMs();
      await stop(l, 'alpha');
      report('graceful stop', outageSince(l, stopAt), await servedBy(l, 'beta', stopAt));
      const startAt = monoMs();
      l.start('alpha');
      const holders = await servedBy(l, 'alpha', startAt);
      report('start after stop', outageSince(l, startAt), holders);
    },
    CELL_MS,
  );

  it.each(['alpha', 'beta'])(
    'standby on %s, then takeover on the same node',
    async (node) => {
      const l = await setUp();
      const holder = 'alpha';
      const standbyAt = monoMs();
      await move(l, node, 'standby');
      // Standby on the holder hands the group over; on the other node it hands over nothing it holds.
      const after = node === holder ? other(holder) : holder;
      report(`standby on ${node}`, outageSince(l, standbyAt), await servedBy(l, after, standbyAt));
      // Both implementations log this when the handshake they started is over.
      await waitFor(
        () => l.log(node).some((line) => line.includes('Other node completed standby takeover')),
        `the standby of ${node} complete`,
        SETTLE_MS,
      ).catch((error: unknown) => fail(l, error));
      const takeoverAt = monoMs();
      await move(l, node, 'takeover');
      const taker = node === holder ? holder : node;
      report(
        `takeover on ${node}`,
        outageSince(l, takeoverAt),
        await servedBy(l, taker, takeoverAt),
      );
    },
    CELL_MS,
  );

  it(
    'auto_failback off: the group stays on beta when alpha returns',
    async () => {
      const l = await setUp({ autoFailback: 'off' });
      const returnAt = await crashAndReturn(l, 'crash (failback off)');
      await joined(l);
      const after = await servedBy(l, 'beta', returnAt);
      expect(l.answers.filter((a) => a.at > returnAt).every((a) => a.from === 'beta')).toBe(true);
      report('return (failback off)', outageSince(l, returnAt), after);
    },
    CELL_MS,
  );

  it(
    'a partition that heals: one holder after; ours never restarts a group it kept',
    async () => {
      const l = await setUp();
      const oursStartsBefore = startsOf(l, ours, 'udp-echo');
      const cutAt = monoMs();
      await l.lab.cut('beta');
      // Both sides must see the partition: a heal one side never saw is only a late heartbeat.
      await waitFor(
        () =>
          ['alpha', 'beta'].every((n) =>
            l.log(n).some((line) => new RegExp(`node ${other(n)}.*: is dead`).test(line)),
          ),
        'each node declares the other dead',
        SETTLE_MS,
      ).catch((error: unknown) => fail(l, error));
      const healAt = monoMs();
      await l.lab.mend('beta');
      // heartbeat 3.0.6 answers a node returning after a partition by shutting itself down and
      // starting again 2 s later (heartbeat.c, should_drop_message): its group stops and restarts.
      await waitFor(
        () =>
          l.log(real).filter((line) => line.includes('Initial resource acquisition')).length > 1,
        `the real ${real} restarted after the heal`,
        SETTLE_MS,
      ).catch((error: unknown) => fail(l, error));
      expect(l.log(real).some((line) => line.includes(`${ours} returning after partition`))).toBe(
        true,
      );
      const holders = await servedBy(l, 'alpha', healAt);
      await joined(l);
      // As home node ours kept the group throughout; as peer it took it twice (partition, then the
      // real node's restart) and gave it back each time.
      if (ours === 'alpha') expect(startsOf(l, ours, 'udp-echo')).toBe(oursStartsBefore);
      report('partition heal', outageSince(l, cutAt), holders);
    },
    CELL_MS,
  );
});
