// Every subcommand's help and error paths, with no daemon running: not running (LSB 3, or 0 for
// stop), bad arguments (2), bad configuration (6), a stale socket file treated as not running.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfigDir } from '../helpers/config-dir.js';
import { runCli } from '../helpers/run-cli.js';

const COMMANDS = [
  'start',
  'stop',
  'restart',
  'reload',
  'status',
  'standby',
  'takeover',
  'cleanup',
  'cl-status',
  'check-config',
];

describe('heartbeat subcommands without a daemon', () => {
  let runDir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    runDir = await mkdtemp(join(tmpdir(), 'hbts-run-'));
    env = { HA_RUN_DIR: runDir };
  });
  afterAll(async () => {
    await rm(runDir, { recursive: true, force: true });
  });

  it.each(COMMANDS)('%s --help explains it and exits 0', async (name) => {
    const run = await runCli([name, '--help']);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^Usage: (heartbeat|cl_status) /m);
  });

  it('lists every subcommand in the overall help', async () => {
    const run = await runCli(['--help']);
    for (const name of COMMANDS) expect(run.out).toMatch(new RegExp(`^ {2}${name} `, 'm'));
  });

  it.each([['status'], ['standby'], ['takeover', 'local'], ['reload'], ['cleanup', 'web']])(
    '%s when not running: one line, exit 3',
    async (...args) => {
      const run = await runCli(args, env);
      expect(run.code).toBe(3);
      expect(run.err).toBe('heartbeat is not running on this machine.\n');
      expect(run.out).toBe('');
    },
  );

  it('status --json when not running: still JSON on stdout for tools, exit 3', async () => {
    const run = await runCli(['status', '--json'], env);
    expect(run.code).toBe(3);
    expect(run.err).toBe('heartbeat is not running on this machine.\n');
    expect(JSON.parse(run.out)).toEqual({ running: false, state: 'not running' });
  });

  it('stop when not running succeeds (LSB) and says so', async () => {
    const run = await runCli(['stop'], env);
    expect(run.code).toBe(0);
    expect(run.err).toBe('heartbeat is not running on this machine.\n');
  });

  it('cl-status hbstatus says stopped, like cl_status', async () => {
    const run = await runCli(['cl-status', 'hbstatus'], env);
    expect(run.code).toBe(1);
    expect(run.out).toBe('Heartbeat is stopped on this machine.\n');
  });

  it('treats a socket file nobody listens on (left by kill -9) as not running', async () => {
    const path = join(runDir, 'heartbeat.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    // Closing a listening unix socket leaves nothing; write a plain file to stand for the leftover.
    await new Promise((resolve) => server.close(resolve));
    await writeFile(path, '');
    const run = await runCli(['status'], env);
    expect(run.code).toBe(3);
    await rm(path);
  });

  it.each([
    [
      ['standby', 'everything'],
      /unknown resource set "everything": use all, local or foreign, or failback/,
    ],
    [['takeover', 'failback'], /unknown resource set "failback"/],
    [['standby', 'all', 'extra'], /unexpected argument "extra"/],
    [['cleanup', 'web', 'db'], /unexpected argument "db"/],
    [['status', '--yaml'], /Unknown option '--yaml'/],
    [['stop', '--timeout', 'soon'], /--timeout "soon" is not a number of seconds/],
    [['start', '--run-dir', ''], /--run-dir needs a directory/],
  ])('%j is a usage error (exit 2) saying what is wrong', async (args, message) => {
    const run = await runCli(args, env);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(message);
    expect(run.err).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('start with a broken configuration prints every FILE:LINE problem and exits 6', async () => {
    const config = await makeConfigDir({ hacf: 'keepalive 2\ndeadtime 1\nnode alpha beta\n' });
    try {
      const run = await runCli(['start', '-d', config.dir, '--run-dir', runDir], env);
      expect(run.code).toBe(6);
      expect(run.err).toMatch(/ha\.cf:2: .*deadtime/);
      expect(run.err).toMatch(/No heartbeat media defined/);
      expect(run.err).toMatch(/heartbeat not started/);
    } finally {
      await config.cleanup();
    }
  });
});
