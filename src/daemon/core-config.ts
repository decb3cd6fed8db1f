// What the daemon hands the pure core: the checked configuration, this machine's findings (ping
// addresses, respawn users) and the node's identity, as one ClusterConfig.
import type { ClusterConfig } from '../cluster/cluster-core.js';
import type { PingNodeConfig } from '../cluster/ping-nodes.js';
import type { Config } from '../config/config.js';
import type { HostView } from '../preflight/host-checks.js';
import type { ClientSpec } from '../process/client-runner.js';
import type { NodeIdentity } from './node-identity.js';

export function coreConfig(config: Config, host: HostView, identity: NodeIdentity): ClusterConfig {
  const { hacf } = config;
  return {
    localNode: config.localNode,
    nodes: hacf.nodes,
    uuid: identity.uuid,
    generation: identity.generation,
    keepaliveMs: hacf.keepaliveMs,
    deadtimeMs: hacf.deadtimeMs,
    warntimeMs: hacf.warntimeMs,
    initdeadMs: hacf.initdeadMs,
    links: [...new Set(hacf.media.map((m) => m.iface))],
    hopfudge: hacf.hopfudge,
    pingNodes: pingNodes(config, host),
    deadpingMs: hacf.deadpingMs,
    groups: config.groups,
    autoFailback: hacf.autoFailback,
    fencingConfigured: config.fenceDevices.length > 0,
    clients: respawnClients(config, host).map((spec) => spec.command),
    ipfail: hacf.respawn.some((entry) => entry.ipfail),
    timeouts: config.timeouts,
  };
}

/** Ping nodes by address; hosts that did not resolve were refused at start, or warned about. */
export function pingNodes(config: Config, host: HostView): PingNodeConfig[] {
  return config.hacf.ping.map(({ name, hosts }) => ({
    name,
    addresses: hosts.flatMap((h) => host.pingAddresses.get(h) ?? []),
  }));
}

/** The respawn lines the daemon runs itself (ipfail is built in), with their users' ids. */
export function respawnClients(config: Config, host: HostView): ClientSpec[] {
  return config.hacf.respawn.flatMap((entry) => {
    const ids = host.clientUsers.get(entry.user);
    if (entry.ipfail || !ids) return [];
    return [{ command: entry.command.join(' '), user: entry.user, ids }];
  });
}
