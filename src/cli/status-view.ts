// The human view of `heartbeat status`: who holds what and why, on one screen. Anything that
// needs an operator (dead node or link, unclean group, failed start, fencing trouble) is in
// capitals so it stands out without colours.
import type {
  EventSnapshot,
  FencingSnapshot,
  GroupSnapshot,
  NodeSnapshot,
  StatusSnapshot,
} from '../control/snapshot.js';

const EVENTS_SHOWN = 8;
const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');

export function renderStatus(s: StatusSnapshot, now: Date): string {
  const lines = [
    `heartbeat ${s.version} on ${s.node} (pid ${s.pid}), up ${formatAge(s.uptimeMs)}; ` +
      `config ${s.configDir}`,
    'Nodes:',
    ...table(s.nodes.map(nodeRow)),
    `Resource groups (rscstatus: ${s.rscstatus}):`,
    ...groupLines(s, now),
    `Fencing: ${describeFencing(s.fencing)}`,
    `Standby: ${describeStandby(s)}`,
    ...recentEvents(s.events, now),
  ];
  return `${lines.join('\n')}\n`;
}

function nodeRow(node: NodeSnapshot): string[] {
  const links = node.links.map((l) => `${l.name} ${l.status === 'dead' ? 'DEAD' : l.status}`);
  let heard = '';
  if (!node.local) {
    heard =
      node.lastHeardMsAgo === undefined
        ? 'never heard'
        : `last heard ${formatAge(node.lastHeardMsAgo)} ago`;
  }
  return [
    node.name,
    node.local ? '(this node)' : node.type === 'ping' ? '(ping node)' : '',
    node.status === 'dead' ? 'DEAD' : node.status,
    `links: ${links.join(', ') || 'none'}`,
    heard,
  ];
}

/** One row per group; trouble gets its own line under the row, in line with the state. */
function groupLines(s: StatusSnapshot, now: Date): string[] {
  if (s.groups.length === 0) return ['  none (haresources lists no groups)'];
  const rows = table(s.groups.map((g) => [g.name, groupState(s, g), `home ${g.home}`, g.line]));
  const indent = ' '.repeat(4 + Math.max(...s.groups.map((g) => g.name.length)));
  return s.groups.flatMap((group, i) => [
    rows[i] ?? '',
    ...groupTrouble(group, s.node, peerName(s)).map((note) => indent + note),
    ...monitorLines(group, now).map((note) => indent + note),
  ]);
}

function groupState(s: StatusSnapshot, group: GroupSnapshot): string {
  const here = group.holder ?? s.node;
  switch (group.state) {
    case 'running':
    case 'starting':
    case 'stopping':
      return `${group.state} on ${here}`;
    case 'running-on-peer':
      return `running on ${group.holder ?? peerName(s)}`;
    case 'stopped':
      return 'stopped';
    case 'unclean':
      return `UNCLEAN on ${here}`;
  }
}

function groupTrouble(group: GroupSnapshot, localNode: string, peer: string): string[] {
  const notes: string[] = [];
  if (group.state === 'unclean') {
    const where = group.holder ?? localNode;
    notes.push(`stop FAILED: it may still run on ${where} until ${where} is fenced or cleaned up`);
  }
  if (group.failedOn.length > 0) {
    notes.push(`start FAILED on ${group.failedOn.join(', ')} since the last membership change`);
  }
  if (group.leftAfterMonitorFailures) {
    notes.push(
      `LEFT ${localNode} after monitor failures; 'heartbeat cleanup ${group.name}' lets it back`,
    );
  }
  if (group.peerFailures > 0)
    notes.push(`${peer} counts ${plural(group.peerFailures, 'monitor failure')} of it`);
  return notes;
}

/** A line per monitored resource (or one with failures here): interval, last result, count. */
function monitorLines(group: GroupSnapshot, now: Date): string[] {
  return group.resources.flatMap((r) => {
    if (r.monitorIntervalMs === 0 && r.failures === 0) return [];
    const every =
      r.monitorIntervalMs === 0
        ? 'not monitored'
        : `monitor every ${formatAge(r.monitorIntervalMs)}`;
    const last = r.lastMonitor;
    const ago = last ? formatAge(Math.max(0, now.getTime() - Date.parse(last.at))) : '';
    const result = !last
      ? 'not run yet'
      : last.ok
        ? `ok ${ago} ago`
        : `FAILED ${ago} ago (${last.detail})`;
    const limit = r.migrationThreshold > 0 ? ` of ${r.migrationThreshold}` : '';
    return [`${r.name}: ${every}, last ${result}, ${plural(r.failures, 'failure')}${limit} here`];
  });
}

function describeFencing(f: FencingSnapshot): string {
  if (!f.configured) return 'NOT configured: a dead peer is taken over without fencing';
  const devices = f.devices.length === 0 ? 'configured' : f.devices.join('; ');
  const target = f.target ?? 'the peer';
  switch (f.state) {
    case 'idle':
      return `${devices}; idle`;
    case 'fencing': {
      const earlier = f.failures === 0 ? '' : ` (after ${plural(f.failures, 'failure')})`;
      return `${devices}; fencing ${target} now${earlier}`;
    }
    case 'retrying': {
      const next =
        f.nextAttemptInMs === undefined ? '' : `, next attempt in ${formatAge(f.nextAttemptInMs)}`;
      return (
        `${devices}; RETRYING ${target}: ${plural(f.failures, 'failure')}${next}; ` +
        `its groups wait until it is fenced`
      );
    }
  }
}

function describeStandby(s: StatusSnapshot): string {
  const { state, set, requester } = s.standby;
  const what = `standby${set === undefined ? '' : ` [${set}]`}`;
  switch (state) {
    case 'idle':
      return 'idle';
    case 'me':
      return `${requester ?? s.node} (this node) asked to go ${what}: releasing to ${peerName(s)}`;
    case 'other':
      return `${requester ?? peerName(s)} asked to go ${what}: waiting for it to release`;
    case 'done':
      return `${requester ?? 'a node'} went ${what}: done`;
  }
}

function recentEvents(events: readonly EventSnapshot[], now: Date): string[] {
  if (events.length === 0) return ['Recent events: none'];
  const shown = events.slice(-EVENTS_SHOWN);
  const header =
    shown.length < events.length
      ? `Recent events (last ${shown.length} of ${events.length}):`
      : 'Recent events:';
  const rows = shown.map((e) => {
    const level = e.level.toLowerCase() === 'info' ? '' : `${e.level.toUpperCase()}: `;
    return [eventTime(e.at, now), level + e.text];
  });
  return [header, ...table(rows)];
}

/** Local HH:MM:SS, with the date in front when the event was not today. */
function eventTime(at: string, now: Date): string {
  const when = new Date(at);
  if (Number.isNaN(when.getTime())) return at;
  const time = [when.getHours(), when.getMinutes(), when.getSeconds()].map(pad2).join(':');
  const sameDay = when.toDateString() === now.toDateString();
  return sameDay ? time : `${MONTHS[when.getMonth()] ?? ''} ${pad2(when.getDate())} ${time}`;
}

/** Two spaces of indent, columns padded to their widest cell, the last left ragged. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  }
  return rows.map((row) =>
    `  ${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')}`.trimEnd(),
  );
}

/** A short age: 0.4s, 12s, 3m 4s, 2h 3m, 1d 2h. */
function formatAge(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 10) return `${Number(seconds.toFixed(1))}s`;
  const s = Math.floor(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

function peerName(s: StatusSnapshot): string {
  return s.nodes.find((n) => !n.local && n.type === 'normal')?.name ?? 'the peer';
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
