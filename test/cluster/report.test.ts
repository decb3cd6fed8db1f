// The resource report on the wire: our exact fields, failure counts included, read back as sent;
// and a late (retransmitted) report never overrides a newer one.
import { describe, expect, it } from 'vitest';
import { Emitter } from '../../src/cluster/emitter.js';
import type { GroupInfo } from '../../src/cluster/resources/groups.js';
import { PeerReports } from '../../src/cluster/resources/peer-reports.js';
import type { PeerView, PlacementContext } from '../../src/cluster/resources/placement.js';
import { parseReport, reportFields } from '../../src/cluster/resources/report.js';
import { getString, stringField, type Message } from '../../src/wire/message.js';

function info(index: number, name: string, local: boolean): GroupInfo {
  return {
    index,
    name,
    line: `alpha ${name}`,
    home: local ? 'alpha' : 'beta',
    local,
    resources: [],
  };
}

const GROUPS = [info(0, 'IPaddr::192.0.2.100/24', true), info(1, 'Tagged::mode=fast', false)];

function message(type: string, fields: Message): Message {
  return [stringField('t', type), ...fields];
}

const BASE = {
  holds: new Set([0]),
  failed: new Set<number>(),
  unclean: new Set<number>(),
  stable: true,
};

describe('resource report', () => {
  it('carries monitor failure counts by group, a name holding = included', () => {
    const fields = reportFields(GROUPS, {
      ...BASE,
      failCounts: new Map([
        [1, 2],
        [0, 1],
      ]),
      shuttingDown: false,
    });
    const sent = message('resource', fields);
    expect(getString(sent, 'rsc_failcounts')).toBe('IPaddr::192.0.2.100/24=1 Tagged::mode=fast=2');
    const parsed = parseReport(sent, GROUPS);
    if ('error' in parsed) throw new Error(parsed.error);
    expect([...parsed.report.failCounts]).toEqual([
      [0, 1],
      [1, 2],
    ]);
  });

  it('leaves the field out when nothing failed', () => {
    const fields = reportFields(GROUPS, { ...BASE, failCounts: new Map(), shuttingDown: false });
    expect(fields.map((f) => f.name)).not.toContain('rsc_failcounts');
    const parsed = parseReport(message('resource', fields), GROUPS);
    expect('report' in parsed && parsed.report.failCounts.size).toBe(0);
  });

  it('rejects a malformed count and names a group it does not know', () => {
    const fields = reportFields(GROUPS, { ...BASE, failCounts: new Map(), shuttingDown: false });
    const bad = message('resource', [...fields, stringField('rsc_failcounts', 'web=x')]);
    expect(parseReport(bad, GROUPS)).toEqual({
      error: 'resource message with a bad rsc_failcounts entry [web=x]',
    });
    const unknown = message('resource', [...fields, stringField('rsc_failcounts', 'web=3')]);
    const parsed = parseReport(unknown, GROUPS);
    expect('report' in parsed && parsed.unknownGroups).toEqual(['web']);
  });
});

describe('peer reports', () => {
  const view = (): PeerView => ({
    name: 'beta',
    liveness: 'alive',
    report: undefined,
    needsFencing: false,
    fenced: false,
    leftUnclean: new Set(),
    reportSeq: 0,
  });
  const ctx = (peer: PeerView): PlacementContext => ({
    autoFailback: 'on',
    fencingConfigured: false,
    stopping: false,
    peer,
    pins: new Map(),
    awaitingDone: new Set(),
  });
  const report = (seq: number, held: string): Message => [
    stringField('t', 'resource'),
    stringField('seq', seq.toString(16)),
    ...reportFields(GROUPS, {
      ...BASE,
      holds: new Set(held === '' ? [] : [0]),
      failCounts: new Map(),
      shuttingDown: false,
    }),
  ];

  it('reads a retransmitted report that comes after a newer one as stale, and keeps the newer', () => {
    const reports = new PeerReports(GROUPS, [], new Emitter(undefined as never));
    const peer = view();
    expect(reports.accept(peer, report(0x12, ''), ctx(peer))).toBe(true);
    expect(reports.accept(peer, report(0x11, 'held'), ctx(peer))).toBe('stale');
    expect([...(peer.report?.holds ?? [-1])]).toEqual([]);
    expect(reports.accept(peer, report(0x13, 'held'), ctx(peer))).toBe(true);
    expect([...(peer.report?.holds ?? [])]).toEqual([0]);
  });
});
