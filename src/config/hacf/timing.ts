// keepalive, deadtime, warntime, initdead, deadping: parsing, heartbeat's defaults and checks.
import type { Diagnostics, Origin } from '../diagnostics.js';
import { formatDuration } from '../time.js';
import { markSet, parseTimeValue, type DirectiveHandler, type Draft } from './draft.js';

type TimeKey = 'keepalive' | 'deadtime' | 'warntime' | 'initdead' | 'deadping';

const EXAMPLES: Record<TimeKey, string> = {
  keepalive: 'keepalive 1 (seconds) or keepalive 200ms',
  deadtime: 'deadtime 10',
  warntime: 'warntime 5',
  initdead: 'initdead 60',
  deadping: 'deadping 30',
};

function timeHandler(key: TimeKey, mustBePositive: boolean): DirectiveHandler {
  return (line, draft, diag) => {
    const value = parseTimeValue(line, diag, EXAMPLES[key]);
    if (value === undefined) return;
    if (mustBePositive && value <= 0) {
      diag.error(line.at, `${key} must be more than 0 (got ${line.values[0] ?? ''})`);
      return;
    }
    markSet(line, draft, diag);
    draft.times.set(key, value);
  };
}

export const timingDirectives: Record<TimeKey, DirectiveHandler> = {
  keepalive: timeHandler('keepalive', true),
  deadtime: timeHandler('deadtime', true),
  warntime: timeHandler('warntime', true),
  initdead: timeHandler('initdead', false),
  deadping: timeHandler('deadping', false),
};

export interface Timings {
  keepaliveMs: number;
  deadtimeMs: number;
  warntimeMs: number;
  initdeadMs: number;
  deadpingMs: number;
}

/** heartbeat's derivation of initdead when it is not given. */
export function defaultInitdead(deadtimeMs: number): number {
  if (deadtimeMs > 10_000) return deadtimeMs;
  if (deadtimeMs < 6_000) return 12_000;
  return 2 * deadtimeMs;
}

/** Applies defaults and heartbeat's start-up checks; reports against the line that set a value. */
export function resolveTimings(draft: Draft, diag: Diagnostics, end: Origin): Timings {
  /** The first of `keys` written in the file: a default is blamed on the line it relates to. */
  const at = (...keys: string[]): Origin | string =>
    keys.map((key) => draft.origins.get(key)).find((origin) => origin !== undefined) ?? end;
  const shown = (key: TimeKey, ms: number): string =>
    `${formatDuration(ms)}${draft.times.has(key) ? '' : ' (default)'}`;
  const keepaliveMs = draft.times.get('keepalive') ?? 1000;
  const deadtimeMs = draft.times.get('deadtime') ?? 30_000;
  const warntimeMs = draft.times.get('warntime') ?? Math.floor(deadtimeMs / 2);
  const initdeadMs = draft.times.get('initdead') ?? defaultInitdead(deadtimeMs);
  const deadpingMs = draft.times.get('deadping') ?? deadtimeMs;

  if (deadtimeMs <= 2 * keepaliveMs) {
    diag.error(
      at('deadtime', 'keepalive'),
      `deadtime ${shown('deadtime', deadtimeMs)} must exceed 2 x keepalive (${shown('keepalive', keepaliveMs)})`,
      'a peer is declared dead only after several missed heartbeats; raise deadtime or lower keepalive',
    );
  }
  if (warntimeMs >= deadtimeMs) {
    diag.error(
      at('warntime', 'deadtime'),
      `warntime ${shown('warntime', warntimeMs)} must be less than deadtime (${shown('deadtime', deadtimeMs)})`,
      'warntime warns of late heartbeats before deadtime declares the node dead',
    );
  }
  if (warntimeMs <= keepaliveMs && warntimeMs < deadtimeMs) {
    diag.warn(
      at('warntime', 'keepalive', 'deadtime'),
      `warntime ${shown('warntime', warntimeMs)} is not above keepalive (${shown('keepalive', keepaliveMs)}): every heartbeat will be logged as late`,
      'warntime should be a few keepalives, for example 2 x keepalive or more, below deadtime',
    );
  }
  if (initdeadMs < deadtimeMs) {
    diag.error(
      at('initdead', 'deadtime'),
      `Initial dead time [${formatDuration(initdeadMs)}] is smaller than deadtime [${formatDuration(deadtimeMs)}]`,
      'initdead applies right after start and must be at least deadtime',
    );
  } else if (initdeadMs < 10_000) {
    diag.warn(
      at('initdead', 'deadtime'),
      `Initial dead time [${formatDuration(initdeadMs)}] may be too small!`,
      'initdead accounts for slow network start-up; it should be >= deadtime and >= 10 seconds',
    );
  }
  if (draft.ping.length > 0 && deadpingMs <= 2 * keepaliveMs) {
    diag.error(
      draft.origins.get('deadping') ?? draft.origins.get('deadtime') ?? draft.ping[0]?.at ?? end,
      `deadping ${shown('deadping', deadpingMs)} must exceed 2 x keepalive (${shown('keepalive', keepaliveMs)})`,
    );
  }
  return { keepaliveMs, deadtimeMs, warntimeMs, initdeadMs, deadpingMs };
}
