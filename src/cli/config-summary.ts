// Renders a validated configuration as the readable summary `heartbeat check-config` prints.
import type { Config } from '../config/config.js';
import type { HostView } from '../preflight/host-checks.js';
import type { Medium, StonithDevice } from '../config/hacf/types.js';
import { formatDuration } from '../config/time.js';

const NODE_SOURCE = { option: 'given with -n', nodeinfo: 'from nodeinfo', uname: 'from uname -n' };

export function renderSummary(config: Config, host: HostView): string {
  const { hacf, auth } = config;
  const rows: [string, string[]][] = [
    [
      'Local node',
      [`${config.localNode} (${NODE_SOURCE[config.localNodeSource]})`, hostNote(config, host)],
    ],
    ['Nodes', [hacf.nodes.join(', ')]],
    ['Media', hacf.media.map((m) => describeMedium(m, host))],
    [
      'Timing',
      [
        `keepalive ${formatDuration(hacf.keepaliveMs)}, warntime ${formatDuration(hacf.warntimeMs)}, ` +
          `deadtime ${formatDuration(hacf.deadtimeMs)}, initdead ${formatDuration(hacf.initdeadMs)}`,
      ],
    ],
    ['Failback', [`auto_failback ${hacf.autoFailback}`]],
    [
      'Auth',
      [
        `signing with entry ${auth.active.index} (${auth.active.method}); accepting ` +
          [...auth.entries.values()].map((e) => `${e.index} (${e.method})`).join(', '),
      ],
    ],
    [
      'Fencing',
      hacf.stonith.length === 0
        ? ['none: takeover proceeds without fencing']
        : hacf.stonith.map(describeStonith),
    ],
    ['Logging', [describeLogging(config)]],
    ['Groups', describeGroups(config, host)],
  ];
  if (hacf.ping.length > 0)
    rows.push(['Ping nodes', hacf.ping.map((p) => `${p.name}: ${p.hosts.join(' ')}`)]);
  if (hacf.respawn.length > 0)
    rows.push(['Respawn', hacf.respawn.map((r) => `${r.user}: ${r.command.join(' ')}`)]);
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return rows
    .flatMap(([label, lines]) =>
      lines.map((line, i) => `${(i === 0 ? label : '').padEnd(width)}${line}`),
    )
    .join('\n');
}

function describeMedium(medium: Medium, host: HostView): string {
  const info = host.interfaces.get(medium.iface);
  const missing = info ? '' : ' (interface not found here)';
  switch (medium.kind) {
    case 'bcast': {
      const target = info?.ipv4.find((a) => a.broadcast)?.broadcast ?? '(no broadcast address)';
      return `bcast ${medium.iface} -> ${target}:${medium.port}${missing}`;
    }
    case 'mcast':
      return `mcast ${medium.iface} -> ${medium.group}:${medium.port} ttl ${medium.ttl} loop ${medium.loop ? 'on' : 'off'}${missing}`;
    case 'ucast': {
      const own = host.localAddresses.has(medium.peer)
        ? ' (our own address: not used on this node)'
        : '';
      return `ucast ${medium.iface} -> ${medium.peer}:${medium.port}${own}${missing}`;
    }
  }
}

function describeStonith(device: StonithDevice): string {
  return device.kind === 'stonith'
    ? `stonith ${device.type}, parameters in ${device.file}`
    : `stonith_host from ${device.from === '*' ? 'any node' : device.from}: ${device.type} (${device.params.length} parameters)`;
}

function describeLogging(config: Config): string {
  const { log } = config.hacf;
  const parts = [
    log.logfile ? `logfile ${log.logfile}` : undefined,
    log.debugfile ? `debugfile ${log.debugfile}` : undefined,
    log.facility ? `syslog ${log.facility}` : undefined,
    `debug ${log.debugLevel}`,
  ];
  return parts.filter(Boolean).join(', ');
}

function describeGroups(config: Config, host: HostView): string[] {
  if (config.groups.length === 0) return ['none (haresources lists no groups)'];
  return config.groups.flatMap((group) => {
    const side = group.home === config.localNode ? 'local' : 'foreign';
    return [
      `${group.name} (home ${group.home}, ${side})`,
      ...group.resources.map((r) => {
        const path = host.agents.get(r.script);
        const command = [r.script, ...r.args].join(' ');
        return `  ${command} -> ${path ?? 'NOT FOUND'}`;
      }),
    ];
  });
}

function hostNote(config: Config, host: HostView): string {
  if (host.strict)
    return 'machine checks: strict (interfaces, agents and programs must exist here)';
  const why = config.hacf.nodes.includes(config.localNode)
    ? 'node given with -n'
    : 'this machine is not a listed node';
  return `machine checks: warnings only (${why})`;
}
