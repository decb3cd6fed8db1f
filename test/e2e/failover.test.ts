// End to end, as root in network namespaces: alpha and beta serve a VIP (IPaddr + a UDP service)
// and a client probes it; crashes, link cuts, stops, failed starts, failback and fencing move it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FailoverLab, monoMs, type FailoverOptions } from '../helpers/failover-lab.js';
import { waitFor } from '../helpers/wait-for.js';

const TIMING = { keepaliveMs: 100, deadtimeMs: 500 };
const PROBE_MS = 5;
const isRoot = process.getuid?.() === 0;

describe.skipIf(!isRoot)('failover in network namespaces', () => {
  let lab: FailoverLab | undefined;

  afterEach(async () => {
    await lab?.destroy();
    lab = undefined;
  });

  const setUp = async (options: Partial<FailoverOptions> = {}): Promise<FailoverLab> => {
    lab = await FailoverLab.create({ ...TIMING, ...options });
    return lab;
  };

  /** Waits until the client's latest answers come from `node`. */
  const answeredBy = async (l: FailoverLab, node: string, since: number, timeoutMs = 10_000) => {
    await waitFor(
      () => l.lastAnswer(since)?.from === node,
      `the VIP answered by ${node}`,
      timeoutMs,
    ).catch((error: unknown) => {
      const logs = ['alpha', 'beta'].map((n) => `--- ${n}:\n${l.log(n).join('\n')}`);
      throw new Error(`${String(error)}\n${logs.join('\n')}`);
    });
  };

  const startBoth = async (l: FailoverLab): Promise<void> => {
    l.start('alpha');
    l.start('beta');
    l.startProbe(PROBE_MS);
    await answeredBy(l, 'alpha', 0);
  };

  it('acquires on the home node, and the client learns its MAC', async () => {
    const l = await setUp();
    await startBoth(l);
    expect(await l.holdsVip('alpha')).toBe(true);
    expect(await l.holdsVip('beta')).toBe(false);
    expect(await l.clientNeighbour()).toBe(await l.mac('alpha'));
    expect(l.log('alpha').join('\n')).toMatch(/Initial resource acquisition complete/);
    expect(l.answers.every((a) => a.from === 'alpha')).toBe(true);
  });

  it('moves to beta when alpha crashes, and back when alpha returns (auto_failback on)', async () => {
    const l = await setUp();
    await startBoth(l);
    const crashAt = monoMs();
    await l.crash('alpha');
    await answeredBy(l, 'beta', crashAt);
    expect(l.log('beta').join('\n')).toMatch(/node alpha: is dead/);
    const returnAt = monoMs();
    await l.reboot('alpha');
    l.start('alpha');
    await answeredBy(l, 'alpha', returnAt, 15_000);
    expect(await l.holdsVip('beta')).toBe(false);
  });

  it('stays on beta when alpha returns with auto_failback off', async () => {
    const l = await setUp({ autoFailback: 'off' });
    await startBoth(l);
    await l.crash('alpha');
    await answeredBy(l, 'beta', monoMs());
    await l.reboot('alpha');
    const alpha = l.start('alpha');
    await waitFor(
      () => alpha.lines.some((line) => /Initial resource acquisition complete/.test(line.text)),
      'alpha settled',
      10_000,
    );
    const settled = monoMs();
    await waitFor(() => l.answers.some((a) => a.at > settled + 500), 'answers after alpha settled');
    const others = l.answers.filter((a) => a.at > settled && a.from !== 'beta');
    expect(others, `${JSON.stringify(l.answers.slice(-3))}\n${l.log('alpha').join('\n')}`).toEqual(
      [],
    );
    expect(await l.holdsVip('alpha')).toBe(false);
  });

  it('moves to beta when alpha is cut off, and resolves the healed partition without restarts', async () => {
    const l = await setUp();
    await startBoth(l);
    const cutAt = monoMs();
    await l.lab.cut('alpha');
    await answeredBy(l, 'beta', cutAt);
    const mendAt = monoMs();
    await l.lab.mend('alpha');
    await answeredBy(l, 'alpha', mendAt);
    await waitFor(async () => !(await l.holdsVip('beta')), 'beta to let go of the VIP');
    const alphaLog = l.log('alpha').join('\n');
    expect(alphaLog).toMatch(/Cluster node beta returning after partition/);
    expect(alphaLog).not.toMatch(/Releasing resource group/);
  });

  it('moves to beta at once on a graceful stop of alpha', async () => {
    const l = await setUp();
    await startBoth(l);
    const alpha = l.daemons.get('alpha');
    const stopAt = monoMs();
    alpha?.child.kill('SIGTERM');
    await answeredBy(l, 'beta', stopAt, 5000);
    const firstBeta = l.answers.find((a) => a.at > stopAt && a.from === 'beta');
    expect(l.log('beta').join('\n')).toMatch(/Received shutdown notice from 'alpha'/);
    // Well inside deadtime: beta did not wait to declare alpha dead.
    expect((firstBeta?.at ?? Infinity) - stopAt).toBeLessThan(TIMING.deadtimeMs);
  });

  it('serves from beta when the service fails to start on alpha', async () => {
    const l = await setUp({ nodeAgents: { alpha: { 'udp-echo': 'agents/fails-to-start' } } });
    l.start('alpha');
    l.start('beta');
    l.startProbe(PROBE_MS);
    await answeredBy(l, 'beta', 0);
    expect(await l.holdsVip('alpha')).toBe(false);
    expect(l.log('alpha').join('\n')).toMatch(/failed to start here; handing it to beta/);
  });

  it('updates the client by gratuitous ARP, without the client sending anything', async () => {
    const l = await setUp();
    await startBoth(l);
    await l.stopProbe();
    expect(await l.clientNeighbour()).toBe(await l.mac('alpha'));
    await l.crash('alpha');
    const betaMac = await l.mac('beta');
    await waitFor(
      async () => (await l.clientNeighbour()) === betaMac,
      'the client to learn beta MAC',
    );
    expect(await l.holdsVip('beta')).toBe(true);
  });

  it('fences alpha with the STONITH plugin before taking over', async () => {
    const record = 'stonith-calls';
    const l = await setUp({
      stonithPlugins: { recorder: 'stonith/recorder' },
      extraHacf: (dir) => [`stonith_host * external/recorder ${join(dir, record)} alpha,beta e2e`],
    });
    await startBoth(l);
    await l.crash('alpha');
    await answeredBy(l, 'beta', 0);
    const calls = await readFile(join(l.dir('beta'), record), 'utf8');
    expect(calls).toMatch(/reset alpha/);
    const betaLog = l.log('beta').join('\n');
    const reset = betaLog.indexOf('node alpha now reset.');
    expect(reset).toBeGreaterThan(-1);
    expect(betaLog.lastIndexOf('Acquiring resource group: alpha')).toBeGreaterThan(reset);
  });

  it('never takes over when fencing fails, and keeps trying', async () => {
    const l = await setUp({
      stonithPlugins: { failing: 'stonith/failing', recorder: 'stonith/recorder' },
      extraHacf: (dir) => [`stonith_host * external/failing ${join(dir, 'calls')} alpha,beta e2e`],
    });
    await startBoth(l);
    const crashAt = monoMs();
    await l.crash('alpha');
    await waitFor(
      () => l.log('beta').filter((line) => /STONITH of alpha failed/.test(line)).length >= 2,
      'two failed fencing attempts',
      10_000,
    );
    expect(l.answers.some((a) => a.at > crashAt && a.from === 'beta')).toBe(false);
    expect(await l.holdsVip('beta')).toBe(false);
  });
});
