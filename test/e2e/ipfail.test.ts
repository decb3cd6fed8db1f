// End to end, as root in network namespaces: ipfail moves the group away from a node whose uplink
// died while the heartbeat link lives, with ours on both nodes and with the real heartbeat 3.0.6
// running its real ipfail on either node. A router namespace answers ICMP as the ping node; a
// blackhole route there makes it stop answering one node. The client probes the VIP.
import { afterEach, describe, expect, it } from 'vitest';
import { FailoverLab, monoMs, type FailoverOptions } from '../helpers/failover-lab.js';
import { waitFor } from '../helpers/wait-for.js';

const isRoot = process.getuid?.() === 0;
const ROUTER = '192.0.2.13';
const TIMING = { keepaliveMs: 200, deadtimeMs: 1000 };
const DEADPING_MS = 1000;
const PROBE_MS = 5;
const SETTLE_MS = 30_000;
/** Cuts and returns measured on a pair of ours: the closing figures are their median. */
const CYCLES = 5;
const BALANCED = 'Ping node count is balanced.';
const ASKING = 'Asking other side for ping node count.';
/** What the side asked for a count logs, whichever way it decides. */
const ANSWERS = [
  BALANCED,
  'Telling other node that we have more visible ping nodes.',
  'Giving up because we have less visible ping nodes.',
];

describe.skipIf(!isRoot).each([
  { real: undefined, title: 'ours on both nodes' },
  // The real node is heartbeat 3.0.6 running its real ipfail.
  { real: 'beta', title: 'ours alpha, real beta' },
  { real: 'alpha', title: 'real alpha, ours beta' },
])('ipfail: $title', ({ real }) => {
  let lab: FailoverLab | undefined;

  afterEach(async () => {
    await lab?.destroy();
    lab = undefined;
  }, 30_000);

  const fail = (l: FailoverLab, error: unknown): never => {
    const logs = ['alpha', 'beta'].map((n) => `--- ${n}:\n${l.log(n).slice(-50).join('\n')}`);
    throw new Error(`${String(error)}\n${logs.join('\n')}`);
  };

  const vipHolders = async (l: FailoverLab): Promise<string[]> => {
    const held = await Promise.all(['alpha', 'beta'].map((n) => l.holdsVip(n)));
    return ['alpha', 'beta'].filter((_, i) => held[i]);
  };

  /** Waits until the latest answers come from `node` and the VIP is on it alone. */
  const servedBy = async (l: FailoverLab, node: string, since: number): Promise<number> => {
    await waitFor(
      async () => l.lastAnswer(since)?.from === node && (await vipHolders(l)).join() === node,
      `the VIP answered by ${node} and held by it alone`,
      SETTLE_MS,
    ).catch((error: unknown) => fail(l, error));
    const first = l.answers.find((a) => a.at > since && a.from === node);
    return (first?.at ?? monoMs()) - since;
  };

  const setUp = async (options: Partial<FailoverOptions> = {}): Promise<FailoverLab> => {
    lab = await FailoverLab.create({
      ...TIMING,
      ...(real ? { real } : {}),
      moreLabNodes: ['router'],
      extraHacf: () => [
        `ping ${ROUTER}`,
        `deadping ${DEADPING_MS}ms`,
        // Debian 12's path; the old one in users' files works the same for ours.
        'respawn hacluster /usr/libexec/heartbeat/ipfail',
      ],
      ...options,
    });
    const l = lab;
    l.startProbe(PROBE_MS);
    l.start('alpha');
    await servedBy(l, 'alpha', 0);
    l.start('beta');
    // Both ipfails signed on: the one that signed on first heard the other join, asked, and the
    // other compared.
    await waitFor(
      () => ['alpha', 'beta'].some((n) => l.log(n).some((line) => line.includes(BALANCED))),
      'the ipfails compared their counts',
      SETTLE_MS,
    ).catch((error: unknown) => fail(l, error));
    return l;
  };

  /** Whether the last delayed giveup in a log has neither been aborted nor carried out. */
  const giveupPending = (log: readonly string[]): boolean =>
    log.reduce(
      (pending, line) =>
        line.includes('Delayed giveup')
          ? true
          : line.includes('Aborted delayed giveup') || line.includes('giveup() called')
            ? false
            : pending,
      false,
    );

  /** Each node's log length now: what it logs after this is what `since` shows. */
  const mark = (l: FailoverLab): Map<string, number> =>
    new Map(['alpha', 'beta'].map((n) => [n, l.log(n).length]));

  const countSince = (l: FailoverLab, at: Map<string, number>, node: string, text: string) =>
    l
      .log(node)
      .slice(at.get(node))
      .filter((line) => line.includes(text)).length;

  /**
   * Waits until ipfail has settled since `at`: each of `askers` asked for a count and every count
   * asked for was answered by the other side, and no delayed giveup is pending on either side.
   */
  const ipfailSettled = async (
    l: FailoverLab,
    at: Map<string, number>,
    askers: readonly string[],
  ): Promise<void> => {
    const count = (node: string, text: string): number => countSince(l, at, node, text);
    const other = (node: string): string => (node === 'alpha' ? 'beta' : 'alpha');
    const answered = (n: string): boolean =>
      ANSWERS.reduce((sum, text) => sum + count(other(n), text), 0) >= count(n, ASKING);
    // Read over the whole log: a giveup delayed just before `at` may end just after it.
    const noneDelayed = (n: string): boolean => !giveupPending(l.log(n));
    await waitFor(
      () =>
        askers.every((n) => count(n, ASKING) > 0) &&
        ['alpha', 'beta'].every((n) => answered(n) && noneDelayed(n)),
      `${askers.join(' and ')} asked, every count was answered, no giveup pending`,
      SETTLE_MS,
    ).catch((error: unknown) => fail(l, error));
  };

  const uplink = async (l: FailoverLab, node: string, up: boolean): Promise<void> => {
    const route = ['route', up ? 'del' : 'add', 'blackhole', `${l.lab.node(node).address}/32`];
    await l.lab.ip('router', ...route);
  };

  it('alpha loses its uplink: the group moves to beta; back with auto_failback on', async () => {
    const l = await setUp();
    const cycles = real ? 1 : CYCLES;
    const moves: number[] = [];
    for (let cycle = 0; cycle < cycles; cycle++) {
      const cutAt = monoMs();
      await uplink(l, 'alpha', false);
      moves.push(await servedBy(l, 'beta', cutAt));
      const backAt = monoMs();
      await uplink(l, 'alpha', true);
      const back = await servedBy(l, 'alpha', backAt);
      console.log(
        `ipfail ${real ? `real ${real}` : 'ours'}: uplink cut to VIP on beta ${moves.at(-1)?.toFixed(0)} ms; uplink back to VIP on alpha ${back.toFixed(0)} ms`,
      );
    }
    const sorted = [...moves].sort((a, b) => a - b);
    console.log(
      `ipfail ${real ? `real ${real}` : 'ours'}: cut to beta median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(0)} ms of ${moves.length}`,
    );
    // The move waits for deadping (the node is declared dead) and then 2 x keepalive.
    expect(Math.min(...moves)).toBeGreaterThan(DEADPING_MS - TIMING.keepaliveMs);
  }, 180_000);

  it('with auto_failback off the group stays on beta when the uplink returns', async () => {
    const l = await setUp({ autoFailback: 'off' });
    const cutAt = monoMs();
    await uplink(l, 'alpha', false);
    await servedBy(l, 'beta', cutAt);
    const backAt = monoMs();
    const before = mark(l);
    await uplink(l, 'alpha', true);
    // alpha sees the router again and asks; beta finds the counts balanced and keeps the group.
    await ipfailSettled(l, before, ['alpha']);
    expect(countSince(l, before, 'beta', BALANCED)).toBeGreaterThan(0);
    expect(await vipHolders(l)).toEqual(['beta']);
    expect(l.lastAnswer(backAt)?.from).toBe('beta');
  }, 120_000);

  it('both lose the uplink: nothing moves', async () => {
    const l = await setUp();
    const before = mark(l);
    const cutAt = monoMs();
    await l.lab.ip('router', 'link', 'set', 'eth0', 'down');
    // Each declares the router dead and asks the other. The first to ask may be told it is dead
    // (the other still sees the router) until the other asks in turn and the counts balance.
    await ipfailSettled(l, before, ['alpha', 'beta']);
    const deaths = ['alpha', 'beta'].map((n) =>
      countSince(l, before, n, `node ${ROUTER}: is dead`),
    );
    expect(deaths).toEqual([1, 1]);
    expect(await vipHolders(l)).toEqual(['alpha']);
    expect(l.lastAnswer(cutAt)?.from).toBe('alpha');
    // Nobody gave up its groups (a giveup of "foreign" ones, with none held, moves nothing).
    expect(['alpha', 'beta'].map((n) => countSince(l, before, n, 'Going standby [all]'))).toEqual([
      0, 0,
    ]);
  }, 120_000);
});
