// The standby handshake with a heartbeat 3.0.6 peer, which reports only coarse rsc_hold and says
// "none" before it has released anything: groups move only on its `done`.
import { describe, expect, it } from 'vitest';
import { Membership } from '../../src/cluster/membership.js';
import { groupInfos } from '../../src/cluster/resources/groups.js';
import { NOT_MONITORED } from '../../src/cluster/resources/monitors.js';
import { Ownership } from '../../src/cluster/resources/ownership.js';
import type { Action, Instant } from '../../src/cluster/types.js';
import { getString, stringField, type Message } from '../../src/wire/message.js';
import { membershipConfig } from './membership-config.js';

const at = (mono: number): Instant => ({ mono, wallSeconds: mono / 1000, load: '0.00' });
const msg = (pairs: Record<string, string>): Message =>
  Object.entries(pairs).map(([name, value]) => stringField(name, value));

function node(holdingAlphaGroup: boolean) {
  const membership = new Membership(membershipConfig('beta'));
  const groups = [
    { home: 'alpha', name: 'web', resources: [{ text: 'web' }] },
    { home: 'beta', name: 'db', resources: [{ text: 'db' }] },
  ] as never;
  const ownership = new Ownership(
    {
      localNode: 'beta',
      peer: 'alpha',
      groups: groupInfos(groups, 'beta'),
      autoFailback: 'on',
      fencingConfigured: false,
      monitorSettings: () => NOT_MONITORED,
      runMonitor: () => false,
      abandonAcquire: () => undefined,
    },
    membership.emitter,
  );
  const flush = (): Action[] => membership.emitter.flush();
  const sent = (actions: Action[]): Record<string, string>[] =>
    actions.flatMap((a) =>
      a.type === 'send'
        ? [
            Object.fromEntries(
              ['t', 'rsc_hold', 'info', 'isstable'].map((k) => [k, getString(a.fields, k) ?? '']),
            ),
          ]
        : [],
    );
  const ops = (actions: Action[]): string[] =>
    actions.flatMap((a) => (a.type === 'group' ? [`${a.op} ${a.group}`] : []));
  ownership.start([holdingAlphaGroup ? 'running' : 'stopped', 'running']);
  ownership.onMembership({ kind: 'comm-up' }, at(0));
  ownership.onMembership({ kind: 'peer-alive', node: 'alpha', afterPartition: false }, at(0));
  flush();
  return { ownership, flush, sent, ops };
}

describe('standby handshake with a heartbeat 3.0.6 peer', () => {
  it('takes the group only when the peer says done, not on its early rsc_hold=none', () => {
    const { ownership, flush, sent, ops } = node(false);
    const report = { t: 'resource', rtype: 'full', isstable: '1' };
    ownership.onMessage('alpha', msg({ ...report, rsc_hold: 'local' }), at(100));
    // db was found running at start: it stays here, so its address is announced again.
    expect(ops(flush())).toEqual(['reassert 1']);
    ownership.onGroupDone(1, 'ok', at(150));
    flush();
    ownership.onMessage('alpha', msg({ t: 'ask_resources', rsc_hold: 'all', info: 'me' }), at(200));
    expect(sent(flush())).toContainEqual(
      expect.objectContaining({ t: 'ask_resources', rsc_hold: 'all', info: 'other' }),
    );
    ownership.onMessage(
      'alpha',
      msg({ ...report, rsc_hold: 'none', isstable: '0', info: 'standby' }),
      at(300),
    );
    expect(ops(flush())).toEqual([]);
    ownership.onMessage(
      'alpha',
      msg({ t: 'ask_resources', rsc_hold: 'all', info: 'done' }),
      at(900),
    );
    expect(ops(flush())).toEqual(['acquire 0']);
    ownership.onGroupDone(0, 'ok', at(950));
    const after = sent(flush());
    expect(after).toContainEqual(expect.objectContaining({ t: 'resource', rsc_hold: 'all' }));
    expect(after.at(-1)).toMatchObject({ t: 'ask_resources', rsc_hold: 'all', info: 'done' });
  });

  it('fails back to the returning home node through the handshake, releasing after "other"', () => {
    const { ownership, flush, sent, ops } = node(true);
    ownership.onMessage('alpha', msg({ t: 'starting', rsc_hold: 'none', rtype: 'full' }), at(100));
    expect(ops(flush())).toEqual(['reassert 1']);
    ownership.onGroupDone(1, 'ok', at(150));
    flush();
    ownership.onMessage(
      'alpha',
      msg({ t: 'resource', rsc_hold: 'none', rtype: 'full', isstable: '1' }),
      at(200),
    );
    const asked = flush();
    expect(ops(asked)).toEqual([]);
    expect(sent(asked)).toContainEqual(
      expect.objectContaining({ t: 'ask_resources', rsc_hold: 'foreign', info: 'me' }),
    );
    ownership.onMessage(
      'alpha',
      msg({ t: 'ask_resources', rsc_hold: 'foreign', info: 'other' }),
      at(300),
    );
    expect(ops(flush())).toEqual(['release 0']);
    ownership.onGroupDone(0, 'ok', at(400));
    expect(sent(flush()).at(-1)).toMatchObject({ t: 'ask_resources', info: 'done' });
    ownership.onMessage(
      'alpha',
      msg({ t: 'ask_resources', rsc_hold: 'foreign', info: 'done' }),
      at(500),
    );
    expect(ops(flush())).toEqual([]);
    expect(ownership.standby.state).toBe('idle');
    expect(ownership.resourceState()).toBe('local');
  });
});
