// What the end of a group operation means for the group here: running, stopped, failed (the start
// rolled back), cancelled by a stop, or unclean (a stop kept failing), each with its log line.
import type { Emitter } from '../emitter.js';
import type { GroupOp, GroupOutcome } from '../types.js';
import type { LocalGroup } from './placement.js';

/**
 * `cancelledWhy`: why a start was cancelled (the node stops, or the peer keeps the group);
 * `failedFate`: where a group that failed to start here goes, in words for the log.
 */
export function settleGroup(
  group: LocalGroup,
  op: GroupOp,
  outcome: GroupOutcome,
  emit: Emitter,
  cancelledWhy: string,
  failedFate: () => string,
): void {
  const name = group.info.name;
  if (outcome === 'unclean') {
    group.holding = 'unclean';
    emit.log(
      'crit',
      `Resource group ${name} could not be stopped: this node is unclean until it is fenced or cleaned up`,
    );
  } else if (op === 'release') {
    group.holding = 'stopped';
  } else if (op === 'reassert') {
    // Its addresses stay here; only announcing them failed (said already), to be tried again.
    group.holding = 'running';
  } else if (outcome === 'cancelled') {
    group.holding = 'stopped';
    emit.log('info', `Resource group ${name}: start cancelled, ${cancelledWhy}`);
  } else if (outcome === 'ok') {
    group.holding = 'running';
  } else {
    // A failed start rolled the whole group back (an acquire or a recovery).
    group.failed = true;
    group.holding = 'stopped';
    emit.log('error', `Resource group ${name} failed to start here; ${failedFate()}`);
  }
}
