// Runs a real Linux-HA heartbeat 3.0.6 node (Debian package) inside a lab namespace, with its own
// hostname, /etc/ha.d, /var/lib/heartbeat and /run, so it never touches this machine's files.
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { chmod, chown, copyFile, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lab, Watched } from './netns.js';

const DAEMON = '/usr/libexec/heartbeat/heartbeat';

export interface RealNode {
  readonly name: string;
  readonly root: string;
  readonly logFile: string;
}

export interface RealNodeFiles {
  readonly hacf: string;
  readonly authkeys: string;
  /** Empty unless given: the node then runs no resources. */
  readonly haresources?: string;
  /** Executables for its /etc/ha.d/resource.d: agent name -> file to copy. */
  readonly agents?: Readonly<Record<string, string>>;
}

export async function prepareRealNode(
  root: string,
  name: string,
  files: RealNodeFiles,
): Promise<RealNode> {
  if (!existsSync(DAEMON)) {
    throw new Error(
      `${DAEMON} is missing: install the Debian "heartbeat" package (scripts/install-dev.sh)`,
    );
  }
  const dir = join(root, `real-${name}`);
  const logFile = join(dir, 'ha-log');
  await mkdir(join(dir, 'ha.d'), { recursive: true });
  await cp('/etc/ha.d', join(dir, 'ha.d'), { recursive: true });
  await cp('/var/lib/heartbeat', join(dir, 'lib'), { recursive: true });
  const { uid, gid } = await hacluster();
  for (const sub of [
    'heartbeat/ccm',
    'heartbeat/crm',
    'heartbeat/dopd',
    'crm',
    'resource-agents',
  ]) {
    await mkdir(join(dir, 'run', sub), { recursive: true });
  }
  for (const sub of ['heartbeat', 'heartbeat/ccm', 'heartbeat/crm', 'heartbeat/dopd', 'crm']) {
    await chown(join(dir, 'run', sub), uid, gid);
  }
  await writeFile(join(dir, 'ha.d', 'ha.cf'), `${files.hacf}logfile ${logFile}\n`);
  // Clients run as hacluster (ipfail) log to the same file: they must reach it and write to it.
  await writeFile(logFile, '');
  await chown(logFile, uid, gid);
  await chmod(root, 0o711);
  await chmod(dir, 0o711);
  await writeFile(join(dir, 'ha.d', 'authkeys'), files.authkeys);
  await chmod(join(dir, 'ha.d', 'authkeys'), 0o600);
  await writeFile(join(dir, 'ha.d', 'haresources'), files.haresources ?? '');
  for (const [agent, source] of Object.entries(files.agents ?? {})) {
    await copyFile(source, join(dir, 'ha.d', 'resource.d', agent));
    await chmod(join(dir, 'ha.d', 'resource.d', agent), 0o755);
  }
  return { name, root: dir, logFile };
}

/** The shell prefix that gives a command the real node's hostname and private directories. */
function inNodeView(node: RealNode, command: string): string[] {
  const binds = [
    `mount --bind ${node.root}/ha.d /etc/ha.d`,
    `mount --bind ${node.root}/lib /var/lib/heartbeat`,
    `mount --bind ${node.root}/run /run`,
  ].join(' && ');
  return [
    'unshare',
    '--uts',
    '--mount',
    '--propagation',
    'private',
    'sh',
    '-c',
    `hostname ${node.name} && ${binds} && exec ${command}`,
  ];
}

export function startRealNode(lab: Lab, node: RealNode): Watched {
  const [command = '', ...args] = inNodeView(node, `${DAEMON} -f`);
  return lab.spawnWatched(node.name, command, args);
}

/** A command run on the real node (hb_standby, hb_takeover), with a deadline. */
export async function runOnRealNode(
  lab: Lab,
  node: RealNode,
  command: string,
): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const [program = '', ...rest] = inNodeView(node, command);
  const result = await execa('ip', ['netns', 'exec', lab.node(node.name).ns, program, ...rest], {
    reject: false,
    timeout: 10_000,
  });
  return {
    stdout: result.stdout.trim(),
    stderr: result.stderr.trim(),
    exitCode: result.exitCode ?? -1,
  };
}

/** `cl_status ARGS` as run on the real node, with cl_status's own 5 s limit and ours. */
export async function clStatus(
  lab: Lab,
  node: RealNode,
  args: string[],
): Promise<{ stdout: string; exitCode: number }> {
  return runOnRealNode(lab, node, `cl_status ${args.join(' ')}`);
}

async function hacluster(): Promise<{ uid: number; gid: number }> {
  const uid = Number((await execa('id', ['-u', 'hacluster'])).stdout);
  const gid = Number((await execa('id', ['-g', 'hacluster'])).stdout);
  return { uid, gid };
}

/**
 * The pid of the node's heartbeat master, by its process title. Not always the process the lab
 * started: after a healed partition heartbeat 3.0.6 restarts itself and the new master forks off
 * (and its pid file still names the old one).
 */
export async function realDaemonPid(lab: Lab, node: RealNode): Promise<number> {
  const { stdout } = await execa('ip', ['netns', 'pids', lab.node(node.name).ns]);
  const parents = new Map<number, number>();
  for (const pid of stdout.split('\n').filter(Boolean).map(Number)) {
    const title = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (title.startsWith('heartbeat: master control process')) parents.set(pid, parent);
  }
  // Children it forks to run resource scripts carry the same title for a while.
  const master = [...parents].find(([, parent]) => !parents.has(parent));
  if (!master) throw new Error(`${node.name}: no heartbeat master control process is running`);
  return master[0];
}

/** What a reboot would clear; a master that ended as a zombie nobody reaps would block a start. */
export async function removeRealPidFile(node: RealNode): Promise<void> {
  await rm(join(node.root, 'run', 'heartbeat.pid'), { force: true });
}
