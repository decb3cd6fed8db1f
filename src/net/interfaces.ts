// What this machine knows of a network interface: present, up, broadcast-capable, IPv4 addresses.
import { readFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { broadcastOf, formatIpv4, parseIpv4 } from '../config/ipv4.js';

export interface Ipv4Address {
  readonly address: string;
  readonly prefix: number;
  readonly broadcast: string;
}

export interface InterfaceInfo {
  readonly name: string;
  readonly up: boolean;
  readonly canBroadcast: boolean;
  readonly ipv4: Ipv4Address[];
}

const IFF_UP = 0x1;
const IFF_BROADCAST = 0x2;

/** Reads /sys/class/net/NAME; undefined when there is no such interface. */
export async function inspectInterface(
  name: string,
  sysfs = '/sys/class/net',
): Promise<InterfaceInfo | undefined> {
  if (name.includes('/') || name === '.' || name === '..') return undefined;
  let flags: number;
  try {
    flags = Number.parseInt((await readFile(`${sysfs}/${name}/flags`, 'utf8')).trim(), 16);
  } catch {
    return undefined;
  }
  const ipv4 = (networkInterfaces()[name] ?? [])
    .filter((a) => a.family === 'IPv4')
    .map((a) => {
      const prefix = Number(a.cidr?.split('/')[1] ?? 32);
      const address = parseIpv4(a.address) ?? 0;
      return { address: a.address, prefix, broadcast: formatIpv4(broadcastOf(address, prefix)) };
    });
  return { name, up: (flags & IFF_UP) !== 0, canBroadcast: (flags & IFF_BROADCAST) !== 0, ipv4 };
}

/** Every IPv4 address configured on this machine. */
export function localIpv4Addresses(): Set<string> {
  const all = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  return new Set(all.filter((a) => a.family === 'IPv4').map((a) => a.address));
}
