// What a reload may apply to a running node (keys, logging, agent timeouts, fencing devices) and
// what only a restart can change (membership, media, timing, resource groups), named for the user.
import type { Config } from '../config/config.js';
import { formatDuration } from '../config/time.js';

export interface ReloadPlan {
  /** Changed and applied live, e.g. `authkeys`. */
  readonly live: string[];
  /** Changed but needing a restart, e.g. `deadtime 5s -> 3s`: the old values stay in force. */
  readonly restart: string[];
}

/** Source positions differ between any two reads; only what a setting means is compared. */
const same = (a: unknown, b: unknown): boolean =>
  JSON.stringify(a, noOrigins) === JSON.stringify(b, noOrigins);

function noOrigins(key: string, value: unknown): unknown {
  if (key === 'at' || key === 'origins' || key === 'parameters') return undefined;
  return value instanceof Map ? [...(value as Map<unknown, unknown>).entries()] : value;
}

export function planReload(old: Config, next: Config): ReloadPlan {
  const live: string[] = [];
  const restart: string[] = [];
  const a = old.hacf;
  const b = next.hacf;
  if (!same(old.auth, next.auth)) live.push('authkeys');
  if (!same(a.log, b.log)) live.push('logging');
  if (!same(old.fenceDevices, next.fenceDevices)) {
    // Whether fencing is configured at all changes the takeover rules the core runs with.
    if (old.fenceDevices.length > 0 === next.fenceDevices.length > 0) live.push('STONITH devices');
    else restart.push(next.fenceDevices.length > 0 ? 'STONITH configured' : 'STONITH removed');
  }
  if (old.localNode !== next.localNode)
    restart.push(`node name ${old.localNode} -> ${next.localNode}`);
  if (!same(a.nodes, b.nodes)) restart.push(`node ${a.nodes.join(' ')} -> ${b.nodes.join(' ')}`);
  for (const [name, before, after] of [
    ['keepalive', a.keepaliveMs, b.keepaliveMs],
    ['deadtime', a.deadtimeMs, b.deadtimeMs],
    ['warntime', a.warntimeMs, b.warntimeMs],
    ['initdead', a.initdeadMs, b.initdeadMs],
    ['deadping', a.deadpingMs, b.deadpingMs],
  ] as const) {
    if (before !== after)
      restart.push(`${name} ${formatDuration(before)} -> ${formatDuration(after)}`);
  }
  for (const [name, before, after] of [
    ['udpport', a.udpport, b.udpport],
    ['hopfudge', a.hopfudge, b.hopfudge],
    ['auto_failback', a.autoFailback, b.autoFailback],
    ['msgfmt', a.msgfmt, b.msgfmt],
    ['realtime priority', a.realtimePriority ?? 'off', b.realtimePriority ?? 'off'],
  ] as const) {
    if (before !== after) restart.push(`${name} ${String(before)} -> ${String(after)}`);
  }
  if (!same(a.media, b.media)) restart.push('heartbeat media (bcast/mcast/ucast)');
  if (!same(a.ping, b.ping)) restart.push('ping nodes (ping/ping_group)');
  if (!same(old.groups, next.groups)) restart.push('haresources');
  return { live, restart };
}

/** One line for the log and the `reload` command. */
export function describeReload(plan: ReloadPlan): string {
  const applied = plan.live.length > 0 ? `applied ${plan.live.join(', ')}` : 'nothing to apply';
  if (plan.restart.length === 0)
    return `Configuration reloaded: ${applied}; agent timeouts re-read.`;
  return `Configuration reloaded: ${applied}; NOT applied, needs a restart: ${plan.restart.join('; ')}.`;
}
