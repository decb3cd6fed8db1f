// The resource state a node announces in `starting` and `resource` messages: heartbeat's coarse
// rsc_hold (none/local/foreign/all, from the sender's side) plus our exact per-group fields, which
// a heartbeat 3.0.6 peer ignores.
import { getString, stringField, type Field, type Message } from '../../wire/message.js';
import type { GroupInfo } from './groups.js';

export interface HoldingsReport {
  /** Groups the sender holds or is acquiring or releasing (indexes into haresources). */
  readonly holds: ReadonlySet<number>;
  /** Groups whose start failed on the sender, or that left it after monitor failures. */
  readonly failed: ReadonlySet<number>;
  /** Monitor failures the sender still counts, by group (groups without any left out). */
  readonly failCounts: ReadonlyMap<number, number>;
  /** Groups whose stop kept failing on the sender: they may still run there until it is fenced. */
  readonly unclean: ReadonlySet<number>;
  /** The sender has nothing in flight and nothing left to do (heartbeat's isstable). */
  readonly stable: boolean;
  /** The sender is releasing everything to stop. */
  readonly shuttingDown: boolean;
  /** Sent by one of ours with exact fields; otherwise derived from rsc_hold alone. */
  readonly exact: boolean;
}

export type CoarseHold = 'none' | 'local' | 'foreign' | 'all';

/** Fields for our own report; `holds` etc. are from our side. */
export function reportFields(
  groups: readonly GroupInfo[],
  report: Omit<HoldingsReport, 'exact'>,
  info?: string,
): Field[] {
  const names = (set: ReadonlySet<number>): string =>
    [...set]
      .sort((a, b) => a - b)
      .map((i) => groups[i]?.name ?? '')
      .join(' ');
  const fields = [
    stringField('rsc_hold', coarseHold(groups, report.holds, true)),
    stringField('rtype', 'full'),
    stringField('isstable', report.stable ? '1' : '0'),
    stringField('rsc_groups', String(groups.length)),
  ];
  if (report.holds.size > 0) fields.push(stringField('rsc_held', names(report.holds)));
  if (report.failed.size > 0) fields.push(stringField('rsc_failed', names(report.failed)));
  if (report.failCounts.size > 0) {
    const counts = [...report.failCounts]
      .sort(([a], [b]) => a - b)
      .map(([index, count]) => `${groups[index]?.name ?? ''}=${count}`);
    fields.push(stringField('rsc_failcounts', counts.join(' ')));
  }
  if (report.unclean.size > 0) fields.push(stringField('rsc_unclean', names(report.unclean)));
  const comment = report.shuttingDown ? 'shutdown' : info;
  if (comment !== undefined) fields.push(stringField('info', comment));
  return fields;
}

/** heartbeat's view of a set of groups: which of the holder's local/foreign groups are in it. */
export function coarseHold(
  groups: readonly GroupInfo[],
  holds: ReadonlySet<number>,
  holderIsLocal: boolean,
): CoarseHold {
  const held = groups.filter((g) => holds.has(g.index));
  const local = held.some((g) => g.local === holderIsLocal);
  const foreign = held.some((g) => g.local !== holderIsLocal);
  return local ? (foreign ? 'all' : 'local') : foreign ? 'foreign' : 'none';
}

/** Whether the sender's coarse rsc_hold covers a group; its `local` groups are our foreign ones. */
function coarseIncludes(hold: CoarseHold, group: GroupInfo): boolean {
  if (hold === 'none' || hold === 'all') return hold === 'all';
  return (hold === 'local') !== group.local;
}

export type ParsedReport = { report: HoldingsReport; unknownGroups: string[] } | { error: string };

/**
 * A peer's `resource` message (or `starting`, which means it holds nothing unless it is one of
 * ours and says otherwise). The peer's `local` groups are our foreign ones.
 */
export function parseReport(fields: Message, groups: readonly GroupInfo[]): ParsedReport {
  const type = getString(fields, 't');
  const exact = getString(fields, 'rsc_groups') !== undefined;
  const unknownGroups: string[] = [];
  const lookup = (name: string): Set<number> => {
    const found = new Set<number>();
    for (const word of (getString(fields, name) ?? '').split(' ').filter(Boolean)) {
      const group = groups.find((g) => g.name === word);
      if (group) found.add(group.index);
      else unknownGroups.push(word);
    }
    return found;
  };
  const hold = getString(fields, 'rsc_hold');
  let holds: Set<number>;
  if (exact) holds = lookup('rsc_held');
  else if (type === 'starting') holds = new Set();
  else if (hold === 'none' || hold === 'local' || hold === 'foreign' || hold === 'all') {
    holds = new Set(groups.filter((g) => coarseIncludes(hold, g)).map((g) => g.index));
  } else return { error: `resource message with a bad rsc_hold [${hold ?? ''}]` };
  const failCounts = new Map<number, number>();
  for (const word of (getString(fields, 'rsc_failcounts') ?? '').split(' ').filter(Boolean)) {
    // A group's name may hold '=' (a resource argument); the count follows the last one.
    const cut = word.lastIndexOf('=');
    const count = word.slice(cut + 1);
    if (cut <= 0 || !/^\d{1,6}$/.test(count))
      return { error: `resource message with a bad rsc_failcounts entry [${word}]` };
    const group = groups.find((g) => g.name === word.slice(0, cut));
    if (group) failCounts.set(group.index, Number(count));
    else unknownGroups.push(word.slice(0, cut));
  }
  return {
    report: {
      holds,
      failed: lookup('rsc_failed'),
      failCounts,
      // An earlier form said only `1`: then whatever it holds may be unclean.
      unclean: getString(fields, 'rsc_unclean') === '1' ? holds : lookup('rsc_unclean'),
      stable: type !== 'starting' && getString(fields, 'isstable') === '1',
      shuttingDown: getString(fields, 'info') === 'shutdown',
      exact,
    },
    unknownGroups,
  };
}
