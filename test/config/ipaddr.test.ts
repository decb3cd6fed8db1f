// IPv4 helpers and the IPaddr argument ip[/cidr[/nic[/broadcast]]] used by haresources.
import { describe, expect, it } from 'vitest';
import { parseIpaddrArgument } from '../../src/config/ipaddr-argument.js';
import { isMulticast, parseIpv4 } from '../../src/config/ipv4.js';

describe('parseIpv4', () => {
  it.each([
    ['0.0.0.0', 0],
    ['192.0.2.10', 0xc000020a],
    ['255.255.255.255', 0xffffffff],
    ['10.1.2.3', 0x0a010203],
  ])('reads %s', (text, value) => {
    expect(parseIpv4(text)).toBe(value);
  });

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '1.2.3.256',
    '1.2.3.-4',
    ' 1.2.3.4',
    '1.2.3.4 ',
    '1..3.4',
    'a.b.c.d',
    '1.2.3.4/24',
    '1234.1.1.1',
    'host.example',
  ])('rejects %j', (text) => {
    expect(parseIpv4(text)).toBeUndefined();
  });

  it('knows the multicast range 224.0.0.0/4', () => {
    const multicast = (text: string): boolean => isMulticast(parseIpv4(text) ?? 0);
    expect(multicast('224.0.0.0')).toBe(true);
    expect(multicast('239.255.255.255')).toBe(true);
    expect(multicast('225.0.0.1')).toBe(true);
    expect(multicast('223.255.255.255')).toBe(false);
    expect(multicast('240.0.0.0')).toBe(false);
    expect(multicast('10.0.0.1')).toBe(false);
  });
});

describe('parseIpaddrArgument', () => {
  it.each([
    ['192.0.2.10', { address: '192.0.2.10' }],
    ['192.0.2.10/24', { address: '192.0.2.10', prefix: 24 }],
    ['192.0.2.10/1', { address: '192.0.2.10', prefix: 1 }],
    ['192.0.2.10/32', { address: '192.0.2.10', prefix: 32 }],
    ['192.0.2.10/24/eth0', { address: '192.0.2.10', prefix: 24, nic: 'eth0' }],
    ['192.0.2.10/24/eth0:1', { address: '192.0.2.10', prefix: 24, nic: 'eth0:1' }],
    ['192.0.2.10/24/192.0.2.255', { address: '192.0.2.10', prefix: 24, broadcast: '192.0.2.255' }],
    [
      '135.9.8.7/24/eth0/135.9.8.210',
      { address: '135.9.8.7', prefix: 24, nic: 'eth0', broadcast: '135.9.8.210' },
    ],
  ])('reads %s', (text, expected) => {
    expect(parseIpaddrArgument(text)).toEqual(expected);
  });

  it.each([
    ['', 'not an IPv4 address'],
    ['eth0', 'not an IPv4 address'],
    ['192.0.2', 'not an IPv4 address'],
    ['192.0.2.300', 'not an IPv4 address'],
    ['192.0.2.10.5', 'not an IPv4 address'],
    ['0.0.0.0', 'cannot be a service address'],
    ['255.255.255.255', 'cannot be a service address'],
    ['127.0.0.2', 'cannot be a service address'],
    ['224.0.0.5', 'cannot be a service address'],
    ['192.0.2.10/0', 'netmask'],
    ['192.0.2.10/33', 'netmask'],
    ['192.0.2.10/', 'netmask'],
    ['192.0.2.10/x', 'netmask'],
    ['192.0.2.10/-1', 'netmask'],
    ['192.0.2.10/024', 'netmask'],
    ['192.0.2.10/255.255.255.0', 'netmask'],
    ['192.0.2.10/24/192.0.2.256', 'broadcast'],
    ['192.0.2.10/24/192.0.2', 'broadcast'],
    ['192.0.2.10/24/0eth', 'broadcast'],
    ['192.0.2.10/24/eth0/192.0.2.999', 'broadcast'],
    ['192.0.2.10/24/eth0/eth1', 'interface'],
    ['192.0.2.10/24/192.0.2.255/eth0', 'interface'],
    ['192.0.2.10/24/eth0/192.0.2.255/x', 'too many'],
  ])('rejects %j (%s)', (text, fragment) => {
    const result = parseIpaddrArgument(text);
    expect(result).toHaveProperty('error');
    expect('error' in result ? result.error : '').toContain(fragment);
  });
});
