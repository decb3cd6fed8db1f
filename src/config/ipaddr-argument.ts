// The IPaddr argument `ip[/cidr[/nic[/broadcast]]]`, where a field starting with a digit is the broadcast.
import { isMulticast, parseIpv4 } from './ipv4.js';

export interface IpaddrArgument {
  readonly address: string;
  readonly prefix?: number;
  readonly nic?: string;
  readonly broadcast?: string;
}

const INTERFACE_NAME = /^[A-Za-z][A-Za-z0-9_.:-]{0,14}$/;

export function parseIpaddrArgument(text: string): IpaddrArgument | { error: string } {
  const [address = '', prefixText, ...rest] = text.split('/');
  const value = parseIpv4(address);
  if (value === undefined) return { error: `"${address}" is not an IPv4 address` };
  if (value === 0 || value === 0xffffffff || isMulticast(value) || address.startsWith('127.')) {
    return { error: `${address} cannot be a service address` };
  }
  if (prefixText === undefined) return { address };
  const prefix = Number(prefixText);
  if (!/^\d{1,2}$/.test(prefixText) || prefix < 1 || prefix > 32) {
    return { error: `netmask "${prefixText}" must be a prefix length from 1 to 32` };
  }
  if (rest.length > 2) return { error: `too many "/" fields in "${text}"` };
  let nic: string | undefined;
  let broadcast: string | undefined;
  for (const field of rest) {
    if (/^\d/.test(field)) {
      if (broadcast !== undefined || parseIpv4(field) === undefined) {
        return { error: `broadcast "${field}" is not an IPv4 address` };
      }
      broadcast = field;
    } else if (nic === undefined && broadcast === undefined && INTERFACE_NAME.test(field)) {
      nic = field;
    } else {
      return { error: `"${field}" is not an interface name` };
    }
  }
  return {
    address,
    prefix,
    ...(nic === undefined ? {} : { nic }),
    ...(broadcast === undefined ? {} : { broadcast }),
  };
}
