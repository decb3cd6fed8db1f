// The whole pure core of one node: membership and resource ownership, fed by the daemon and
// returning what to do. Membership news and peer messages go up to ownership inside the core.
import type { ResourceGroup } from '../config/haresources.js';
import type { AutoFailback } from '../config/hacf/types.js';
import type { Message } from '../wire/message.js';
import { Clients, type ClientExit } from './clients.js';
import { Membership } from './membership.js';
import { groupInfos } from './resources/groups.js';
import { Ownership } from './resources/ownership.js';
import type { ResourceSet } from './resources/standby.js';
import type { Action, GroupOutcome, Instant, MembershipConfig } from './types.js';

export interface ClusterConfig extends MembershipConfig {
  readonly groups: readonly ResourceGroup[];
  readonly autoFailback: AutoFailback;
  readonly fencingConfigured: boolean;
  /** Start-up status probe of each group: what already runs here. */
  readonly found?: readonly ('running' | 'partial' | 'stopped')[];
  /** The command lines of the `respawn` clients, in ha.cf order. */
  readonly clients?: readonly string[];
}

export class ClusterCore {
  readonly membership: Membership;
  readonly ownership: Ownership;
  readonly clients: Clients;
  private stopRequested = false;

  constructor(config: ClusterConfig) {
    this.membership = new Membership(config);
    const peer = config.nodes.find((n) => n !== config.localNode);
    this.ownership = new Ownership(
      {
        localNode: config.localNode,
        peer,
        groups: groupInfos(config.groups, config.localNode),
        autoFailback: config.autoFailback,
        fencingConfigured: config.fencingConfigured,
        ...(config.found ? { found: config.found } : {}),
      },
      this.membership.emitter,
    );
    this.clients = new Clients(config.clients ?? [], this.membership.emitter);
  }

  start(at: Instant): Action[] {
    this.ownership.start();
    return this.route(this.membership.start(at), at);
  }

  tick(at: Instant): Action[] {
    const actions = this.membership.tick(at);
    this.ownership.tick(at);
    this.clients.tick(at);
    return this.route(actions, at);
  }

  /** An ICMP echo reply arrived from `address` (a ping node or a member of a ping_group). */
  pingReply(address: string, at: Instant): Action[] {
    return this.route(this.membership.pingReply(address, at), at);
  }

  receive(fields: Message, link: string, at: Instant): Action[] {
    return this.route(this.membership.receive(fields, link, at), at);
  }

  groupDone(group: number, outcome: GroupOutcome, at: Instant): Action[] {
    this.ownership.onGroupDone(group, outcome, at);
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
    const refused = this.ownership.command(kind, set, at);
    return { ...(refused === undefined ? {} : { refused }), actions: this.route([], at) };
  }

  /** Graceful stop: release every group, then tell the peer; ends with a `stopped` action. */
  stop(at: Instant): Action[] {
    this.stopRequested = true;
    this.clients.endRestarts();
    this.ownership.stop(at);
    return this.route([], at);
  }

  nextWakeup(): number {
    return Math.min(
      this.membership.nextWakeup(),
      this.ownership.nextWakeup(),
      this.clients.nextWakeup(),
    );
  }

  private route(actions: readonly Action[], at: Instant): Action[] {
    const out: Action[] = [];
    for (const action of actions) {
      if (action.type === 'membership') {
        this.ownership.onMembership(action.event, at);
        if (action.event.kind === 'comm-up') this.clients.startAll();
      } else if (action.type === 'deliver')
        this.ownership.onMessage(action.from, action.fields, at);
      else out.push(action);
    }
    // heartbeat's order on stop: groups released, then the clients, then goodbye to the peers.
    if (this.stopRequested && this.ownership.phase === 'stopped') this.clients.stopAll(at);
    out.push(...this.membership.emitter.flush());
    if (this.stopRequested && this.clients.stopped) {
      this.stopRequested = false;
      out.push(...this.membership.stop(at), { type: 'stopped' });
    }
    return out;
  }
}
