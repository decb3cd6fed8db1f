// `rsc_cleanup`: our message asking the peer to forget its monitor failures of some groups, so an
// operator's cleanup on either node clears both (a heartbeat 3.0.6 peer never gets one).
import { getString, stringField, type Field, type Message } from '../../wire/message.js';
import type { GroupInfo } from './groups.js';

export const CLEANUP_MESSAGE = 'rsc_cleanup';

export function cleanupFields(groups: readonly GroupInfo[], indexes: readonly number[]): Field[] {
  const names = indexes.map((i) => groups[i]?.name ?? '').join(' ');
  return [stringField('t', CLEANUP_MESSAGE), stringField('rsc_cleanup', names)];
}

/** The groups a request names, or the names when none is ours. */
export function cleanupRequested(
  fields: Message,
  groups: readonly GroupInfo[],
): number[] | { unknown: string } {
  const names = (getString(fields, 'rsc_cleanup') ?? '').split(' ');
  const indexes = groups.filter((g) => names.includes(g.name)).map((g) => g.index);
  return indexes.length > 0 ? indexes : { unknown: names.join(' ') };
}
