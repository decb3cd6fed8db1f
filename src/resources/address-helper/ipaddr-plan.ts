// What IPaddr's start, stop and status come to, given the addresses the helper listed: the same
// choices as resource.d/IPaddr (the reference), as a pure function of the listing.
import type { IpaddrArgument } from '../../config/ipaddr-argument.js';
import { parseIpv4 } from '../../config/ipv4.js';

export interface ListedAddress {
  readonly dev: string;
  /** The address's label: the device's name unless it has one of its own (eth0:0). */
  readonly label: string;
  readonly address: string;
  readonly prefix: number;
}

export type StartPlan =
  /** Already on an interface: announce it again, nothing to add. */
  | { readonly kind: 'present'; readonly found: ListedAddress }
  | {
      readonly kind: 'add';
      readonly dev: string;
      readonly prefix: number;
      /** Undefined for /31 and /32, which have none (as `ip ... brd +`). */
      readonly broadcast?: string;
      readonly label?: string;
    }
  /** LSB 6, not configured: IPaddr's own words. */
  | { readonly kind: 'unconfigured'; readonly reason: string };

/** Linux allows 15 characters in a label. */
const MAX_LABEL = 15;

/** The helper's `list` answer: DEV,LABEL,ADDRESS,PREFIX entries separated by spaces. */
export function parseListing(text: string): ListedAddress[] | undefined {
  const listed: ListedAddress[] = [];
  for (const entry of text.split(' ').filter(Boolean)) {
    const [dev = '', label = '', address = '', prefix = ''] = entry.split(',');
    if (!dev || !label || parseIpv4(address) === undefined || !/^\d+$/.test(prefix)) {
      return undefined;
    }
    listed.push({ dev, label, address, prefix: Number(prefix) });
  }
  return listed;
}

export function findAddress(
  address: string,
  listed: readonly ListedAddress[],
): ListedAddress | undefined {
  return listed.find((entry) => entry.address === address);
}

export function planStart(argument: IpaddrArgument, listed: readonly ListedAddress[]): StartPlan {
  const { address } = argument;
  const found = findAddress(address, listed);
  if (found) return { kind: 'present', found };
  const named = argument.nic?.split(':')[0];
  const subnet = longestSubnet(address, listed, named);
  const dev = named ?? subnet?.dev;
  // The argument names an interface only after a prefix (ip/cidr/nic).
  const prefix = argument.prefix ?? subnet?.prefix;
  if (dev === undefined || prefix === undefined) {
    const reason = `no interface has a subnet that contains ${address}: give it as ${address}/cidr/nic`;
    return { kind: 'unconfigured', reason };
  }
  const label = argument.nic?.includes(':') ? argument.nic : freeLabel(dev, listed);
  const broadcast = argument.broadcast ?? broadcastOf(address, prefix);
  return {
    kind: 'add',
    dev,
    prefix,
    ...(broadcast === undefined ? {} : { broadcast }),
    ...(label === undefined ? {} : { label }),
  };
}

/** The listed address with the longest prefix whose subnet holds `address` (on `dev` if given). */
function longestSubnet(
  address: string,
  listed: readonly ListedAddress[],
  dev: string | undefined,
): ListedAddress | undefined {
  const value = parseIpv4(address) ?? 0;
  let best: ListedAddress | undefined;
  for (const entry of listed) {
    if (dev !== undefined && entry.dev !== dev) continue;
    if (entry.prefix === 0 || entry.prefix <= (best?.prefix ?? 0)) continue;
    const mask = maskOf(entry.prefix);
    if (((parseIpv4(entry.address) ?? 0) & mask) === (value & mask)) best = entry;
  }
  return best;
}

/** heartbeat's labels, DEV:N with the first N free; none when it would not fit. */
function freeLabel(dev: string, listed: readonly ListedAddress[]): string | undefined {
  const taken = new Set(listed.map((entry) => entry.label));
  let n = 0;
  while (taken.has(`${dev}:${n}`)) n++;
  const label = `${dev}:${n}`;
  return label.length <= MAX_LABEL ? label : undefined;
}

function broadcastOf(address: string, prefix: number): string | undefined {
  if (prefix >= 31) return undefined;
  const value = ((parseIpv4(address) ?? 0) | ~maskOf(prefix)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 0xff).join('.');
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}
