// The resource report on the wire: our exact fields, failure counts included, read back as sent.
import { describe, expect, it } from 'vitest';
import type { GroupInfo } from '../../src/cluster/resources/groups.js';
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

const BASE = { holds: new Set([0]), failed: new Set<number>(), unclean: false, stable: true };

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
