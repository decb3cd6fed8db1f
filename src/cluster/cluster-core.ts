// The whole pure core of one node: membership and resource ownership, fed by the daemon and
// returning what to do. Membership news and peer messages go up to ownership inside the core.
import type { ResourceGroup } from '../config/haresources.js';
import type { AutoFailback } from '../config/hacf/types.js';
import type { Message } from '../wire/message.js';
import { Clients, type ClientExit } from './clients.js';
import { viewCore, type ViewedParts } from './core-view.js';
import { IPFAIL_MESSAGES, Ipfail } from './ipfail.js';
import { Membership } from './membership.js';
import { GroupSequencer, type OperationTimeouts } from './resources/group-sequencer.js';
import { groupInfos } from './resources/groups.js';
import { Ownership } from './resources/ownership.js';
import { StartupProbe } from './resources/startup-probe.js';
import type { ResourceSet } from './resources/standby.js';
import { getString } from '../wire/message.js';
import type { Action, AgentResult, Instant, MembershipConfig, MembershipEvent } from './types.js';
import type { CoreView } from './view.js';

export interface ClusterConfig extends MembershipConfig {
  readonly groups: readonly ResourceGroup[];
  readonly autoFailback: AutoFailback;
  readonly fencingConfigured: boolean;
  /** The command lines of the `respawn` clients, in ha.cf order. */
  readonly clients?: readonly string[];
  /** A `respawn ... /ipfail` line: run heartbeat's ipfail, built in. */
  readonly ipfail?: boolean;
  /** timeouts.ini: how long each agent operation may take. */
  readonly timeouts: OperationTimeouts;
}

export class ClusterCore {
  readonly membership: Membership;
  readonly ownership: Ownership;
  readonly clients: Clients;
  readonly sequencer: GroupSequencer;
  private ipfail: Ipfail | undefined;
  private stopRequested = false;
  /** Until every resource's start-up status is in, the node does not join. */
  private readonly probe: StartupProbe;
  private joined = false;
  private stopWhenJoined = false;
  private readonly autoFailback: AutoFailback;
  private timeouts: OperationTimeouts;
  private readonly viewed: ViewedParts;

  constructor(config: ClusterConfig) {
    this.membership = new Membership(config);
    this.autoFailback = config.autoFailback;
    const peer = config.nodes.find((n) => n !== config.localNode);
    const groups = groupInfos(config.groups, config.localNode);
    this.ownership = new Ownership(
      {
        localNode: config.localNode,
        peer,
        groups,
        autoFailback: config.autoFailback,
        fencingConfigured: config.fencingConfigured,
        monitorSettings: (spec) => config.timeouts.monitorFor(spec),
        runMonitor: (group, resource, timeoutMs) =>
          this.sequencer.monitor(group, resource, timeoutMs),
        abandonAcquire: (group) => {
          this.sequencer.abandon(group);
        },
      },
      this.membership.emitter,
    );
    this.sequencer = new GroupSequencer(groups, config.timeouts, this.membership.emitter, {
      done: (group, outcome, at) => {
        this.ownership.onGroupDone(group, outcome, at);
      },
      monitored: (group, resource, result, at) => {
        this.ownership.onMonitorResult(group, resource, result, at);
      },
    });
    this.clients = new Clients(config.clients ?? [], this.membership.emitter);
    this.ipfail = config.ipfail ? this.makeIpfail(config) : undefined;
    this.viewed = { ...config, membership: this.membership, ownership: this.ownership };
    this.probe = new StartupProbe(groups);
    this.timeouts = config.timeouts;
  }

  /** What status and tests see of this node: a read-only copy, made now. */
  view(at: Instant): CoreView {
    return viewCore(this.viewed, at);
  }

  /** Probes what already runs here, then joins the cluster. */
  start(at: Instant): Action[] {
    this.probe.begin(this.timeouts, this.membership.emitter);
    return this.probe.done ? this.join(at) : this.route([], at);
  }

  tick(at: Instant): Action[] {
    if (!this.joined) return [];
    const actions = this.membership.tick(at);
    this.ownership.tick(at);
    this.sequencer.tick(at);
    this.clients.tick(at);
    this.ipfail?.tick(at);
    return this.route(actions, at);
  }

  /** An ICMP echo reply arrived from `address` (a ping node or a member of a ping_group). */
  pingReply(address: string, at: Instant): Action[] {
    if (!this.joined) return [];
    return this.route(this.membership.pingReply(address, at), at);
  }

  /** A verified packet; ignored until the node joins, as if its sockets were not open yet. */
  receive(fields: Message, link: string, at: Instant): Action[] {
    if (!this.joined) return [];
    return this.route(this.membership.receive(fields, link, at), at);
  }

  /** One agent operation of a group ended (resource: its index in the group). */
  agentDone(group: number, resource: number, result: AgentResult, at: Instant): Action[] {
    if (!this.joined) {
      this.probe.answer(group, resource, result);
      this.sequencer.learned(group, resource, result);
      return this.probe.done ? this.join(at) : [];
    }
    this.sequencer.agentDone(group, resource, result, at);
    return this.route([], at);
  }

  /** A reload's timeouts.ini applies from the next agent operation on. */
  useTimeouts(timeouts: OperationTimeouts): void {
    this.timeouts = timeouts;
    this.sequencer.useTimeouts(timeouts);
    this.ownership.monitoring.monitors.useSettings((spec) => timeouts.monitorFor(spec));
  }

  /** An operator's cleanup of the given groups' failures here. */
  cleanup(groups: readonly number[], at: Instant): Action[] {
    if (!this.joined) return [];
    this.ownership.cleanup(groups, at);
    return this.route([], at);
  }

  /** A respawn client's process started. */
  clientStarted(client: number, at: Instant): Action[] {
    this.clients.started(client);
    return this.route([], at);
  }

  /** A respawn client's process ended (or could not be started). */
  clientExited(client: number, exit: ClientExit, at: Instant): Action[] {
    this.clients.exited(client, exit, at);
    return this.route([], at);
  }

  fenceDone(node: string, ok: boolean, at: Instant): Action[] {
    this.ownership.onFenceDone(node, ok, at);
    return this.route([], at);
  }

  /** An operator moves groups (hb_standby, hb_takeover); a string result is why it cannot. */
  command(
    kind: 'standby' | 'takeover',
    set: ResourceSet,
    at: Instant,
  ): { refused?: string; actions: Action[] } {
    if (!this.joined) return { refused: 'this node is still starting', actions: [] };
    const refused = this.ownership.command(kind, set, at);
    return { ...(refused === undefined ? {} : { refused }), actions: this.route([], at) };
  }

  /** Graceful stop: release every group, then tell the peer; ends with a `stopped` action. */
  stop(at: Instant): Action[] {
    // Stopped while probing: it joins, to release what it found, then stops.
    if (!this.joined) {
      this.stopWhenJoined = true;
      return [];
    }
    this.stopRequested = true;
    this.clients.endRestarts();
    // A stop does not wait for a takeover: starts in flight are killed and rolled back.
    this.sequencer.cancelStarts();
    this.ownership.stop(at);
    return this.route([], at);
  }

  nextWakeup(): number {
    if (!this.joined) return Infinity;
    return Math.min(
      this.membership.nextWakeup(),
      this.ownership.nextWakeup(),
      this.sequencer.nextWakeup(),
      this.clients.nextWakeup(),
      this.ipfail?.nextWakeup() ?? Infinity,
    );
  }

  private join(at: Instant): Action[] {
    this.joined = true;
    this.ownership.start(this.probe.found());
    const actions = this.route(this.membership.start(at), at);
    return this.stopWhenJoined ? [...actions, ...this.stop(at)] : actions;
  }

  private route(actions: readonly Action[], at: Instant): Action[] {
    const out: Action[] = [];
    for (const action of actions) {
      if (action.type === 'membership') {
        this.ownership.onMembership(action.event, at);
        if (action.event.kind === 'comm-up') this.clients.startAll();
        this.ipfailHears(action.event, at);
      } else if (action.type === 'deliver') {
        const type = getString(action.fields, 't') ?? '';
        const forIpfail = type === 'hbapi-clstat' || IPFAIL_MESSAGES.has(type);
        if (forIpfail || type === 'resource')
          this.ipfail?.onMessage(action.from, action.fields, at);
        if (!forIpfail) this.ownership.onMessage(action.from, action.fields, at);
      } else out.push(action);
    }
    // heartbeat's order on stop: groups released, then the clients, then goodbye to the peers.
    if (this.stopRequested && this.ownership.phase === 'stopped') this.clients.stopAll(at);
    out.push(...this.sequenced(at));
    if (this.stopRequested && this.clients.stopped) {
      this.stopRequested = false;
      out.push(...this.membership.stop(at), { type: 'stopped' });
    }
    return out;
  }

  /**
   * The emitter's actions, each group operation turned into its agent operations. A sequence can
   * end at once (nothing to run), and ownership's answer to that may begin another.
   */
  private sequenced(at: Instant): Action[] {
    const out: Action[] = [];
    for (let batch = this.membership.emitter.flush(); batch.length > 0;) {
      for (const action of batch) {
        if (action.type === 'group')
          this.sequencer.begin(action.group, action.op, at, action.from ?? 0);
        else out.push(action);
      }
      batch = this.membership.emitter.flush();
    }
    return out;
  }

  private ipfailHears(event: MembershipEvent, at: Instant): void {
    if (!this.ipfail) return;
    if (event.kind === 'comm-up') {
      // heartbeat's ipfail exits at once (code 100, not respawned) without these.
      const refusal =
        this.ownership.groups.length === 0
          ? 'No managed resources'
          : this.autoFailback === 'legacy'
            ? 'auto_failback set to incompatible legacy option.'
            : undefined;
      if (refusal === undefined) {
        this.ipfail.signOn(at);
        return;
      }
      this.membership.emitter.log('error', `ipfail: ${refusal}`);
      this.ipfail = undefined;
    } else if (event.kind === 'ping-up') this.ipfail.pingNodeUp(event.node, at);
    else if (event.kind === 'ping-dead') this.ipfail.pingNodeDead(event.node, at);
    else if (event.kind === 'peer-dead') this.ipfail.nodeDead(event.node);
  }

  private makeIpfail(config: ClusterConfig): Ipfail {
    const { ownership, membership } = this;
    return new Ipfail(
      {
        localNode: config.localNode,
        peer: config.nodes.find((n) => n !== config.localNode),
        keepaliveMs: config.keepaliveMs,
        autoFailback: config.autoFailback === 'on',
        livePingNodes: () => membership.livePingNodes,
        stable: () => ownership.resourceState() !== 'transition',
        holdsForeign: () => ownership.groups.some((g) => !g.info.local && g.holding === 'running'),
        standby: (set, at) => ownership.command('standby', set, at),
        peerIsLegacy: () => ownership.peer?.report?.exact === false,
      },
      membership.emitter,
    );
  }
}
