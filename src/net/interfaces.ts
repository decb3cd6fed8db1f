// What this machine knows of a network interface, from `ip -j addr`: up, broadcast-capable, IPv4
// addresses with the broadcast address actually configured (the kernel does not derive one).
import { execa } from 'execa';
import { networkInterfaces } from 'node:os';

export interface Ipv4Address {
  readonly address: string;
  readonly prefix: number;
  /** Absent when the address was added without one (`ip addr add` without `brd +`). */
  readonly broadcast?: string;
}

export interface InterfaceInfo {
  readonly name: string;
  readonly up: boolean;
  readonly canBroadcast: boolean;
  readonly ipv4: Ipv4Address[];
}

interface IpAddrJson {
  ifname?: string;
  flags?: string[];
  addr_info?: { family?: string; local?: string; prefixlen?: number; broadcast?: string }[];
}

/** Undefined when there is no such interface; throws when `ip` itself cannot run. */
export async function inspectInterface(name: string): Promise<InterfaceInfo | undefined> {
  if (!/^[A-Za-z0-9_.:@-]{1,15}$/.test(name)) return undefined;
  let result;
  try {
    result = await execa('ip', ['-j', '-4', 'addr', 'show', 'dev', name], {
      reject: false,
      timeout: 5000,
    });
  } catch (error) {
    throw new Error('cannot run `ip`: install the iproute2 package', { cause: error });
  }
  if (result.exitCode !== 0) {
    if ((result.code ?? '') === 'ENOENT')
      throw new Error('`ip` not found: install the iproute2 package');
    return undefined;
  }
  const [entry] = JSON.parse(result.stdout || '[]') as IpAddrJson[];
  if (!entry) return undefined;
  const flags = entry.flags ?? [];
  const ipv4 = (entry.addr_info ?? [])
    .filter((a) => a.family === 'inet' && a.local !== undefined)
    .map((a) => ({
      address: a.local ?? '',
      prefix: a.prefixlen ?? 32,
      ...(a.broadcast === undefined ? {} : { broadcast: a.broadcast }),
    }));
  return { name, up: flags.includes('UP'), canBroadcast: flags.includes('BROADCAST'), ipv4 };
}

/** Every IPv4 address configured on this machine. */
export function localIpv4Addresses(): Set<string> {
  const all = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  return new Set(all.filter((a) => a.family === 'IPv4').map((a) => a.address));
}
