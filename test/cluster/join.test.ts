// The join handshake on its own: when it asks for a node list, whom, how often, and when it goes
// active without one.
import { describe, expect, it } from 'vitest';
import { Emitter } from '../../src/cluster/emitter.js';
import { Join } from '../../src/cluster/join.js';
import { Outbox } from '../../src/cluster/outbox.js';
import { Peer } from '../../src/cluster/peer.js';
import type { Action, Instant } from '../../src/cluster/types.js';
import { getString } from '../../src/wire/message.js';
import { membershipConfig } from './membership-config.js';

const NODES = ['alpha', 'beta', 'gamma'];

function setUp() {
  const beta = new Peer('beta', ['eth0'], 0, 0);
  const gamma = new Peer('gamma', ['eth0'], 0, 0);
  const peers = new Map([
    ['beta', beta],
    ['gamma', gamma],
  ]);
  const config = membershipConfig('alpha', NODES);
  const emit = new Emitter(new Outbox(config, () => undefined));
  const activeAt: number[] = [];
  const ping = { seen: true };
  const join = new Join(
    NODES,
    peers,
    () => ping.seen,
    emit,
    (at) => activeAt.push(at.mono),
  );
  /** What the handshake sent and logged since the last look, in order. */
  const said = (): string[] => emit.flush().map(describeAction);
  return { peers, beta, gamma, join, activeAt, said, ping };
}

function at(mono: number): Instant {
  return { mono, wallSeconds: Math.floor(mono / 1000), load: '0.00' };
}

function describeAction(action: Action): string {
  if (action.type === 'send') {
    const type = getString(action.fields, 't') ?? '';
    const dest = getString(action.fields, 'dest');
    const list = getString(action.fields, 'nodelist');
    return [type, dest && `to ${dest}`, list && `[${list}]`].filter(Boolean).join(' ');
  }
  if (action.type === 'log') return `log: ${action.text}`;
  if (action.type === 'membership') return `event: ${action.event.kind}`;
  return action.type;
}

describe('Join', () => {
  it('waits until every peer was heard or is dead, then asks the first live one', () => {
    const { beta, gamma, join, said } = setUp();
    join.check(at(100));
    expect(join.linksUp).toBe(false);
    expect(said()).toEqual([]);
    gamma.heard = true;
    join.check(at(200));
    expect(said()).toEqual([]);
    beta.status = 'dead';
    join.check(at(300));
    expect(join.linksUp).toBe(true);
    expect(said()).toEqual(['reqnodes to gamma']);
    expect(join.nextWakeup()).toBe(1300);
  });

  it('waits for the ping nodes as well: each must answer or be declared dead first', () => {
    const { peers, join, ping, said } = setUp();
    for (const peer of peers.values()) peer.heard = true;
    ping.seen = false;
    join.check(at(100));
    expect(join.linksUp).toBe(false);
    expect(said()).toEqual([]);
    ping.seen = true;
    join.check(at(200));
    expect(join.linksUp).toBe(true);
    expect(said()).toEqual(['reqnodes to beta']);
  });

  it('asks again every second until a node list arrives, then goes active once', () => {
    const { peers, join, activeAt, said } = setUp();
    for (const peer of peers.values()) peer.heard = true;
    join.check(at(0));
    join.tick(at(999));
    expect(said()).toEqual(['reqnodes to beta']);
    join.tick(at(1000));
    expect(said()).toEqual(['reqnodes to beta']);
    join.onRepnodes(at(1500));
    expect(said()).toEqual(['log: Comm_now_up(): updating status to active', 'event: comm-up']);
    expect(activeAt).toEqual([1500]);
    join.onRepnodes(at(1600));
    join.tick(at(5000));
    expect(said()).toEqual([]);
    expect(join.nextWakeup()).toBe(Infinity);
  });

  it('asks the next live peer at once when the one it asked dies', () => {
    const { peers, beta, join, said } = setUp();
    for (const peer of peers.values()) peer.heard = true;
    join.check(at(0));
    said();
    beta.status = 'dead';
    join.peerDied();
    expect(join.nextWakeup()).toBe(0);
    join.tick(at(10));
    expect(said()).toEqual(['reqnodes to gamma']);
  });

  it('goes active alone, without asking, when every peer is dead', () => {
    const { peers, join, activeAt, said } = setUp();
    for (const peer of peers.values()) peer.status = 'dead';
    join.check(at(12000));
    expect(said()).toEqual(['log: Comm_now_up(): updating status to active', 'event: comm-up']);
    expect(activeAt).toEqual([12000]);
  });

  it('answers a request with every configured node', () => {
    const { gamma, join, said } = setUp();
    join.answer(gamma, at(0));
    expect(said()).toEqual(['repnodes to gamma [alpha beta gamma ]']);
  });
});
