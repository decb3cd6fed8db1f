// Parses <ha.d>/timeouts.ini: agent and fencing timeouts, and which resources are monitored.
import ini from 'ini';
import type { AgentOperation, MonitorSettings } from '../cluster/types.js';
import type { Diagnostics, Origin } from './diagnostics.js';
import { resourceKey, type ResourceSpec } from './resource-spec.js';
import { closest } from './suggest.js';
import { parseDuration } from './time.js';

export const AGENT_TIMEOUTS_FILE = 'timeouts.ini';

/** Monitoring uses Pacemaker's names: monitor, monitor_timeout, migration_threshold, failure_timeout. */
export interface AgentTimeouts {
  /** Milliseconds: the resource's section, then its script's, then [defaults], then built-in. */
  forOperation(spec: ResourceSpec, operation: AgentOperation): number;
  /** Each key looked up as the timeouts are. */
  monitorFor(spec: ResourceSpec): MonitorSettings;
  readonly fenceMs: number;
}

const DEFAULT_MIGRATION_THRESHOLD = 3;

const BUILT_IN: Readonly<Record<AgentOperation, number>> = {
  start: 60_000,
  stop: 60_000,
  status: 20_000,
};
const BUILT_IN_FENCE_MS = 30_000;
const MAX_TIMEOUT_MS = 24 * 3600 * 1000;
const STONITH_SECTION = 'stonith';
const FENCE_KEY = 'timeout';
const MONITOR_KEYS = ['monitor', 'monitor_timeout', 'migration_threshold', 'failure_timeout'];
const RESOURCE_KEYS: readonly string[] = ['start', 'stop', 'status', ...MONITOR_KEYS];
const HEADER = /^\[([^\]]*)\]\s*(?:[;#].*)?$/;

export const DEFAULT_AGENT_TIMEOUTS: AgentTimeouts = lookup(new Map());

/** One section's values in milliseconds, by key. */
type Values = Map<string, number>;

interface Section {
  readonly line: number;
  readonly keys: readonly string[];
  readonly values: Values;
  /** Where each key was first given, valid or not. */
  readonly lines: Map<string, number>;
}

export function parseAgentTimeouts(text: string, file: string, diag: Diagnostics): AgentTimeouts {
  const sections = new Map<string, Section>();
  let current: Section | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) return;
    const at = { file, line: index + 1 };
    const header = HEADER.exec(line);
    if (header) current = openSection((header[1] ?? '').trim(), at, sections, diag);
    else if (line.startsWith('['))
      diag.error(at, `malformed section header "${line}"`, 'write [name] alone on its line');
    else if (!current)
      diag.error(at, 'key outside a section', 'put it under [defaults], [Script] or [Script::arg]');
    else readKey(line, at, current, diag);
  });
  return lookup(new Map([...sections].map(([name, section]) => [name, section.values])));
}

function lookup(sections: ReadonlyMap<string, Values>): AgentTimeouts {
  return {
    fenceMs: sections.get(STONITH_SECTION)?.get(FENCE_KEY) ?? BUILT_IN_FENCE_MS,
    forOperation(spec, operation) {
      return find(sections, spec, operation) ?? BUILT_IN[operation];
    },
    monitorFor(spec) {
      const failureTimeoutMs = find(sections, spec, 'failure_timeout') ?? 0;
      return {
        intervalMs: find(sections, spec, 'monitor') ?? 0,
        timeoutMs: find(sections, spec, 'monitor_timeout') ?? this.forOperation(spec, 'status'),
        migrationThreshold:
          find(sections, spec, 'migration_threshold') ?? DEFAULT_MIGRATION_THRESHOLD,
        failureTimeoutMs: failureTimeoutMs === 0 ? Infinity : failureTimeoutMs,
      };
    },
  };
}

function find(
  sections: ReadonlyMap<string, Values>,
  spec: ResourceSpec,
  key: string,
): number | undefined {
  // A bare address is written `192.0.2.10` but may be named `IPaddr::192.0.2.10` too.
  for (const name of [spec.text, resourceKey(spec), spec.script, 'defaults']) {
    const value = sections.get(name)?.get(key);
    if (value !== undefined) return value;
  }
  return undefined;
}

function openSection(
  name: string,
  at: Origin,
  sections: Map<string, Section>,
  diag: Diagnostics,
): Section {
  const keys = name === STONITH_SECTION ? [FENCE_KEY] : RESOURCE_KEYS;
  // After an error the keys below are still checked, into a section nobody reads.
  const section = { line: at.line, keys, values: new Map(), lines: new Map() };
  const earlier = sections.get(name);
  if (name === '')
    diag.error(at, 'empty section name', 'write [defaults], [Script] or [Script::arg]');
  else if (earlier) diag.error(at, `section [${name}] given twice (first at line ${earlier.line})`);
  else sections.set(name, section);
  return section;
}

// ini decodes each value (quotes, trailing comments) but never sees a section header: it would
// split names like [IPaddr::192.0.2.10] on their dots, and it keeps no line numbers.
function readKey(line: string, at: Origin, section: Section, diag: Diagnostics): void {
  const decoded = ini.decode(line, { bracketedArray: false }) as Record<string, unknown>;
  const [entry] = Object.entries(decoded);
  if (!entry || !line.includes('=')) {
    diag.error(at, `expected "key = value", found "${line}"`);
    return;
  }
  const [key, value] = entry;
  if (!section.keys.includes(key)) {
    const guess = closest(key, section.keys);
    const hint = guess === undefined ? `known keys here: ${section.keys.join(', ')}` : undefined;
    diag.error(
      at,
      `unknown key "${key}"${guess === undefined ? '' : `, did you mean "${guess}"?`}`,
      hint,
    );
    return;
  }
  const first = section.lines.get(key);
  if (first !== undefined) {
    diag.error(at, `${key} given twice in this section (first at line ${first})`);
    return;
  }
  section.lines.set(key, at.line);
  const parsed =
    key === 'migration_threshold'
      ? countValue(key, String(value), at, diag)
      : timeoutValue(key, String(value), at, diag, key === 'monitor' || key === 'failure_timeout');
  if (parsed !== undefined) section.values.set(key, parsed);
}

function countValue(key: string, text: string, at: Origin, diag: Diagnostics): number | undefined {
  if (/^0*[1-9]\d{0,5}$/.test(text)) return Number(text);
  diag.error(
    at,
    `${key} must be a whole number of failures, at least 1, not "${text}"`,
    'the group leaves this node after that many; a large number keeps it here, restarted',
  );
  return undefined;
}

function timeoutValue(
  key: string,
  text: string,
  at: Origin,
  diag: Diagnostics,
  zeroMeansOff = false,
): number | undefined {
  const ms = parseDuration(text);
  if (ms === undefined) {
    const negative = text.startsWith('-');
    diag.error(
      at,
      negative ? `${key} must be positive, not ${text}` : `${key}: bad time value "${text}"`,
      'a number of seconds, or with a unit: 500ms, 90s, 5m',
    );
  } else if (ms === 0 && zeroMeansOff) {
    return 0;
  } else if (ms <= 0) {
    diag.error(at, `${key} must be positive, not ${text}`, 'an operation needs some time to run');
  } else if (ms > MAX_TIMEOUT_MS) {
    diag.error(at, `${key} = ${text} is absurdly long (more than a day)`);
  } else {
    return ms;
  }
  return undefined;
}
