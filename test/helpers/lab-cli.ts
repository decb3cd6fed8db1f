// Runs the built `heartbeat` command inside a lab node's namespace, as an operator would there.
import { execa } from 'execa';
import { join } from 'node:path';
import type { FailoverLab } from './failover-lab.js';
import { CLI, runDirOf } from './our-node.js';

export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

const CLI_TIMEOUT_MS = 60_000;

/** `heartbeat ARGS...` on `node`, with HA_RUN_DIR pointing at that node's own runtime directory. */
export async function labCli(
  lab: FailoverLab,
  node: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<CliResult> {
  const result = await execa(
    'ip',
    ['netns', 'exec', lab.lab.node(node).ns, process.execPath, CLI, ...args],
    {
      reject: false,
      timeout: CLI_TIMEOUT_MS,
      env: { HA_RUN_DIR: runDirOf(lab.dir(node)), ...env },
    },
  );
  return { code: result.exitCode ?? -1, out: result.stdout, err: result.stderr };
}

/** `heartbeat start` (in the background) with the node's configuration and state directories. */
export function startInLab(lab: FailoverLab, node: string): Promise<CliResult> {
  const dir = lab.dir(node);
  return labCli(lab, node, ['start', '-d', dir, '--state-dir', join(dir, 'state')]);
}
