// Runs one operation of a cluster-glue external STONITH plugin with the environment cluster-glue gives it.
import { runBounded, type CommandOutcome } from '../process/bounded-command.js';

/** Where cluster-glue keeps ha_log.sh, which plugins call by bare name. */
const GLUE_SHARED_DIR = '/usr/share/cluster-glue';

/** What it takes to run a plugin: the executable, its `external/NAME` type and its parameters. */
export interface PluginRef {
  readonly type: string;
  readonly plugin: string;
  readonly params: Readonly<Record<string, string>>;
}

export type PluginResult =
  { readonly ok: true; readonly stdout: string } | { readonly ok: false; readonly reason: string };

export interface PluginRunOptions {
  readonly timeoutMs: number;
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

/** `args` are the operation and its operands, e.g. `['reset', 'beta']`; only exit code 0 succeeds. */
export async function runPlugin(
  ref: PluginRef,
  args: readonly string[],
  options: PluginRunOptions,
): Promise<PluginResult> {
  let lastLine: string | undefined;
  const outcome = await runBounded({
    file: ref.plugin,
    args,
    timeoutMs: options.timeoutMs,
    env: pluginEnv(ref),
    onLine: (line, stream) => {
      if (line.trim() !== '') lastLine = line.trim();
      options.onLine?.(line, stream);
    },
  });
  if (outcome.kind === 'exited' && outcome.code === 0) return { ok: true, stdout: outcome.stdout };
  const last = lastLine === undefined ? '' : `; last output: ${lastLine}`;
  return { ok: false, reason: describeFailure(outcome, options.timeoutMs) + last };
}

/** Parameters as variables, as cluster-glue sets them, plus its log tag and ha_log.sh's folder. */
function pluginEnv(ref: PluginRef): Record<string, string> {
  const path = process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin';
  return {
    ...ref.params,
    HA_LOGTAG: ref.type,
    PATH: path.startsWith(GLUE_SHARED_DIR) ? path : `${GLUE_SHARED_DIR}:${path}`,
  };
}

function describeFailure(outcome: CommandOutcome, timeoutMs: number): string {
  switch (outcome.kind) {
    case 'exited':
      return `exit code ${outcome.code}`;
    case 'signalled':
      return `killed by ${outcome.signal}`;
    case 'timed-out':
      return `timed out after ${timeoutMs} ms`;
    case 'cancelled':
      return 'cancelled';
    case 'failed-to-start':
      return `could not start: ${outcome.message}`;
  }
}
