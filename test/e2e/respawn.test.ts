// End to end, as root in a network namespace: a `respawn` client run by the daemon as its user in
// its own process group once comm is up, started again when it dies, and stopped after the groups
// are released on `heartbeat stop`.
import { readFile } from 'node:fs/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailoverLab } from '../helpers/failover-lab.js';
import { labCli } from '../helpers/lab-cli.js';
import { isAlive } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait-for.js';

const isRoot = process.getuid?.() === 0;
const TIMING = { keepaliveMs: 200, deadtimeMs: 1000 };
/** A client that does nothing for a long time: heartbeat hands the line to the shell. */
const CLIENT = '/bin/sleep 3600';
const SETTLE_MS = 20_000;

describe.skipIf(!isRoot)('respawn clients', () => {
  let lab: FailoverLab;

  const clientPid = (): number | undefined => {
    const lines = lab.log('alpha').filter((l) => l.includes(`Starting "${CLIENT}" as uid`));
    const pid = /\(pid (\d+)\)/.exec(lines.at(-1) ?? '')?.[1];
    return pid === undefined ? undefined : Number(pid);
  };

  const status = async (pid: number): Promise<Record<string, string>> => {
    const text = await readFile(`/proc/${pid}/status`, 'utf8');
    return Object.fromEntries(text.split('\n').map((l) => l.split(/:\s*/, 2) as [string, string]));
  };

  beforeAll(async () => {
    lab = await FailoverLab.create({
      ...TIMING,
      extraHacf: () => [`respawn nobody ${CLIENT}`],
    });
    lab.start('alpha');
  }, 60_000);

  afterAll(async () => {
    await lab.destroy();
  }, 30_000);

  it('starts the client once comm is up, as its user, in its own process group', async () => {
    await waitFor(() => clientPid() !== undefined, 'the client started', SETTLE_MS);
    const lines = lab.log('alpha');
    const commUp = lines.findIndex((l) => l.includes('Comm_now_up()'));
    const started = lines.findIndex((l) => l.includes(`Starting child client "${CLIENT}"`));
    expect(commUp).toBeGreaterThanOrEqual(0);
    expect(started).toBeGreaterThan(commUp);
    const pid = clientPid() ?? 0;
    const { stdout: uid } = await execa('id', ['-u', 'nobody']);
    expect((await status(pid)).Uid?.split(/\s+/)[0]).toBe(uid);
    const { stdout: pgid } = await execa('ps', ['-o', 'pgid=', '-p', String(pid)]);
    expect(Number(pgid.trim())).toBe(pid);
  });

  it('starts it again when it dies', async () => {
    const first = clientPid() ?? 0;
    process.kill(first, 'SIGKILL');
    await waitFor(() => (clientPid() ?? first) !== first, 'the client started again', SETTLE_MS);
    const lines = lab.log('alpha').join('\n');
    expect(lines).toContain(`Managed ${CLIENT} process ${first} killed by signal 9 [SIGKILL].`);
    expect(lines).toContain(`Respawning client "${CLIENT}":`);
    expect(isAlive(clientPid() ?? 0)).toBe(true);
  });

  it('stops the client after the groups are released, and does not start it again', async () => {
    const pid = clientPid() ?? 0;
    const stopped = await labCli(lab, 'alpha', ['stop']);
    expect(stopped.code, stopped.err).toBe(0);
    await waitFor(() => !isAlive(pid), 'the client is gone', SETTLE_MS);
    const lines = lab.log('alpha');
    const released = lines.findIndex((l) => l.includes('All HA resources relinquished.'));
    const killed = lines.findIndex((l) =>
      l.includes(`killing ${CLIENT} process group ${pid} with signal 15`),
    );
    expect(released).toBeGreaterThanOrEqual(0);
    expect(killed).toBeGreaterThan(released);
    expect(lines.filter((l) => l.includes('Respawning client'))).toHaveLength(1);
  });
});
