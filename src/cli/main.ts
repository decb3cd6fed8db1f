// Dispatches `heartbeat <command>` to its subcommand; usage errors exit 2, never with a trace.
import { closest } from '../config/suggest.js';
import { checkConfigCommand } from './check-config.js';
import { cleanupCommand } from './cleanup.js';
import { exportCibCommand } from './export-cib.js';
import { clStatusCommand } from './cl-status.js';
import { standbyCommand, takeoverCommand } from './move.js';
import { startCommand } from './start.js';
import { statusCommand } from './status.js';
import { reloadCommand, restartCommand, stopCommand } from './stop.js';
import { packageVersion } from './version.js';
import type { Command } from './command.js';
import { EXIT, UsageError } from './exit-codes.js';
import type { CliIO } from './io.js';

const COMMANDS: readonly Command[] = [
  startCommand,
  stopCommand,
  restartCommand,
  reloadCommand,
  statusCommand,
  standbyCommand,
  takeoverCommand,
  cleanupCommand,
  clStatusCommand,
  checkConfigCommand,
  exportCibCommand,
];

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(
      `heartbeat: no command given\nUsage: heartbeat <command> [options]\nTry 'heartbeat --help'.\n`,
    );
    return EXIT.usage;
  }
  if (name === '-h' || name === '--help' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    return showHelp(topic, io);
  }
  if (name === '-V' || name === '--version') {
    io.out(`heartbeat ${packageVersion()}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const near = closest(
      name,
      COMMANDS.map((c) => c.name),
    );
    const hint = near === undefined ? '' : `; did you mean "${near}"?`;
    io.err(`heartbeat: unknown command "${name}"${hint}\nTry 'heartbeat --help'.\n`);
    return EXIT.usage;
  }
  if (rest.includes('-h') || rest.includes('--help')) {
    io.out(command.help);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(
        `heartbeat ${command.name}: ${error.message}\nTry 'heartbeat ${command.name} --help'.\n`,
      );
      return EXIT.usage;
    }
    io.err(
      `heartbeat ${command.name}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return EXIT.failure;
  }
}

function showHelp(topic: string | undefined, io: CliIO): number {
  if (topic !== undefined) {
    const command = COMMANDS.find((c) => c.name === topic);
    if (!command) {
      io.err(`heartbeat help: no command "${topic}"\n`);
      return EXIT.usage;
    }
    io.out(command.help);
    return EXIT.ok;
  }
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  io.out(
    [
      'Usage: heartbeat <command> [options]',
      '',
      'Two-node high-availability cluster manager, configured like Linux-HA heartbeat.',
      '',
      'Commands:',
      ...lines,
      '',
      'Options for every command:',
      '  -d, --dir DIR   configuration directory (default: $HA_DIR or /etc/ha.d)',
      '  -h, --help      help for the command',
      '',
      'Global options:',
      '  -V, --version   print the version',
      '',
      "Run 'heartbeat <command> --help' for a command's options.",
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}
