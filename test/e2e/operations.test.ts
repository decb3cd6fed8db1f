// End to end, as root in network namespaces: the `heartbeat` command run by an operator on each
// node (start in the background, status, cl-status, standby, takeover, reload, stop), with a
// client probing the VIP; kill -9 and restart; stop in the middle of a takeover.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FailoverLab, monoMs, VIP } from '../helpers/failover-lab.js';
import { labCli, startInLab } from '../helpers/lab-cli.js';
import { CLI, runDirOf } from '../helpers/our-node.js';
import { waitFor } from '../helpers/wait-for.js';

const TIMING = { keepaliveMs: 200, deadtimeMs: 3000 };
const PROBE_MS = 5;
const GROUP = `IPaddr::${VIP}/24/eth0`;
const isRoot = process.getuid?.() === 0;

const logOf = (lab: FailoverLab, node: string): Promise<string> =>
  readFile(join(lab.dir(node), 'ha-log'), 'utf8').catch(() => '');

/** Waits until the client's latest answers come from `node`; fails with both logs. */
async function answeredBy(lab: FailoverLab, node: string, since: number, timeoutMs = 15_000) {
  await waitFor(
    () => lab.lastAnswer(since)?.from === node,
    `the VIP answered by ${node}`,
    timeoutMs,
  ).catch(async (error: unknown) => {
    const logs = await Promise.all(
      ['alpha', 'beta'].map(async (n) => `--- ${n}:\n${await logOf(lab, n)}`),
    );
    throw new Error(`${String(error)}\n${logs.join('\n')}`);
  });
}

/** The longest silence the client saw after `since`, in ms. */
function longestGap(lab: FailoverLab, since: number): number {
  const times = lab.answers.filter((a) => a.at >= since).map((a) => a.at);
  return times.slice(1).reduce((max, t, i) => Math.max(max, t - (times[i] ?? t)), 0);
}

async function daemonPid(lab: FailoverLab, node: string): Promise<number> {
  return Number((await readFile(join(runDirOf(lab.dir(node)), 'heartbeat.pid'), 'utf8')).trim());
}

describe.skipIf(!isRoot)('operating a pair with the heartbeat command', () => {
  let lab: FailoverLab;

  beforeAll(async () => {
    lab = await FailoverLab.create({ ...TIMING, autoFailback: 'on' });
  }, 60_000);
  afterAll(async () => {
    await lab.destroy();
  });

  it('start returns once the daemon answers on a root-only socket; a second start changes nothing', async () => {
    for (const node of ['alpha', 'beta']) {
      const started = await startInLab(lab, node);
      expect(started.code, started.err).toBe(0);
      expect(started.out).toMatch(/^heartbeat started \(pid \d+\)\.$/);
      const socket = await stat(join(runDirOf(lab.dir(node)), 'heartbeat.sock'));
      expect(socket.isSocket()).toBe(true);
      expect(socket.mode & 0o777).toBe(0o600);
    }
    const again = await startInLab(lab, 'alpha');
    expect(again.code).toBe(0);
    expect(again.err).toMatch(/already running on this machine \(pid \d+\)/);
    lab.startProbe(PROBE_MS);
    await answeredBy(lab, 'alpha', 0);
  });

  it('status shows both nodes, their links, who holds the group, and recent events', async () => {
    await waitFor(
      async () => (await labCli(lab, 'alpha', ['status'])).out.includes('running on alpha'),
      'alpha settled',
    );
    const human = await labCli(lab, 'alpha', ['status']);
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/alpha\s+\(this node\)\s+active\s+links: eth0 up/);
    expect(human.out).toMatch(/beta\s+active\s+links: eth0 up/);
    expect(human.out).toContain(GROUP);
    expect(human.out).toMatch(/Fencing: NOT configured/);
    expect(human.out).toContain('Initial resource acquisition complete');
    const json = await labCli(lab, 'beta', ['status', '--json']);
    const status = JSON.parse(json.out) as {
      node: string;
      nodes: { name: string; status: string }[];
      groups: { name: string; holder?: string; state: string }[];
    };
    expect(status.node).toBe('beta');
    expect(status.nodes.map((n) => `${n.name}:${n.status}`)).toEqual([
      'beta:active',
      'alpha:active',
    ]);
    expect(status.groups).toEqual([
      expect.objectContaining({ name: GROUP, holder: 'alpha', state: 'running-on-peer' }),
    ]);
  });

  it("answers heartbeat's cl_status queries with its words", async () => {
    const ask = async (node: string, ...args: string[]) =>
      (await labCli(lab, node, ['cl-status', ...args])).out.trim();
    expect(await ask('alpha', 'hbstatus')).toBe('Heartbeat is running on this machine.');
    expect(await ask('alpha', 'listnodes')).toBe('alpha\nbeta');
    expect(await ask('alpha', 'nodestatus', 'beta')).toBe('active');
    expect(await ask('alpha', 'nodetype', 'beta')).toBe('normal');
    expect(await ask('alpha', 'listhblinks', 'beta')).toBe('eth0');
    expect(await ask('alpha', 'hblinkstatus', 'beta', 'eth0')).toBe('up');
    expect(await ask('alpha', 'rscstatus')).toBe('local');
    expect(await ask('beta', 'rscstatus')).toBe('none');
    expect(await ask('alpha', 'hbparameter', '-p', 'deadtime')).toBe('3000ms');
    const unknown = await labCli(lab, 'alpha', ['cl-status', 'nodestatus', 'gamma']);
    expect(unknown.code).not.toBe(0);
  });

  it('standby moves the VIP to beta (the client sees it move), takeover brings it back', async () => {
    const since = monoMs();
    const standby = await labCli(lab, 'alpha', ['standby']);
    expect(standby.code, standby.err).toBe(0);
    await answeredBy(lab, 'beta', since);
    expect(await lab.holdsVip('alpha')).toBe(false);
    expect(await lab.clientNeighbour()).toBe(await lab.mac('beta'));
    const standbyGap = longestGap(lab, since);
    expect(await logOf(lab, 'alpha')).toContain(
      'Other node completed standby takeover of all resources.',
    );
    expect(await logOf(lab, 'beta')).toContain('Standby resource acquisition done [all].');

    await waitFor(
      async () => (await labCli(lab, 'alpha', ['cl-status', 'rscstatus'])).out.trim() === 'none',
      'alpha settled',
    );
    const back = monoMs();
    const takeover = await labCli(lab, 'alpha', ['takeover']);
    expect(takeover.code, takeover.err).toBe(0);
    await answeredBy(lab, 'alpha', back);
    expect(await lab.holdsVip('beta')).toBe(false);
    console.info(
      `standby outage ${standbyGap.toFixed(1)} ms, takeover outage ${longestGap(lab, back).toFixed(1)} ms`,
    );
    // Not a timing assertion: a planned move must not wait for any failure detection.
    expect(standbyGap).toBeLessThan(TIMING.deadtimeMs);
  });

  it('reload applies new keys live and keeps running on a broken configuration', async () => {
    await waitFor(
      async () => (await labCli(lab, 'alpha', ['cl-status', 'rscstatus'])).out.trim() === 'local',
      'alpha settled',
    );
    for (const node of ['alpha', 'beta']) {
      await writeFile(
        join(lab.dir(node), 'authkeys'),
        'auth 1\n1 sha1 lab-secret-of-20-chars\n2 sha1 next-secret-of-20-chars\n',
        { mode: 0o600 },
      );
      const reloaded = await labCli(lab, node, ['reload']);
      expect(reloaded.code, reloaded.err).toBe(0);
      expect(reloaded.out).toContain('applied authkeys');
    }
    const hacf = join(lab.dir('alpha'), 'ha.cf');
    const good = await readFile(hacf, 'utf8');
    await writeFile(hacf, `${good}deadtime soon\n`);
    const broken = await labCli(lab, 'alpha', ['reload']);
    await writeFile(hacf, good);
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(/still running the previous one/);
    expect(broken.err).toMatch(/ha\.cf:\d+: deadtime "soon" is not a time/);
    expect((await labCli(lab, 'alpha', ['status'])).code).toBe(0);
    expect((await labCli(lab, 'beta', ['cl-status', 'nodestatus', 'alpha'])).out.trim()).toBe(
      'active',
    );
  });

  it('takes SIGHUP as reload and SIGUSR1/SIGUSR2 as debug level up/down', async () => {
    const pid = await daemonPid(lab, 'alpha');
    const count = async (text: string) => (await logOf(lab, 'alpha')).split(text).length - 1;
    const reloads = await count('Configuration reloaded:');
    process.kill(pid, 'SIGHUP');
    await waitFor(
      async () => (await count('Configuration reloaded:')) > reloads,
      'a reload on SIGHUP',
    );
    process.kill(pid, 'SIGUSR1');
    await waitFor(async () => (await count('debug level now 1')) > 0, 'debug level 1 on SIGUSR1');
    process.kill(pid, 'SIGUSR2');
    await waitFor(async () => (await count('debug level now 0')) > 0, 'debug level 0 on SIGUSR2');
    expect((await labCli(lab, 'alpha', ['status'])).code).toBe(0);
  });

  it('refuses users other than root (exit 4) without revealing anything', async () => {
    const asNobody = await execa(
      'setpriv',
      [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        process.execPath,
        CLI,
        'status',
        '--run-dir',
        runDirOf(lab.dir('alpha')),
      ],
      { reject: false },
    );
    expect(asNobody.exitCode).toBe(4);
    expect(asNobody.stderr).toMatch(/permission denied .* run as root/);
  });

  it('kill -9 then restart: nothing started twice, the VIP it rightfully holds is kept and announced again', async () => {
    const since = monoMs();
    const pid = await daemonPid(lab, 'alpha');
    process.kill(pid, 'SIGKILL');
    await waitFor(
      async () => (await labCli(lab, 'alpha', ['status'])).code === 3,
      'alpha reported not running',
    );
    const restarted = await startInLab(lab, 'alpha');
    expect(restarted.code, restarted.err).toBe(0);
    await waitFor(
      async () => (await labCli(lab, 'alpha', ['cl-status', 'rscstatus'])).out.trim() === 'local',
      'alpha settled again',
      15_000,
    );
    const log = await logOf(lab, 'alpha');
    const afterRestart = log.slice(log.lastIndexOf('Configuration validated'));
    expect(afterRestart).toContain(`Resource group ${GROUP} is already active here`);
    // Only the address is announced again (the peer may have taken it meanwhile): its agent's
    // start sends gratuitous ARP; the service is not started a second time.
    expect(afterRestart).toContain(`Announcing resource group again: alpha ${GROUP}`);
    expect(afterRestart.match(/Running \S+ \S+ start/g)).toEqual([
      expect.stringMatching(/^Running \S+\/IPaddr 192\.0\.2\.100\/24\/eth0 start$/),
    ]);
    expect(await lab.holdsVip('alpha')).toBe(true);
    expect(lab.answers.filter((a) => a.at >= since).every((a) => a.from === 'alpha')).toBe(true);
  });

  it('a daemon killed while the peer took over settles on one holder after restart', async () => {
    process.kill(await daemonPid(lab, 'alpha'), 'SIGKILL');
    await waitFor(() => lab.holdsVip('beta'), 'beta took over the VIP', 15_000);
    const restarted = await startInLab(lab, 'alpha');
    expect(restarted.code, restarted.err).toBe(0);
    await waitFor(
      async () => (await lab.holdsVip('alpha')) !== (await lab.holdsVip('beta')),
      'exactly one node holding the VIP',
      15_000,
    );
    const both = `${await logOf(lab, 'alpha')}\n${await logOf(lab, 'beta')}`;
    expect(both).toMatch(/Both nodes hold resource group/);
    expect(both).toMatch(/is active, and should not be!/);
  });

  it('stop releases the group, the peer answers at once, and status then exits 3', async () => {
    await waitFor(
      async () =>
        (await labCli(lab, 'beta', ['cl-status', 'rscstatus'])).out.trim() !== 'transition',
      'beta settled',
    );
    const holder = (await lab.holdsVip('alpha')) ? 'alpha' : 'beta';
    const other = holder === 'alpha' ? 'beta' : 'alpha';
    const since = monoMs();
    const stopped = await labCli(lab, holder, ['stop']);
    expect(stopped.code, stopped.err).toBe(0);
    expect(stopped.out).toContain('heartbeat stopped.');
    await answeredBy(lab, other, since);
    const status = await labCli(lab, holder, ['status']);
    expect(status.code).toBe(3);
    expect(status.err.trim()).toBe('heartbeat is not running on this machine.');
    const again = await labCli(lab, holder, ['stop']);
    expect(again.code).toBe(0);
    await expect(stat(join(runDirOf(lab.dir(holder)), 'heartbeat.sock'))).rejects.toThrow();
    expect(await logOf(lab, holder)).toContain('Heartbeat shutdown complete.');
  });
});

describe.skipIf(!isRoot)('stop in the middle of a takeover', () => {
  let lab: FailoverLab | undefined;
  afterEach(async () => {
    await lab?.destroy();
    lab = undefined;
  });

  it('kills the start that hangs, rolls the group back and exits well within the start timeout', async () => {
    lab = await FailoverLab.create({
      keepaliveMs: 100,
      deadtimeMs: 500,
      nodeAgents: { beta: { 'udp-echo': 'agents/slow-start' } },
    });
    for (const node of ['alpha', 'beta']) expect((await startInLab(lab, node)).code).toBe(0);
    await waitFor(() => lab?.holdsVip('alpha') ?? false, 'alpha holds the VIP', 15_000);
    await lab.crash('alpha');
    await waitFor(
      async () => (await logOf(lab as FailoverLab, 'beta')).includes('starting, slowly'),
      'beta stuck in the start',
      15_000,
    );
    const began = monoMs();
    const stopped = await labCli(lab, 'beta', ['stop', '--timeout', '20']);
    const took = monoMs() - began;
    expect(stopped.code, stopped.err).toBe(0);
    expect(took).toBeLessThan(20_000);
    const log = await logOf(lab, 'beta');
    expect(log).toMatch(/cancelled: this node is stopping; killed its process group/);
    expect(log).toContain('Heartbeat shutdown complete.');
    expect(await lab.holdsVip('beta')).toBe(false);
  });
});
