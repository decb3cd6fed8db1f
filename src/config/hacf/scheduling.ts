// Scheduling directives: realtime and rtprio, the priority the daemon's event loop runs at.
import { markSet, parseBooleanValue, parseIntegerIn, type DirectiveHandler } from './draft.js';

/** heartbeat's default rtprio: halfway between Linux's lowest and highest realtime priority. */
export const DEFAULT_RTPRIO = 50;

const realtime: DirectiveHandler = (line, draft, diag) => {
  const value = parseBooleanValue(line, diag, 'realtime on');
  if (value === undefined) return;
  markSet(line, draft, diag);
  draft.realtime = value;
};

const rtprio: DirectiveHandler = (line, draft, diag) => {
  const value = parseIntegerIn(line, diag, 1, 99, 'a realtime priority');
  if (value === undefined) return;
  markSet(line, draft, diag);
  draft.rtprio = value;
};

export const schedulingDirectives: Record<string, DirectiveHandler> = { realtime, rtprio };
