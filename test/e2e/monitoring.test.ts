// End to end, as root in network namespaces: timeouts.ini turns monitoring on; a killed service is
// restarted in place, a VIP removed by hand is put back, a hanging monitor is killed at its
// timeout, and after migration_threshold failures the group moves to beta until `heartbeat
// cleanup` on beta lets it come home. Without monitor settings no status runs at all.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StatusSnapshot } from '../../src/control/snapshot.js';
import { FailoverLab, GROUP_LINE, monoMs, VIP } from '../helpers/failover-lab.js';
import { labCli } from '../helpers/lab-cli.js';
import { waitFor } from '../helpers/wait-for.js';

const TIMING = { keepaliveMs: 100, deadtimeMs: 500 };
const MONITORING = [
  '[udp-echo]',
  'monitor = 500ms',
  'migration_threshold = 2',
  '[IPaddr]',
  'monitor = 500ms',
  '',
].join('\n');
/** The group with a third resource whose every call is recorded and whose status can hang. */
const WATCHED = {
  groupLine: `${GROUP_LINE} watched`,
  nodeAgents: { alpha: { watched: 'agents/watched' }, beta: { watched: 'agents/watched' } },
};
const WATCHED_MONITOR = '[watched]\nmonitor = 500ms\nmonitor_timeout = 1s\n';
const QUIET_WINDOW_MS = 5000;
const isRoot = process.getuid?.() === 0;

describe.skipIf(!isRoot)('resource monitoring in network namespaces', () => {
  let lab: FailoverLab | undefined;

  afterEach(async () => {
    await lab?.destroy();
    lab = undefined;
  });

  const setUp = async (
    /** null: no timeouts.ini at all. */
    timeoutsIni: string | null = MONITORING,
    options: Partial<typeof WATCHED> = {},
  ): Promise<FailoverLab> => {
    lab = await FailoverLab.create({ ...TIMING, ...options });
    for (const node of ['alpha', 'beta']) {
      if (timeoutsIni !== null) await writeFile(join(lab.dir(node), 'timeouts.ini'), timeoutsIni);
    }
    lab.start('alpha');
    lab.start('beta');
    lab.startProbe(5);
    await answeredBy(lab, 'alpha', 0);
    return lab;
  };

  const answeredBy = async (l: FailoverLab, node: string, since: number): Promise<void> => {
    await waitFor(() => l.lastAnswer(since)?.from === node, `the VIP answered by ${node}`, 10_000);
  };

  const logged = async (l: FailoverLab, node: string, pattern: RegExp): Promise<void> => {
    await waitFor(
      () => l.log(node).some((line) => pattern.test(line)),
      `${node}: ${pattern}`,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n--- ${node}:\n${l.log(node).join('\n')}`);
    });
  };

  /** Kills alpha's udp-echo service behind heartbeat's back. */
  /** alpha's agents' scratch directory (HA_RSCTMP). */
  const rscTmp = (l: FailoverLab): string => l.rscTmp('alpha');

  const watchedCalls = async (l: FailoverLab): Promise<string[]> =>
    (await readFile(join(rscTmp(l), 'watched.calls'), 'utf8')).split('\n').filter(Boolean);

  const statusOf = async (l: FailoverLab, node: string): Promise<StatusSnapshot> =>
    JSON.parse((await labCli(l, node, ['status', '--json'])).out) as StatusSnapshot;
  const alphaStatus = (l: FailoverLab): Promise<StatusSnapshot> => statusOf(l, 'alpha');

  it('restarts a killed service in place, moves the group after 2 failures, and cleanup on the peer brings it home', async () => {
    const l = await setUp();
    const killedAt = monoMs();
    await l.killService('alpha');
    await logged(l, 'alpha', /Resource udp-echo failed its monitor on alpha .*failure 1 of 2/);
    await logged(l, 'alpha', /Recovering resource group IPaddr::192\.0\.2\.100\/24\/eth0 here/);
    await waitFor(
      () => (l.answers.find((a) => a.at > killedAt + 50)?.from ?? '') === 'alpha',
      'alpha to answer again',
    );
    const back = l.answers.find((a) => a.at > killedAt + 50);
    console.log(
      `monitoring: killed service answering again after ${Math.round((back?.at ?? 0) - killedAt)} ms`,
    );
    const first = await alphaStatus(l);
    const echo = first.groups[0]?.resources.find((r) => r.name === 'udp-echo');
    expect(echo).toMatchObject({ monitorIntervalMs: 500, failures: 1, migrationThreshold: 2 });

    const movedAt = monoMs();
    // Restarted in place: the VIP never moved, so every answer since the kill came from alpha.
    const meanwhile = l.answers.filter((a) => a.at > killedAt);
    expect(meanwhile.length).toBeGreaterThan(0);
    expect(meanwhile.every((a) => a.from === 'alpha')).toBe(true);
    expect(await l.holdsVip('beta')).toBe(false);
    await l.killService('alpha');
    await logged(l, 'alpha', /failed too often here: moving it to beta/);
    await answeredBy(l, 'beta', movedAt);
    expect(await l.holdsVip('alpha')).toBe(false);
    const moved = await alphaStatus(l);
    expect(moved.groups[0]).toMatchObject({ holder: 'beta', leftAfterMonitorFailures: true });
    expect((await labCli(l, 'alpha', ['status'])).out).toContain(
      'LEFT alpha after monitor failures',
    );

    // The counts travel in alpha's resource report: beta knows why the group came.
    await waitFor(
      async () => (await statusOf(l, 'beta')).groups[0]?.peerFailures === 2,
      "beta to see alpha's 2 failures",
    );

    // Cleanup on beta, where the group runs now: alpha forgets its failures too.
    const cleanedAt = monoMs();
    const cleanup = await labCli(l, 'beta', ['cleanup', 'IPaddr::192.0.2.100/24/eth0']);
    expect(cleanup).toMatchObject({ code: 0, err: '' });
    await logged(
      l,
      'alpha',
      /Failures of IPaddr::192\.0\.2\.100\/24\/eth0 forgotten here, as beta asked/,
    );
    await answeredBy(l, 'alpha', cleanedAt);
    expect(await l.holdsVip('beta')).toBe(false);
  });

  it('puts back a VIP removed by hand', async () => {
    const l = await setUp();
    await l.lab.ip('alpha', 'addr', 'del', `${VIP}/24`, 'dev', 'eth0');
    expect(await l.holdsVip('alpha')).toBe(false);
    await logged(l, 'alpha', /Resource IPaddr::192\.0\.2\.100\/24\/eth0 failed its monitor/);
    await waitFor(() => l.holdsVip('alpha'), 'the VIP back on alpha');
    expect(await l.holdsVip('beta')).toBe(false);
  });

  it('says which group is unknown to cleanup', async () => {
    const l = await setUp();
    const run = await labCli(l, 'alpha', ['cleanup', 'nosuch']);
    expect(run.code).toBe(1);
    expect(run.err).toBe('no resource group "nosuch" (groups: IPaddr::192.0.2.100/24/eth0)');
  });

  it('kills a monitor that hangs at its monitor_timeout, and counts it as a failure', async () => {
    const l = await setUp(WATCHED_MONITOR, WATCHED);
    await writeFile(join(rscTmp(l), 'watched.hang'), '');
    await logged(l, 'alpha', /watched status timed out after 1s; killed its process group/);
    await logged(l, 'alpha', /Resource watched failed its monitor on alpha .*: failure 1 of 3/);
    await rm(join(rscTmp(l), 'watched.hang'));
    await logged(l, 'alpha', /Recovering resource group IPaddr::192\.0\.2\.100\/24\/eth0 here/);
  });

  it('runs no status at all while no resource is monitored', async () => {
    const l = await setUp(null, WATCHED);
    await logged(l, 'alpha', /Initial resource acquisition complete/);
    const before = await watchedCalls(l);
    // The probe before joining (which the acquire trusts), then the start: nothing after.
    expect(before).toEqual(['status', 'start']);
    // While it probed no timer was due: none was set to Infinity (Node warns, and fires at once).
    expect(l.log('alpha').filter((line) => line.includes('Warning'))).toEqual([]);
    // Proving that nothing happens takes a window to watch: ten monitor intervals of the tests
    // above, in which the node runs steadily (the client keeps being answered).
    const watchFrom = monoMs();
    await new Promise((resolve) => setTimeout(resolve, QUIET_WINDOW_MS));
    expect(l.lastAnswer(watchFrom)?.from).toBe('alpha');
    expect(await watchedCalls(l)).toEqual(before);
  });
});
