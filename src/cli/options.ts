// Parses a subcommand's options with node:util, turning every mistake into a UsageError.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_RUN_DIR } from '../control/client.js';
import { DEFAULT_STATE_DIR } from '../daemon/node-identity.js';
import { UsageError } from './exit-codes.js';
import type { CliIO } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export const DIR_OPTION = { dir: { type: 'string', short: 'd' } } as const satisfies Options;

export function parseOptions<T extends Options>(
  args: readonly string[],
  options: T,
  maxPositionals = 0,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true }>> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument "${parsed.positionals[maxPositionals] ?? ''}"`);
  }
  return parsed;
}

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // node's messages end with advice about "--" that does not apply here.
  return message.split('. To specify')[0]?.replace(/\.$/, '') ?? message;
}

/** `-d DIR`, else $HA_DIR, else /etc/ha.d. */
export function configDir(dir: string | undefined, io: CliIO): string {
  if (dir === '') throw new UsageError('-d needs a directory');
  return dir ?? (io.env.HA_DIR || '/etc/ha.d');
}

export const RUN_DIR_OPTION = { 'run-dir': { type: 'string' } } as const satisfies Options;

/** `--run-dir DIR`, else $HA_RUN_DIR, else /run/heartbeat: where the control socket lives. */
export function runDir(dir: string | undefined, io: CliIO): string {
  if (dir === '') throw new UsageError('--run-dir needs a directory');
  return dir ?? (io.env.HA_RUN_DIR || DEFAULT_RUN_DIR);
}

export const STATE_DIR_OPTION = { 'state-dir': { type: 'string' } } as const satisfies Options;

/** `--state-dir DIR`, else $HA_STATE_DIR, else /var/lib/heartbeat: UUID, generation, rsctmp. */
export function stateDir(dir: string | undefined, io: CliIO): string {
  if (dir === '') throw new UsageError('--state-dir needs a directory');
  return dir ?? (io.env.HA_STATE_DIR || DEFAULT_STATE_DIR);
}
