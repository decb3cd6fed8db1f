// Runs one cluster node: wires config, identity, media, logger, agents, fencing and the core together.
import { ClusterCore } from '../cluster/cluster-core.js';
import { RateLimit } from '../cluster/rate-limit.js';
import type { ResourceSet } from '../cluster/resources/standby.js';
import type { Action } from '../cluster/types.js';
import { fenceNode } from '../fencing/fence.js';
import { AddressHelper } from '../resources/address-helper/address-helper.js';
import { HelperIpaddr } from '../resources/address-helper/helper-ipaddr.js';
import { AgentExecutor, BUNDLED_IPADDR } from '../resources/agent-executor.js';
import type { Config } from '../config/config.js';
import type { ControlReply } from '../control/protocol.js';
import { heartbeatEnv } from '../config/heartbeat-env.js';
import type { HostView } from '../preflight/host-checks.js';
import type { Log } from '../log/logger.js';
import { Media, type IncomingDatagram } from '../net/media.js';
import { planMedia } from '../net/media-plan.js';
import { Pinger } from '../net/pinger.js';
import { ClientRunner } from '../process/client-runner.js';
import { sharedLaunchers } from '../process/spare-launchers.js';
import { encodePacket, verifyPacket } from '../wire/packet.js';
import { coreConfig, pingNodes, respawnClients } from './core-config.js';
import { Clock } from './instant.js';
import type { NodeIdentity } from './node-identity.js';

const BAD_PACKET_REPORT_MS = 10_000;
/** Idle launchers kept at most (each about 0.5 MB of its own, perl's library shared). */
const MAX_SPARE_LAUNCHERS = 4;

export interface RunningNode {
  readonly core: ClusterCore;
  /** An operator's standby or takeover; the result is why it cannot be done, if it cannot. */
  command(kind: 'standby' | 'takeover', set: ResourceSet): string | undefined;
  /** Forgets the failures of one group (by name) or of all, here and on the peer. */
  cleanup(group: string | undefined): ControlReply;
  /** A reload: keys, agent timeouts and fencing devices take effect at once. */
  useConfig(config: Config): void;
  /**
   * Graceful stop: releases every group, says goodbye to the peer, closes the sockets. Starts in
   * flight (a takeover) are killed and rolled back rather than waited for.
   */
  stop(): Promise<void>;
}

export interface NodeSettings {
  /** Scratch space for agents (HA_RSCTMP): ARP sender pid files and the like. */
  readonly agentTempDir: string;
  /** Every line the core logs (not agents' output): the cluster's events, for `status`. */
  readonly onEvent?: (level: Parameters<Log['log']>[0], text: string) => void;
}

export async function startNode(
  config: Config,
  host: HostView,
  identity: NodeIdentity,
  log: Log,
  settings: NodeSettings,
): Promise<RunningNode> {
  const { hacf } = config;
  // What a reload may replace while the node runs.
  let live = config;
  const plan = planMedia(hacf.media, host.interfaces, host.localAddresses);
  if (plan.errors.length > 0) throw new Error(plan.errors.join('\n'));
  const logAgent = (level: Parameters<Log['log']>[0], text: string): void => log.log(level, text);
  const keepLaunchers = (current: Config): void =>
    sharedLaunchers.keep(spareLaunchersFor(current), (text) => log.log('warn', text));
  keepLaunchers(config);
  // Kept ready from the start, so that a takeover's address starts no process.
  const addressHelper = [...host.agents.values()].includes(BUNDLED_IPADDR)
    ? new AddressHelper(logAgent)
    : undefined;
  const executor = new AgentExecutor({
    agents: host.agents,
    env: { ...heartbeatEnv(config), HA_RSCTMP: settings.agentTempDir },
    log: logAgent,
    ...(addressHelper ? { helperIpaddr: new HelperIpaddr(addressHelper, logAgent) } : {}),
  });
  const core = new ClusterCore(coreConfig(config, host, identity));
  let releasedAll: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (releasedAll = resolve));
  const clock = new Clock();
  const badPackets = new RateLimit(BAD_PACKET_REPORT_MS);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  // Packets can arrive while the sockets are still being opened, before `media` is known.
  const out: { media?: Media } = {};

  const reportSocketError = (error: Error, link: string): void => {
    if (badPackets.allow(`socket:${link}`, performance.now()) !== undefined)
      log.log('error', `medium ${link}: ${error.message}`);
  };
  const apply = (actions: Action[]): void => {
    for (const action of actions) {
      if (action.type === 'log') {
        log.log(action.level, action.text);
        settings.onEvent?.(action.level, action.text);
      } else if (action.type === 'send') {
        const packet = encodePacket(action.fields, live.auth.active, {
          innerAuth: hacf.msgfmt === 'classic',
        });
        out.media?.broadcast(packet, reportSocketError);
      } else if (action.type === 'agent') {
        const spec = config.groups[action.group]?.resources[action.resource];
        if (!spec) continue;
        void executor.run(spec, action.operation, action.timeoutMs).then((result) => {
          feed(core.agentDone(action.group, action.resource, result, clock.now()));
        });
      } else if (action.type === 'cancel-starts') {
        executor.cancelStarts();
      } else if (action.type === 'fence') {
        const options = { log: logAgent, timeoutMs: live.timeouts.fenceMs };
        void fenceNode(live.fenceDevices, action.node, options).then((outcome) => {
          feed(core.fenceDone(action.node, outcome.ok, clock.now()));
        });
      } else if (action.type === 'client') clients.run(action.op, action.client);
      else if (action.type === 'stopped') releasedAll();
    }
  };
  const schedule = (): void => {
    if (stopped) return;
    clearTimeout(timer);
    const next = core.nextWakeup();
    // Nothing timed is due (the start-up probe runs): the next event schedules again.
    if (next === Infinity) return;
    const delay = Math.max(0, next - performance.now());
    timer = setTimeout(() => {
      feed(core.tick(clock.now()));
    }, delay);
  };
  /** Carries out what the core decided, then sleeps until it next needs a tick. */
  const feed = (actions: Action[]): void => {
    apply(actions);
    schedule();
  };
  const onPacket = ({ bytes, link, from }: IncomingDatagram): void => {
    if (stopped) return;
    const result = verifyPacket(bytes, live.auth.entries);
    if (!result.ok) {
      const suppressed = badPackets.allow(`bad:${from}`, performance.now());
      if (suppressed !== undefined) {
        const more = suppressed > 0 ? ` (${suppressed} more since last report)` : '';
        log.log('error', `dropped packet from ${from} on ${link}: ${result.error}${more}`);
      }
      return;
    }
    feed(core.receive(result.fields, link, clock.now()));
  };

  const clients = new ClientRunner(respawnClients(config, host), {
    env: { ...process.env, ...heartbeatEnv(config) },
    log: logAgent,
    started: (index) => {
      feed(core.clientStarted(index, clock.now()));
    },
    exited: (index, exit) => {
      feed(core.clientExited(index, exit, clock.now()));
    },
  });
  const pinger = new Pinger({
    addresses: [...new Set(pingNodes(config, host).flatMap((p) => p.addresses))],
    intervalMs: hacf.keepaliveMs,
    onReply: (address) => {
      if (stopped) return;
      // A reply that changes nothing only moves a deadline later: the timer already set is early
      // at worst, and its tick costs less than setting a new one twenty times a second.
      const actions = core.pingReply(address, clock.now());
      if (actions.length > 0) feed(actions);
    },
    log: (level, text) => log.log(level, text),
  });

  clock.start();
  out.media = await Media.open(plan, { onPacket, onError: reportSocketError });
  feed(core.start(clock.now()));
  pinger.start();
  return {
    core,
    command(kind, set) {
      if (stopped) return 'this node is stopping';
      const { refused, actions } = core.command(kind, set, clock.now());
      feed(actions);
      return refused;
    },
    cleanup(name) {
      const names = config.groups.map((group) => group.name);
      const index = names.indexOf(name ?? '');
      if (name !== undefined && index < 0) {
        const known = names.join(', ') || 'none';
        return { ok: false, error: `no resource group "${name}" (groups: ${known})` };
      }
      const groups = name === undefined ? names.map((_, i) => i) : [index];
      feed(core.cleanup(groups, clock.now()));
      const what = name ?? 'every group';
      return {
        ok: true,
        message: `failures of ${what} forgotten on ${config.localNode}, and on the peer if it runs`,
      };
    },
    useConfig(next) {
      live = next;
      core.useTimeouts(next.timeouts);
      keepLaunchers(next);
    },
    async stop() {
      if (stopped) return;
      feed(core.stop(clock.now()));
      await released;
      stopped = true;
      clearTimeout(timer);
      await pinger.stop();
      clock.stop();
      sharedLaunchers.keep(0);
      addressHelper?.close();
      await out.media?.close();
    },
  };
}

/** Enough ready launchers for a takeover: fencing (gethosts, reset), then the longest group. */
function spareLaunchersFor(config: Config): number {
  const longest = Math.max(0, ...config.groups.map((group) => group.resources.length));
  const fencing = config.fenceDevices.length > 0 ? 2 : 0;
  return Math.min(MAX_SPARE_LAUNCHERS, longest + fencing);
}
