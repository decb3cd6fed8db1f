// IPaddr's choices made from the helper's address list: the listing's format, the subnet, prefix
// and label picked, and what cannot be configured.
import { describe, expect, it } from 'vitest';
import { parseIpaddrArgument, type IpaddrArgument } from '../../src/config/ipaddr-argument.js';
import { parseListing, planStart } from '../../src/resources/address-helper/ipaddr-plan.js';

const argument = (text: string): IpaddrArgument => {
  const parsed = parseIpaddrArgument(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
};

const LISTED = parseListing(
  'lo,lo,127.0.0.1,8 eth0,eth0,192.0.2.10,24 eth0,eth0:0,192.0.2.50,24 eth1,eth1,198.51.100.7,25 eth1,eth1,198.51.100.9,16',
);

describe('parseListing', () => {
  it('reads DEV,LABEL,ADDRESS,PREFIX entries', () => {
    expect(LISTED?.[2]).toEqual({
      dev: 'eth0',
      label: 'eth0:0',
      address: '192.0.2.50',
      prefix: 24,
    });
    expect(LISTED).toHaveLength(5);
    expect(parseListing('')).toEqual([]);
  });

  it('refuses an entry it cannot read, so the script runs instead', () => {
    expect(parseListing('eth0,eth0,192.0.2.300,24')).toBeUndefined();
    expect(parseListing('eth0,eth0,192.0.2.3')).toBeUndefined();
  });
});

describe('planStart', () => {
  const plan = (text: string) => planStart(argument(text), LISTED ?? []);

  it('announces an address already on an interface', () => {
    expect(plan('192.0.2.50')).toEqual({ kind: 'present', found: LISTED?.[2] });
  });

  it('takes the interface and prefix of the longest subnet that holds the address', () => {
    expect(plan('198.51.100.20')).toEqual({
      kind: 'add',
      dev: 'eth1',
      prefix: 25,
      broadcast: '198.51.100.127',
      label: 'eth1:0',
    });
    expect(plan('192.0.2.100')).toMatchObject({ dev: 'eth0', prefix: 24, label: 'eth0:1' });
  });

  it('keeps a label, broadcast or prefix the argument gives; /31 and /32 have no broadcast', () => {
    expect(plan('192.0.2.100/24/eth0:7')).toMatchObject({ dev: 'eth0', label: 'eth0:7' });
    expect(plan('192.0.2.100/24/eth0/192.0.2.127')).toMatchObject({ broadcast: '192.0.2.127' });
    expect(plan('192.0.2.100/32/eth0')).not.toHaveProperty('broadcast');
    expect(plan('192.0.2.100/31/eth0')).not.toHaveProperty('broadcast');
  });

  it('gives no label where eth0:N would pass the 15 characters Linux allows', () => {
    const listed = parseListing('longinterface12,longinterface12,203.0.113.1,24') ?? [];
    expect(planStart(argument('203.0.113.9'), listed)).not.toHaveProperty('label');
  });

  it('cannot configure an address no subnet holds, in the script words', () => {
    expect(plan('203.0.113.9')).toEqual({
      kind: 'unconfigured',
      reason:
        'no interface has a subnet that contains 203.0.113.9: give it as 203.0.113.9/cidr/nic',
    });
    expect(planStart(argument('203.0.113.9/24'), LISTED ?? [])).toMatchObject({
      kind: 'unconfigured',
    });
  });
});
