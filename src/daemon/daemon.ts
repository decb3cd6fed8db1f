// The daemon's life: claim the control socket, run the node, answer commands and signals, and
// stop gracefully, leaving no socket or pid file behind.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/config.js';
import type { HostView } from '../preflight/host-checks.js';
import { PID_FILE_NAME, socketPath } from '../control/client.js';
import type { ControlReply, ControlRequest } from '../control/protocol.js';
import { ControlServer } from '../control/server.js';
import type { Log } from '../log/logger.js';
import type { SwitchableLog } from '../log/switchable-log.js';
import { EventHistory } from './event-history.js';
import { startGeneration } from './node-identity.js';
import { enterRealtime } from './realtime.js';
import { startNode, type RunningNode } from './node-runner.js';
import { Reloader } from './reloader.js';
import { buildSnapshot } from './status-snapshot.js';

export interface DaemonSettings {
  readonly stateDir: string;
  readonly runDir: string;
  readonly version: string;
  /** Logging to stderr too (the foreground); kept when a reload replaces the log. */
  readonly console: boolean;
}

export interface Daemon {
  /** Resolves once the node stopped and everything is cleaned up. */
  readonly finished: Promise<void>;
}

/**
 * Claims the socket first (a second daemon is refused before it touches anything), then starts the
 * node. Throws when it cannot start; the caller reports it.
 */
export async function startDaemon(
  config: Config,
  host: HostView,
  log: SwitchableLog,
  paths: DaemonSettings,
): Promise<Daemon> {
  const { version } = paths;
  await mkdir(paths.runDir, { recursive: true, mode: 0o700 });
  const startedAt = new Date();
  const startedMono = performance.now();
  const history = new EventHistory();
  const reloader = new Reloader(config, log, paths.console);
  let node: RunningNode | undefined;
  let stopping: Promise<void> | undefined;

  const handle = async (request: ControlRequest): Promise<ControlReply> => {
    if (!node) return { ok: false, error: 'heartbeat is still starting' };
    switch (request.cmd) {
      case 'status':
        return {
          ok: true,
          status: buildSnapshot({
            core: node.core,
            config: reloader.config,
            version,
            startedAt,
            startedMono,
            nowMono: performance.now(),
            events: history.recent,
          }),
        };
      case 'stop':
        void stop('a stop command');
        return { ok: true, message: 'heartbeat is stopping: releasing resources' };
      case 'reload':
        return reloader.reload(node);
      case 'standby':
      case 'takeover': {
        const refused = node.command(request.cmd, request.set);
        return refused === undefined
          ? { ok: true, message: `${request.cmd} [${request.set}] requested` }
          : { ok: false, error: `${request.cmd} refused: ${refused}` };
      }
      case 'cleanup':
        return node.cleanup(request.group);
    }
  };
  const server = await ControlServer.listen(socketPath(paths.runDir), handle);
  const pidFile = join(paths.runDir, PID_FILE_NAME);
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const cleanUp = async (): Promise<void> => {
    await server.close();
    await rm(pidFile, { force: true });
    for (const [signal, listener] of listeners) process.off(signal, listener);
  };
  // Signals are ours from the start: one arriving during start-up is acted on once the node runs.
  let pendingStop: string | undefined;
  const stop = (why: string): Promise<void> => {
    const running = node;
    if (!running) {
      pendingStop ??= why;
      return Promise.resolve();
    }
    stopping ??= (async () => {
      log.log('info', `Received ${why}: shutting down.`);
      await running.stop();
      await cleanUp();
      log.log('info', 'Heartbeat shutdown complete.');
      finish();
    })();
    return stopping;
  };
  const reload = (): void => {
    if (node) void reloader.reload(node);
    else log.log('warn', 'SIGHUP ignored: heartbeat is still starting.');
  };
  const listeners: [NodeJS.Signals, () => void][] = [
    ['SIGTERM', () => void stop('SIGTERM')],
    ['SIGINT', () => void stop('SIGINT')],
    ['SIGHUP', reload],
    ['SIGUSR1', () => changeDebugLevel(log, 1)],
    ['SIGUSR2', () => changeDebugLevel(log, -1)],
  ];
  for (const [signal, listener] of listeners) process.on(signal, listener);
  try {
    await writeFile(pidFile, `${process.pid}\n`);
    await enterRealtime(config.hacf.realtimePriority, log);
    const identity = await startGeneration(paths.stateDir);
    for (const note of identity.notes) log.log(note.startsWith('BROKEN') ? 'warn' : 'info', note);
    const agentTempDir = join(paths.stateDir, 'rsctmp');
    await mkdir(agentTempDir, { recursive: true, mode: 0o700 });
    node = await startNode(config, host, identity, log, {
      agentTempDir,
      onEvent: (level, text) => history.record(level, text),
    });
  } catch (error) {
    await cleanUp();
    throw error;
  }
  if (pendingStop !== undefined) void stop(pendingStop);
  return { finished };
}

function changeDebugLevel(log: Log, delta: number): void {
  log.setDebugLevel(log.debugLevel + delta);
  log.log('info', `debug level now ${log.debugLevel}`);
}
