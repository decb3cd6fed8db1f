// The shape every subcommand of `heartbeat` has.
import type { CliIO } from './io.js';

export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Full `--help` text, ending in a newline. */
  readonly help: string;
  run(args: readonly string[], io: CliIO): Promise<number>;
}
