// The respawn client runner with real processes: heartbeat's log lines, exit reports, the user a
// client runs as, its environment, and SIGTERM to its whole process group.
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientExit } from '../../src/cluster/clients.js';
import { ClientRunner, type ClientSpec } from '../../src/process/client-runner.js';
import { lookUpUser } from '../../src/process/users.js';
import { isAlive } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait-for.js';

const isRoot = process.getuid?.() === 0;
const temporary: string[] = [];
const me = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };

afterEach(async () => {
  await Promise.all(temporary.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'clients-'));
  temporary.push(dir);
  // Writable by a client that runs as another user.
  await chmod(dir, 0o777);
  return dir;
}

function runner(specs: ClientSpec[]) {
  const logs: string[] = [];
  const started: number[] = [];
  const exits: { index: number; exit: ClientExit }[] = [];
  const clients = new ClientRunner(specs, {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HA_DIR: '/etc/ha.d' },
    log: (level, text) => logs.push(`${level}: ${text}`),
    started: (index) => started.push(index),
    exited: (index, exit) => exits.push({ index, exit }),
  });
  return { clients, logs, started, exits };
}

describe('ClientRunner', () => {
  it('starts a client through the shell, logs as heartbeat does, and reports its exit', async () => {
    const dir = await scratch();
    const command = `/bin/sh -c 'echo "$HA_DIR" > ${dir}/env; exit 3'`;
    const { clients, logs, started, exits } = runner([{ command, user: 'me', ids: me }]);
    clients.run('start', 0);
    await waitFor(() => exits.length === 1, 'the client exits', 5000);
    expect(started).toEqual([0]);
    expect(exits[0]?.exit).toMatchObject({ code: 3, signal: undefined });
    expect(exits[0]?.exit.ranMs).toBeGreaterThan(0);
    expect(logs[0]).toBe(`info: Starting child client "${command}" (${me.uid},${me.gid})`);
    expect(logs[1]).toMatch(
      new RegExp(`^info: Starting ".*" as uid ${me.uid}  gid ${me.gid} \\(pid \\d+\\)$`),
    );
    expect(logs[2]).toMatch(/^warn: Managed .* process \d+ exited with return code 3\.$/);
    expect((await readFile(join(dir, 'env'), 'utf8')).trim()).toBe('/etc/ha.d');
  });

  it('stop sends SIGTERM to the whole process group, and that death is not logged', async () => {
    const dir = await scratch();
    // The client starts a grandchild and waits: both must go.
    const command = `/bin/sh -c 'sleep 60 & echo $! > ${dir}/grandchild; wait'`;
    const { clients, logs, exits } = runner([{ command, user: 'me', ids: me }]);
    clients.run('start', 0);
    await waitFor(
      () =>
        readFile(join(dir, 'grandchild'), 'utf8').then(
          (t) => t.trim() !== '',
          () => false,
        ),
      'the grandchild started',
      5000,
    );
    const grandchild = Number((await readFile(join(dir, 'grandchild'), 'utf8')).trim());
    expect(isAlive(grandchild)).toBe(true);
    clients.run('stop', 0);
    await waitFor(() => exits.length === 1, 'the client exits', 5000);
    expect(exits[0]?.exit.signal).toBe('SIGTERM');
    await waitFor(() => !isAlive(grandchild), 'the grandchild is gone', 5000);
    expect(logs.filter((l) => l.includes('Managed'))).toEqual([]);
    expect(logs.at(-1)).toMatch(/^info: killing .* process group \d+ with signal 15$/);
  });

  it.skipIf(!isRoot)("runs a client as its user, with that user's primary group", async () => {
    const dir = await scratch();
    const nobody = await lookUpUser('nobody');
    expect(nobody).toBeDefined();
    if (!nobody) return;
    const command = `/bin/sh -c 'id -u > ${dir}/ids; id -g >> ${dir}/ids'`;
    const { clients, exits } = runner([{ command, user: 'nobody', ids: nobody }]);
    clients.run('start', 0);
    await waitFor(() => exits.length === 1, 'the client exits', 5000);
    expect(exits[0]?.exit.code).toBe(0);
    const [uid, gid] = (await readFile(join(dir, 'ids'), 'utf8')).trim().split('\n').map(Number);
    expect([uid, gid]).toEqual([nobody.uid, nobody.gid]);
  });

  it('a command the shell cannot find exits 127, reported like any other exit', async () => {
    const { clients, exits } = runner([
      { command: '/nonexistent/program --flag', user: 'me', ids: me },
    ]);
    clients.run('start', 0);
    await waitFor(() => exits.length === 1, 'the client exits', 5000);
    expect(exits[0]?.exit.code).toBe(127);
  });
});
