// The demo cluster's configuration, written like ha.d.example: a commented ha.cf, a sha1 authkeys
// of mode 600 with a fresh random key, and one haresources group (the VIP, then the UDP service).
import { randomBytes } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ECHO_PORT, VIP } from '../test/helpers/failover-lab.js';

/** Short enough for a quick demo, long enough to be a real cluster's setting (in ms). */
export const TIMING = { keepalive: 200, warntime: 500, deadtime: 1000, initdead: 10_000 } as const;

export const SERVICE = 'udp-echo';
export const HARESOURCES = `alpha IPaddr::${VIP}/24/eth0 ${SERVICE}`;

export function hacf(logfile: string, addresses: Readonly<Record<string, string>>): string {
  const layout = Object.entries(addresses).map(([name, address]) => `${name} ${address}`);
  return `# ha.cf for the demo pair "alpha" and "beta", written by \`npm run demo\`.
#
# Network layout (network namespaces on one bridge, documentation addresses):
#   eth0   ${layout.join(', ')}
# The cluster owns the virtual address ${VIP} (see haresources); the client
# asks the UDP service on port ${ECHO_PORT} behind it who is answering.
#
# Both nodes have the same files, but for logfile: the two "machines" share
# one file system here, so each node writes its own log.

# Logging: a file of its own (and stderr, as the node runs in the foreground).
logfile         ${logfile}

# Timing. A bare number is seconds; "ms" means milliseconds.
# A heartbeat every ${TIMING.keepalive} ms; "Late heartbeat" warning after ${TIMING.warntime} ms of silence;
# the peer is declared dead (then its resources taken over) after ${TIMING.deadtime / 1000} s.
# Right after start, wait up to ${TIMING.initdead / 1000} s for the peer to appear (a node
# that sees its peer goes on at once).
keepalive       ${TIMING.keepalive}ms
warntime        ${TIMING.warntime}ms
deadtime        ${TIMING.deadtime / 1000}
initdead        ${TIMING.initdead / 1000}

# UDP port for bcast (694 is heartbeat's registered port).
udpport         694

# Heartbeat medium: broadcast on the lab's only segment.
bcast           eth0

# When alpha comes back after a failure, move its group back to it.
auto_failback   on

# No fencing here: the lab's "crash" really kills alpha. A real pair needs
# STONITH (see ha.d.example/ha.cf), and the node warns at start without it.

# The cluster members (nodeinfo names each node, as both share one hostname).
node            alpha
node            beta

# This is a haresources-mode cluster (no Pacemaker).
crm             off
`;
}

export const haresources = `# haresources for the demo pair: one resource group, at home on alpha.
#
# Resources start left to right and stop right to left:
#   1. the virtual address, on eth0, announced by gratuitous ARP;
#   2. ${SERVICE}, an LSB script in resource.d: a UDP service answering
#      with the name of the node it runs on.
${HARESOURCES}
`;

export function authkeys(key: string): string {
  return `# authkeys: the shared secret that signs every heartbeat packet (mode 600).
# A fresh random key for each demo run, the same on both nodes.
auth 1
1 sha1 ${key}
`;
}

export const randomKey = (): string => randomBytes(32).toString('hex');

/** Writes ha.cf, authkeys and haresources into a node's directory (nodeinfo is already there). */
export async function writeNodeConfig(
  dir: string,
  key: string,
  addresses: Readonly<Record<string, string>>,
): Promise<void> {
  await writeFile(join(dir, 'ha.cf'), hacf(join(dir, 'ha-log'), addresses));
  await writeFile(join(dir, 'haresources'), haresources);
  await writeFile(join(dir, 'authkeys'), authkeys(key), { mode: 0o600 });
  // writeFile keeps the mode of a file that already exists.
  await chmod(join(dir, 'authkeys'), 0o600);
}
