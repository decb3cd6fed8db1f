// Reads ha.cf line by line as heartbeat 3.0.6 does, then applies its defaults and start-up checks.
import { parameterTable } from './parameters.js';
import type { Diagnostics, Origin } from '../diagnostics.js';
import { lastLineNumber, logicalLines } from '../lines.js';
import { closest } from '../suggest.js';
import { emptyDraft, type DirectiveHandler, type Draft } from './draft.js';
import { IGNORED_DIRECTIVES } from './ignored.js';
import { loggingDirectives } from './logging.js';
import { DEFAULT_UDPPORT, mediaDirectives } from './media.js';
import { membershipDirectives } from './membership.js';
import { processDirectives } from './processes.js';
import { DEFAULT_RTPRIO, schedulingDirectives } from './scheduling.js';
import { resolveTimings, timingDirectives } from './timing.js';
import type { AutoFailback, HaCf } from './types.js';

const DIRECTIVES: ReadonlyMap<string, DirectiveHandler> = new Map(
  Object.entries({
    ...timingDirectives,
    ...mediaDirectives,
    ...membershipDirectives,
    ...loggingDirectives,
    ...processDirectives,
    ...schedulingDirectives,
  }),
);

/** Every directive name heartbeat 3.0.6 accepts, whether it acts here or is ignored. */
export const KNOWN_DIRECTIVES: readonly string[] = [
  ...DIRECTIVES.keys(),
  ...IGNORED_DIRECTIVES.keys(),
];

export function parseHaCf(text: string, file: string, diag: Diagnostics): HaCf {
  const draft = emptyDraft();
  for (const { line, text: content, words } of logicalLines(text, { continuation: false })) {
    const [name = ''] = words;
    const rest = content.slice(name.length).trim();
    const at = { file, line };
    const handler = DIRECTIVES.get(name);
    if (handler) {
      handler({ name, values: rest.split(/[\s,]+/).filter(Boolean), rest, at }, draft, diag);
      continue;
    }
    const reason = IGNORED_DIRECTIVES.get(name);
    if (reason !== undefined) {
      diag.warn(at, `${name} is ignored: ${reason}`);
      continue;
    }
    const suggestion = closest(name, KNOWN_DIRECTIVES);
    diag.error(
      at,
      `Illegal directive [${name}]`,
      suggestion === undefined
        ? 'see ha.cf(5) for the directives'
        : `did you mean "${suggestion}"?`,
    );
  }
  // What a missing directive concerns is reported at the end of the file, where it would go.
  const end = { file, line: lastLineNumber(text) };
  return finish(draft, end, diag);
}

function finish(draft: Draft, end: Origin, diag: Diagnostics): HaCf {
  const timings = resolveTimings(draft, diag, end);
  if (draft.nodes.length === 0) {
    diag.error(end, 'no nodes defined', 'list both cluster members: node alpha beta');
  } else if (draft.nodes.length > 2) {
    diag.error(
      draft.nodes[2]?.at ?? end,
      `${draft.nodes.length} nodes listed: this cluster manager runs exactly two nodes`,
    );
  }
  if (draft.media.length === 0) {
    diag.error(
      end,
      'No heartbeat media defined',
      'add a bcast, mcast or ucast line, e.g. bcast eth1',
    );
  }
  const names = new Set(draft.nodes.map((n) => n.name));
  for (const device of draft.stonith) {
    if (device.kind === 'stonith_host' && device.from !== '*' && !names.has(device.from)) {
      diag.error(
        device.at,
        `stonith_host ${device.from}: not a node of this cluster`,
        `use * or one of: ${[...names].join(' ')}`,
      );
    }
  }
  const autoFailback = draft.autoFailback ?? 'legacy';
  if (autoFailback === 'legacy') {
    diag.warn(
      draft.origins.get('auto_failback') ?? end,
      `Deprecated 'legacy' auto_failback option selected${draft.autoFailback ? '' : ' (the default)'}.`,
      "Please convert to 'auto_failback on' (or 'off'); legacy fails back only when every node supports it",
    );
  }
  checkIpfail(draft, autoFailback, diag);
  let facility = draft.facility;
  if (!draft.logfile && !draft.debugfile && !facility) {
    facility = 'daemon';
    diag.warn(
      end,
      'No log entry found in ha.cf: logging to syslog facility daemon',
      'add logfile /var/log/ha-log, or logfacility local0',
    );
  }
  return {
    nodes: draft.nodes.map((n) => n.name),
    ...timings,
    udpport: draft.udpport ?? DEFAULT_UDPPORT,
    hopfudge: draft.hopfudge ?? 1,
    media: draft.media,
    autoFailback,
    stonith: draft.stonith,
    ping: draft.ping,
    respawn: draft.respawn,
    msgfmt: draft.msgfmt ?? 'classic',
    realtimePriority: realtimePriority(draft, diag),
    log: {
      ...(draft.logfile ? { logfile: draft.logfile } : {}),
      ...(draft.debugfile ? { debugfile: draft.debugfile } : {}),
      ...(facility ? { facility } : {}),
      syslogFormat: draft.syslogFormat ?? false,
      debugLevel: draft.debugLevel ?? 0,
    },
    origins: draft.origins,
    parameters: parameterTable(draft.written, timings.warntimeMs),
  };
}

/** heartbeat's default is realtime on; an rtprio that realtime off makes moot is said so. */
function realtimePriority(draft: Draft, diag: Diagnostics): number | null {
  if (draft.realtime !== false) return draft.rtprio ?? DEFAULT_RTPRIO;
  const rtprio = draft.origins.get('rtprio');
  if (rtprio)
    diag.warn(
      rtprio,
      `rtprio ${String(draft.rtprio)} has no effect: realtime is off`,
      'remove one of the two lines',
    );
  return null;
}

/** heartbeat's ipfail exits at once with auto_failback legacy, and compares nothing without ping nodes. */
function checkIpfail(draft: Draft, autoFailback: AutoFailback, diag: Diagnostics): void {
  const ipfail = draft.respawn.find((r) => r.ipfail);
  if (!ipfail) return;
  if (autoFailback === 'legacy')
    diag.warn(
      ipfail.at,
      "ipfail does nothing with auto_failback legacy (heartbeat's ipfail exits at once)",
      'set auto_failback on or off',
    );
  if (draft.ping.length === 0)
    diag.warn(
      ipfail.at,
      'ipfail has no ping nodes to count: it will never move a group',
      'add a ping or ping_group line naming a router both nodes reach',
    );
}
