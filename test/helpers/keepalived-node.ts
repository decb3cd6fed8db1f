// Runs keepalived 2.2.7 (Debian package) as a lab node: one VRRPv3 instance holding the VIP, the
// home node with the higher priority and preempt (keepalived's default), its own pid files.
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lab, Watched } from './netns.js';

const DAEMON = '/usr/sbin/keepalived';

export interface KeepalivedNode {
  readonly name: string;
  readonly dir: string;
}

export interface KeepalivedOptions {
  /** VRRP advertisement interval in seconds (VRRPv3 takes hundredths). */
  readonly advertSec: number;
  /** The node that should hold the VIP: state MASTER and the higher priority. */
  readonly home: string;
  /** The address with its prefix, as in `192.0.2.100/24`. */
  readonly vip: string;
}

export async function prepareKeepalivedNode(
  root: string,
  name: string,
  options: KeepalivedOptions,
): Promise<KeepalivedNode> {
  if (!existsSync(DAEMON)) {
    throw new Error(
      `${DAEMON} is missing: install the Debian "keepalived" package (scripts/install-dev.sh)`,
    );
  }
  const dir = join(root, `keepalived-${name}`);
  await mkdir(dir, { recursive: true });
  const home = name === options.home;
  const config = [
    'global_defs {',
    `  router_id ${name}`,
    '  vrrp_version 3',
    '}',
    'vrrp_instance VIP {',
    `  state ${home ? 'MASTER' : 'BACKUP'}`,
    '  interface eth0',
    '  virtual_router_id 51',
    `  priority ${home ? 150 : 100}`,
    `  advert_int ${options.advertSec}`,
    '  virtual_ipaddress {',
    `    ${options.vip} dev eth0`,
    '  }',
    '}',
    '',
  ];
  await writeFile(join(dir, 'keepalived.conf'), config.join('\n'));
  return { name, dir };
}

/** keepalived's pid file options and the file each gets in the node's directory. */
const PID_FILES: readonly (readonly [string, string])[] = [
  ['--pid', 'keepalived.pid'],
  ['--vrrp_pid', 'vrrp.pid'],
  ['--checkers_pid', 'checkers.pid'],
  ['--bfd_pid', 'bfd.pid'],
];

/** What a reboot clears (its /run): keepalived takes a pid file left by a crash for itself running. */
export async function removeKeepalivedPidFiles(node: KeepalivedNode): Promise<void> {
  await Promise.all(PID_FILES.map(([, file]) => rm(join(node.dir, file), { force: true })));
}

/** keepalived in the foreground, VRRP only, logging to its stdout; SIGTERM is its graceful stop. */
export function startKeepalivedNode(lab: Lab, node: KeepalivedNode): Watched {
  return lab.spawnWatched(node.name, DAEMON, [
    '--dont-fork',
    '--log-console',
    '--log-detail',
    '--no-syslog',
    '--vrrp',
    '--use-file',
    join(node.dir, 'keepalived.conf'),
    // Every pid file its own: keepalived takes one it finds alive as itself already running.
    ...PID_FILES.flatMap(([option, file]) => [option, join(node.dir, file)]),
  ]);
}
