// Runs a pair of our nodes (alpha, beta) in a lab with a realistic idle config: one bcast medium and
// an empty haresources; finds a process's pid inside its namespace and counts its log events.
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TimedLine } from '../../test/helpers/line-watcher.js';
import type { Lab } from '../../test/helpers/netns.js';
import { CLI, startOurNode, writeNodeDir } from '../../test/helpers/our-node.js';
import { waitFor } from '../../test/helpers/wait-for.js';

export interface Timing {
  readonly keepaliveMs: number;
  readonly deadtimeMs: number;
  readonly warntimeMs: number;
}

export interface Watched {
  readonly pid: number;
  /** Output lines, stamped with monoMs() as written. */
  readonly lines: readonly TimedLine[];
}

const PEER_UP_TIMEOUT_MS = 30_000;

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** The pid of the process in a lab node's namespace whose command line contains `marker`. */
export async function pidIn(lab: Lab, node: string, marker: string): Promise<number> {
  let found: number | undefined;
  await waitFor(
    async () => {
      const { stdout } = await execa('ip', ['netns', 'pids', lab.node(node).ns], { reject: false });
      const pids = stdout.split('\n').filter(Boolean).map(Number);
      // `ip netns exec` execs the command in place; skip the brief moment before it does.
      found = pids.find((pid) => cmdline(pid).includes(marker) && !cmdline(pid).startsWith('ip '));
      return found !== undefined;
    },
    `a process running ${marker} in ${node}`,
    10_000,
  );
  if (found === undefined) throw new Error(`no process running ${marker} in ${node}`);
  return found;
}

/** Starts a process in a lab node and returns its pid and output lines. */
export async function startWatched(
  lab: Lab,
  node: string,
  args: readonly string[],
  marker: string,
): Promise<Watched> {
  const { lines } = lab.spawnWatched(node, process.execPath, args).output;
  return { pid: await pidIn(lab, node, marker), lines };
}

/**
 * Starts alpha and beta with the same timing (and `extraHacf`, e.g. ping nodes); resolves once
 * alpha sees beta active.
 */
export async function startPair(
  lab: Lab,
  root: string,
  timing: Timing,
  extraHacf: readonly string[] = [],
): Promise<Watched> {
  const hacf = [
    `keepalive ${String(timing.keepaliveMs)}ms`,
    `deadtime ${String(timing.deadtimeMs)}ms`,
    `warntime ${String(timing.warntimeMs)}ms`,
    'bcast eth0',
    'auto_failback on',
    'node alpha beta',
    ...extraHacf,
  ];
  const dirs = [];
  for (const name of ['alpha', 'beta']) dirs.push(await writeNodeDir(root, name, { hacf }));
  const [alphaDir = '', betaDir = ''] = dirs;
  const { lines } = startOurNode(lab, 'alpha', alphaDir).output;
  startOurNode(lab, 'beta', betaDir);
  const peerUp = 'Status update for node beta: status active';
  await waitFor(
    () => lines.some((l) => l.text.includes(peerUp)),
    'alpha to see beta active',
    PEER_UP_TIMEOUT_MS,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\nalpha's output:\n${lines.map((l) => l.text).join('\n')}`);
  });
  return { pid: await pidIn(lab, 'alpha', `${CLI} start -f -d ${join(root, 'alpha')}`), lines };
}

/** Peer deaths and late-heartbeat warnings logged since `since`: the pair was not idle-steady. */
export function events(
  watched: Watched,
  since: number,
): { peer_deaths: number; late_heartbeats: number } {
  const after = watched.lines.filter((l) => l.at >= since);
  return {
    peer_deaths: after.filter((l) => l.text.includes('node beta: is dead')).length,
    late_heartbeats: after.filter((l) => l.text.includes('Late heartbeat')).length,
  };
}
