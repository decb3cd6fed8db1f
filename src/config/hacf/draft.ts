// The ha.cf settings while lines are still being read, and helpers shared by directive handlers.
import type { Diagnostics, Origin } from '../diagnostics.js';
import { BOOLEAN_SPELLINGS, parseBoolean } from '../boolean.js';
import { formatDuration, parseDuration } from '../time.js';
import type { AutoFailback, Medium, PingNode, RespawnEntry, StonithDevice } from './types.js';

export interface Draft {
  nodes: { name: string; at: Origin }[];
  times: Map<'keepalive' | 'deadtime' | 'warntime' | 'initdead' | 'deadping', number>;
  udpport?: number;
  /** bcast and ucast fix their port when their first line is read, as heartbeat's plugins do. */
  mediaPorts: Map<'bcast' | 'ucast', { port: number; at: Origin }>;
  hopfudge?: number;
  media: Medium[];
  autoFailback?: AutoFailback;
  stonith: StonithDevice[];
  ping: PingNode[];
  respawn: RespawnEntry[];
  msgfmt?: 'classic' | 'netstring';
  logfile?: string | null;
  debugfile?: string | null;
  facility?: string | null;
  syslogFormat?: boolean;
  debugLevel?: number;
  realtime?: boolean;
  rtprio?: number;
  origins: Map<string, Origin>;
  /** Single-valued settings as written (directive name -> text after it), for hbparameter. */
  written: Map<string, string>;
}

export function emptyDraft(): Draft {
  return {
    nodes: [],
    times: new Map(),
    mediaPorts: new Map(),
    media: [],
    stonith: [],
    ping: [],
    respawn: [],
    origins: new Map(),
    written: new Map(),
  };
}

/** One ha.cf line as handlers see it. */
export interface DirectiveLine {
  readonly name: string;
  /** Values split as heartbeat splits option lists: on blanks and commas. */
  readonly values: string[];
  /** Everything after the directive name, for whole-line directives. */
  readonly rest: string;
  readonly at: Origin;
}

export type DirectiveHandler = (line: DirectiveLine, draft: Draft, diag: Diagnostics) => void;

/** The one value of a single-valued directive, or undefined after reporting why not. */
export function singleValue(
  line: DirectiveLine,
  diag: Diagnostics,
  example: string,
): string | undefined {
  const [first, ...extra] = line.values;
  if (first === undefined) {
    diag.error(line.at, `${line.name} needs a value`, `for example: ${example}`);
    return undefined;
  }
  if (extra.length > 0) {
    diag.error(
      line.at,
      `${line.name} takes one value, got ${line.values.length}: ${line.values.join(' ')}`,
      `for example: ${example}`,
    );
    return undefined;
  }
  return first;
}

/** Records where a single-valued setting was given, warning when an earlier line is overridden. */
export function markSet(
  line: DirectiveLine,
  draft: Draft,
  diag: Diagnostics,
  key = line.name,
): void {
  const earlier = draft.origins.get(key);
  if (earlier)
    diag.warn(line.at, `${key} was already set at line ${earlier.line}; this line replaces it`);
  draft.origins.set(key, line.at);
  draft.written.set(key, line.rest);
}

/** The one boolean value of a directive, or undefined after reporting why not. */
export function parseBooleanValue(
  line: DirectiveLine,
  diag: Diagnostics,
  example: string,
): boolean | undefined {
  const text = singleValue(line, diag, example);
  if (text === undefined) return undefined;
  const value = parseBoolean(text);
  if (value === undefined)
    diag.error(
      line.at,
      `${line.name} "${text}" is not a boolean`,
      `booleans are ${BOOLEAN_SPELLINGS}`,
    );
  return value;
}

export function parseTimeValue(
  line: DirectiveLine,
  diag: Diagnostics,
  example: string,
): number | undefined {
  const text = singleValue(line, diag, example);
  if (text === undefined) return undefined;
  const exact = parseDuration(text);
  if (exact === undefined) {
    diag.error(
      line.at,
      `${line.name} "${text}" is not a time`,
      'a bare number is seconds (2, 1.5); add ms for milliseconds (500ms)',
    );
    return undefined;
  }
  // heartbeat rounds to whole milliseconds, halves up.
  return Math.floor(exact + 0.5);
}

export function parseIntegerIn(
  line: DirectiveLine,
  diag: Diagnostics,
  low: number,
  high: number,
  what: string,
): number | undefined {
  const text = singleValue(line, diag, `${line.name} ${low}`);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < low || value > high) {
    diag.error(line.at, `${line.name} "${text}" must be ${what} from ${low} to ${high}`);
    return undefined;
  }
  return value;
}

export { formatDuration };
