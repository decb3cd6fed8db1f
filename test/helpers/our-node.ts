// Writes one of our nodes' configuration directories and starts that node in a lab namespace.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lab, Watched } from './netns.js';

/** The built command; tests and benchmarks run it as a real process. */
export const CLI = new URL('../../dist/cli.js', import.meta.url).pathname.replace(
  /\/dist-bench\/dist\/cli\.js$/,
  '/dist/cli.js',
);

export interface NodeDirOptions {
  /** ha.cf lines; a logfile inside the directory is added. */
  readonly hacf: readonly string[];
  readonly authkeys?: string;
  /** The name the node runs as (nodeinfo); defaults to the directory's name. */
  readonly nodeName?: string;
}

export async function writeNodeDir(
  root: string,
  name: string,
  options: NodeDirOptions,
): Promise<string> {
  const dir = join(root, name);
  await mkdir(join(dir, 'state'), { recursive: true });
  await writeFile(
    join(dir, 'ha.cf'),
    [...options.hacf, `logfile ${join(dir, 'ha-log')}`, ''].join('\n'),
  );
  await writeFile(
    join(dir, 'authkeys'),
    options.authkeys ?? 'auth 1\n1 sha1 lab-secret-of-20-chars\n',
  );
  await chmod(join(dir, 'authkeys'), 0o600);
  await writeFile(join(dir, 'haresources'), '');
  await writeFile(join(dir, 'nodeinfo'), `${options.nodeName ?? name}\n`);
  return dir;
}

/** Where the node's control socket and pid file go: its own, as nodes share one filesystem. */
export const runDirOf = (dir: string): string => join(dir, 'run');

/** `heartbeat start -f` from `dir`, inside the namespace of lab node `labNode`. */
export function startOurNode(lab: Lab, labNode: string, dir: string): Watched {
  // Run as an operator runs it, through its #! line (and the node flags there).
  return lab.spawnWatched(labNode, CLI, [
    'start',
    '-f',
    '-d',
    dir,
    '--state-dir',
    join(dir, 'state'),
    '--run-dir',
    runDirOf(dir),
  ]);
}
