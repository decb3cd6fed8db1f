// Starts the daemon as a detached child and waits, within a deadline, for it to say it is up
// (or why it is not), so `heartbeat start` reports the outcome instead of guessing.
import { spawn } from 'node:child_process';
import { askDaemon, NotRunningError } from '../control/client.js';
import { EXIT } from './exit-codes.js';
import type { CliIO } from './io.js';

/** As in the `heartbeat` command's #! line, for a daemon started with `node cli.js start`. */
const DAEMON_NODE_FLAGS = [
  '--max-semi-space-size=1',
  '--no-expose-wasm',
  '--jitless',
  '--optimize-for-size',
];

/** How long `start` waits for the daemon to say it is ready: sockets open, control socket up. */
const START_DEADLINE_MS = 120_000;

export interface BackgroundStart {
  readonly dir: string;
  readonly stateDir: string;
  readonly runDir: string;
}

type ChildNews = { ready: true; pid: number } | { error: string } | { exited: number | null };

export async function startInBackground(start: BackgroundStart, io: CliIO): Promise<number> {
  const running = await runningPid(start.runDir);
  if (running !== undefined) {
    io.err(`heartbeat is already running on this machine (pid ${running}).\n`);
    return EXIT.ok;
  }
  const cli = process.argv[1] ?? '';
  const child = spawn(
    process.execPath,
    [
      ...DAEMON_NODE_FLAGS,
      cli,
      'start',
      '-f',
      '--notify-parent',
      '-d',
      start.dir,
      '--state-dir',
      start.stateDir,
      '--run-dir',
      start.runDir,
    ],
    { detached: true, stdio: ['ignore', 'ignore', 'ignore', 'ipc'], env: io.env },
  );
  const news = await new Promise<ChildNews>((resolve) => {
    const timer = setTimeout(
      () => resolve({ error: `no word from the daemon within ${START_DEADLINE_MS / 1000}s` }),
      START_DEADLINE_MS,
    );
    child.on('message', (message: ChildNews) => {
      clearTimeout(timer);
      resolve(message);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ exited: code });
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ error: error.message });
    });
  });
  child.removeAllListeners();
  if (child.connected) child.disconnect();
  child.unref();
  if ('ready' in news) {
    io.out(`heartbeat started (pid ${news.pid}).\n`);
    return EXIT.ok;
  }
  const reason =
    'error' in news ? news.error : `the daemon exited with status ${String(news.exited)}`;
  io.err(`heartbeat not started: ${reason}\n`);
  return EXIT.failure;
}

/** The pid of a daemon answering on the socket, if one does. */
export async function runningPid(runDir: string): Promise<number | undefined> {
  try {
    const reply = await askDaemon(runDir, { cmd: 'status' });
    return reply.ok ? reply.status?.pid : undefined;
  } catch (error) {
    if (error instanceof NotRunningError) return undefined;
    throw error;
  }
}
