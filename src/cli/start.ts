// `heartbeat start -f`: validates the configuration and runs this node until SIGTERM or SIGINT.
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { diagnosticLine, formatDiagnostic } from '../config/diagnostics.js';
import { loadConfig } from '../config/load.js';
import { DEFAULT_STATE_DIR, startGeneration } from '../daemon/node-identity.js';
import { startNode } from '../daemon/node-runner.js';
import { createLog } from '../log/logger.js';
import type { Command } from './command.js';
import { EXIT, UsageError } from './exit-codes.js';
import { configDir, DIR_OPTION, parseOptions } from './options.js';
import { packageVersion } from './version.js';

export const startCommand: Command = {
  name: 'start',
  summary: 'start this node (in the foreground with -f)',
  help: [
    'Usage: heartbeat start -f [-d DIR] [--state-dir DIR]',
    '',
    'Validates the configuration (every problem is reported, exit 6) and runs this node:',
    'heartbeats on every medium of ha.cf, node and link status in the log. SIGTERM or',
    'SIGINT stops it gracefully: the peer is told at once, the log is flushed, exit 0.',
    '',
    'Options:',
    '  -f, --foreground     run in the foreground, logging to stderr too (for systemd)',
    '  -d, --dir DIR        configuration directory (default: $HA_DIR or /etc/ha.d)',
    '  --state-dir DIR      node UUID and generation (default: $HA_STATE_DIR or /var/lib/heartbeat)',
    '  -h, --help           this help',
    '',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseOptions(args, {
      ...DIR_OPTION,
      foreground: { type: 'boolean', short: 'f' },
      'state-dir': { type: 'string' },
    });
    if (!values.foreground) {
      throw new UsageError('only foreground runs are supported so far: use heartbeat start -f');
    }
    const dir = configDir(values.dir, io);
    const stateDir = values['state-dir'] ?? (io.env.HA_STATE_DIR || DEFAULT_STATE_DIR);
    const loaded = await loadConfig({ dir, hostChecks: 'strict' });
    if (!loaded.config || !loaded.host || loaded.diagnostics.hasErrors) {
      for (const d of loaded.diagnostics.all) io.err(`${formatDiagnostic(d)}\n`);
      io.err('Configuration error, heartbeat not started.\n');
      return EXIT.notConfigured;
    }
    const { config, host } = loaded;
    const log = createLog({ ...config.hacf.log, console: true });
    for (const d of loaded.diagnostics.warnings) log.log('warn', diagnosticLine(d));
    log.log('info', `Configuration validated. Starting heartbeat ${packageVersion()}`);
    let node;
    try {
      const identity = await startGeneration(stateDir);
      for (const note of identity.notes) log.log(note.startsWith('BROKEN') ? 'warn' : 'info', note);
      const agentTempDir = join(stateDir, 'rsctmp');
      await mkdir(agentTempDir, { recursive: true, mode: 0o700 });
      node = await startNode(config, host, identity, log, { agentTempDir });
    } catch (error) {
      log.log(
        'error',
        `heartbeat not started: ${error instanceof Error ? error.message : String(error)}`,
      );
      await log.close();
      return EXIT.failure;
    }
    const signal = await Promise.race([once(process, 'SIGTERM'), once(process, 'SIGINT')]);
    log.log('info', `Received ${String(signal[0] ?? 'signal')}: shutting down.`);
    await node.stop();
    log.log('info', 'Heartbeat shutdown complete.');
    await log.close();
    return EXIT.ok;
  },
};
