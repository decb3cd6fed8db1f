// `heartbeat start`: validates the configuration, then runs the daemon in the foreground (-f, for
// systemd) or starts it in the background and returns once it answers on its control socket.
import { resolve } from 'node:path';
import { diagnosticLine, formatDiagnostic } from '../config/diagnostics.js';
import { loadAndCheck } from '../preflight/load-and-check.js';
import { startDaemon } from '../daemon/daemon.js';
import { createLog } from '../log/logger.js';
import { SwitchableLog } from '../log/switchable-log.js';
import { startInBackground } from './background.js';
import type { Command } from './command.js';
import { EXIT } from './exit-codes.js';
import {
  configDir,
  DIR_OPTION,
  parseOptions,
  RUN_DIR_OPTION,
  runDir,
  STATE_DIR_OPTION,
  stateDir,
} from './options.js';
import { packageVersion } from './version.js';

export const startCommand: Command = {
  name: 'start',
  summary: 'start this node (in the background; -f for the foreground)',
  help: [
    'Usage: heartbeat start [-f] [-d DIR] [--state-dir DIR] [--run-dir DIR]',
    '',
    'Validates the configuration (every problem is reported, exit 6) and starts this node:',
    'heartbeats on every medium of ha.cf, resource groups per haresources. Without -f it',
    'returns once the daemon answers on its control socket (exit 0), or says why it could',
    'not start (exit 1). Starting a node that already runs changes nothing (exit 0).',
    '',
    'Options:',
    '  -f, --foreground     run in the foreground, logging to stderr too (systemd Type=exec);',
    '                       SIGTERM or SIGINT stops it gracefully',
    '  -d, --dir DIR        configuration directory (default: $HA_DIR or /etc/ha.d)',
    "  --state-dir DIR      node UUID, generation, agents' scratch files",
    '                       (default: $HA_STATE_DIR or /var/lib/heartbeat)',
    '  --run-dir DIR        control socket and pid file (default: $HA_RUN_DIR or /run/heartbeat)',
    '  -h, --help           this help',
    '',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseOptions(args, {
      ...DIR_OPTION,
      ...RUN_DIR_OPTION,
      ...STATE_DIR_OPTION,
      foreground: { type: 'boolean', short: 'f' },
      // Internal: the background child tells its parent over IPC when it is up or why it failed.
      'notify-parent': { type: 'boolean' },
    });
    // Absolute, as agents get it in HA_DIR and the daemon may change directory.
    const dir = resolve(configDir(values.dir, io));
    const paths = {
      stateDir: stateDir(values['state-dir'], io),
      runDir: runDir(values['run-dir'], io),
    };
    const loaded = await loadAndCheck({ dir, hostChecks: 'strict' });
    if (!loaded.config || !loaded.host || loaded.diagnostics.hasErrors) {
      for (const d of loaded.diagnostics.all) io.err(`${formatDiagnostic(d)}\n`);
      io.err('Configuration error, heartbeat not started.\n');
      return EXIT.notConfigured;
    }
    if (!values.foreground) return startInBackground({ dir, ...paths }, io);
    const notify = values['notify-parent'] === true;
    const { config, host } = loaded;
    const log = new SwitchableLog(createLog({ ...config.hacf.log, console: !notify }));
    for (const d of loaded.diagnostics.warnings) log.log('warn', diagnosticLine(d));
    log.log('info', `Configuration validated. Starting heartbeat ${packageVersion()}`);
    let daemon;
    try {
      daemon = await startDaemon(config, host, log, {
        ...paths,
        version: packageVersion(),
        console: !notify,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      log.log('error', `heartbeat not started: ${reason}`);
      await log.close();
      tellParent(notify, { error: reason });
      if (!notify) io.err(`heartbeat not started: ${reason}\n`);
      return EXIT.failure;
    }
    tellParent(notify, { ready: true, pid: process.pid });
    await daemon.finished;
    await log.close();
    return EXIT.ok;
  },
};

function tellParent(notify: boolean, message: object): void {
  if (!notify || !process.send) return;
  process.send(message, () => process.disconnect());
}
