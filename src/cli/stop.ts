// `heartbeat stop`, `restart` and `reload`: graceful stop within a bound, then start again; or
// re-read the configuration in place.
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { startInBackground } from './background.js';
import type { Command } from './command.js';
import { callDaemon, reportReply } from './daemon-call.js';
import { EXIT, UsageError } from './exit-codes.js';
import type { CliIO } from './io.js';
import {
  configDir,
  DIR_OPTION,
  parseOptions,
  RUN_DIR_OPTION,
  runDir,
  STATE_DIR_OPTION,
  stateDir,
} from './options.js';

const DEFAULT_STOP_TIMEOUT_S = 120;
const POLL_MS = 50;

const TIMEOUT_OPTION = { timeout: { type: 'string' } } as const;

const TIMEOUT_HELP = '  --timeout SECONDS  how long to wait for the daemon to finish (default 120)';

export const stopCommand: Command = {
  name: 'stop',
  summary: 'stop this node gracefully: release resource groups, tell the peer, exit',
  help: [
    'Usage: heartbeat stop [--timeout SECONDS] [--run-dir DIR]',
    '',
    'Releases every resource group (last first; a start still running is killed and rolled',
    'back), tells the peer, which takes over at once, and waits for the daemon to exit.',
    'Exit 0 when stopped (also when it was not running), 1 when it did not finish in time.',
    '',
    'Options:',
    TIMEOUT_HELP,
    '  --run-dir DIR      where the control socket is (default: $HA_RUN_DIR or /run/heartbeat)',
    '',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseOptions(args, { ...RUN_DIR_OPTION, ...TIMEOUT_OPTION });
    return stopDaemon(runDir(values['run-dir'], io), seconds(values.timeout), io);
  },
};

export const restartCommand: Command = {
  name: 'restart',
  summary: 'stop this node gracefully, then start it again',
  help: [
    'Usage: heartbeat restart [-d DIR] [--state-dir DIR] [--run-dir DIR] [--timeout SECONDS]',
    '',
    "'heartbeat stop' then 'heartbeat start': the peer serves the groups meanwhile.",
    '',
    'Options:',
    '  -d, --dir DIR      configuration directory (default: $HA_DIR or /etc/ha.d)',
    '  --state-dir DIR    (default: $HA_STATE_DIR or /var/lib/heartbeat)',
    '  --run-dir DIR      (default: $HA_RUN_DIR or /run/heartbeat)',
    TIMEOUT_HELP,
    '',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseOptions(args, {
      ...DIR_OPTION,
      ...RUN_DIR_OPTION,
      ...TIMEOUT_OPTION,
      ...STATE_DIR_OPTION,
    });
    const run = runDir(values['run-dir'], io);
    const stopped = await stopDaemon(run, seconds(values.timeout), io);
    if (stopped !== EXIT.ok) return stopped;
    const start = { dir: configDir(values.dir, io), stateDir: stateDir(values['state-dir'], io) };
    return startInBackground({ ...start, runDir: run }, io);
  },
};

export const reloadCommand: Command = {
  name: 'reload',
  summary: 're-read ha.cf, authkeys, haresources: apply what can change live (= SIGHUP)',
  help: [
    'Usage: heartbeat reload [--run-dir DIR]',
    '',
    'Keys (authkeys), logging, agent timeouts (timeouts.ini) and STONITH devices change at',
    'once. Nodes, media, timing, auto_failback and haresources need a restart: the daemon says',
    'so and keeps their old values. A broken configuration is reported (exit 1) and the',
    'daemon keeps running on the previous one.',
    '',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseOptions(args, RUN_DIR_OPTION);
    const reply = await callDaemon(runDir(values['run-dir'], io), { cmd: 'reload' }, io);
    return typeof reply === 'number' ? reply : reportReply(reply, io);
  },
};

async function stopDaemon(run: string, timeoutS: number, io: CliIO): Promise<number> {
  const status = await callDaemon(run, { cmd: 'status' }, io);
  if (status === EXIT.notRunning) return EXIT.ok;
  if (typeof status === 'number') return status;
  const pid = status.ok ? status.status?.pid : undefined;
  const reply = await callDaemon(run, { cmd: 'stop' }, io);
  if (typeof reply === 'number') return reply === EXIT.notRunning ? EXIT.ok : reply;
  if (!reply.ok) return reportReply(reply, io);
  io.out(`Stopping heartbeat${pid === undefined ? '' : ` (pid ${pid})`}: releasing resources...\n`);
  const deadline = performance.now() + timeoutS * 1000;
  while (pid !== undefined && (await alive(pid))) {
    if (performance.now() > deadline) {
      io.err(
        `heartbeat (pid ${pid}) did not stop within ${timeoutS}s; it is still releasing resources, see its log.\n`,
      );
      return EXIT.failure;
    }
    await sleep(POLL_MS);
  }
  io.out('heartbeat stopped.\n');
  return EXIT.ok;
}

/** Running, not a zombie waiting for a parent that never reaps it. */
async function alive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function seconds(text: string | undefined): number {
  if (text === undefined) return DEFAULT_STOP_TIMEOUT_S;
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || value <= 0)
    throw new UsageError(`--timeout "${text}" is not a number of seconds`);
  return value;
}
