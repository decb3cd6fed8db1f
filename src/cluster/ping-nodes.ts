// Ping nodes as heartbeat keeps them: each `ping` address or `ping_group` is a node of type ping,
// `init` until its first echo reply, `ping` while replies come, `dead` after deadping without one.
// Its one link is named like the node. The state is local: nothing here goes to the peer.
import type { Emitter } from './emitter.js';
import type { Instant } from './types.js';

export interface PingNodeConfig {
  /** The address as written for `ping`, the group name for `ping_group`, lower-case. */
  readonly name: string;
  /** A group is up while any of these answers. */
  readonly addresses: readonly string[];
}

export type PingStatus = 'init' | 'ping' | 'dead';

interface PingNode {
  readonly name: string;
  status: PingStatus;
  /** Arrival of its last reply, or our start before the first. */
  lastReplyAt: number;
  /** A reply arrived since start or since it was declared dead. */
  heard: boolean;
}

export class PingNodes {
  private readonly nodes = new Map<string, PingNode>();
  /** An address may be a `ping` node and a member of a `ping_group` at once. */
  private readonly byAddress = new Map<string, PingNode[]>();

  constructor(
    configs: readonly PingNodeConfig[],
    private readonly warntimeMs: number,
    private readonly emit: Emitter,
  ) {
    for (const config of configs) {
      const node: PingNode = { name: config.name, status: 'init', lastReplyAt: 0, heard: false };
      this.nodes.set(config.name, node);
      for (const address of config.addresses)
        this.byAddress.set(address, [...(this.byAddress.get(address) ?? []), node]);
    }
  }

  get names(): string[] {
    return [...this.nodes.keys()];
  }

  start(at: Instant): void {
    for (const node of this.nodes.values()) node.lastReplyAt = at.mono;
  }

  /** An echo reply from `address`; one that belongs to no ping node is ignored. */
  reply(address: string, at: Instant): void {
    for (const node of this.byAddress.get(address) ?? []) this.answered(node, at);
  }

  private answered(node: PingNode, at: Instant): void {
    if (node.heard) {
      const interval = Math.round(at.mono - node.lastReplyAt);
      if (interval > this.warntimeMs)
        this.emit.log('warn', `Late heartbeat: Node ${node.name}: interval ${interval} ms`);
    }
    node.lastReplyAt = at.mono;
    node.heard = true;
    if (node.status === 'ping') return;
    // heartbeat's order: the link first, then the node's status.
    this.emit.log('info', `Link ${node.name}:${node.name} up.`);
    this.emit.log('info', `Status update for node ${node.name}: status ping`);
    node.status = 'ping';
    this.emit.event({ kind: 'ping-up', node: node.name });
  }

  /** Declares dead every ping node silent for `deadAfter` ms. */
  expire(now: number, deadAfter: number): void {
    for (const node of this.nodes.values()) {
      if (node.status === 'dead' || now < node.lastReplyAt + deadAfter) continue;
      this.emit.log('warn', `node ${node.name}: is dead`);
      this.emit.log('info', `Link ${node.name}:${node.name} dead.`);
      node.status = 'dead';
      node.heard = false;
      this.emit.event({ kind: 'ping-dead', node: node.name });
    }
  }

  nextWakeup(deadAfter: number): number {
    let next = Infinity;
    for (const node of this.nodes.values())
      if (node.status !== 'dead') next = Math.min(next, node.lastReplyAt + deadAfter);
    return next;
  }

  /** Every ping node answered or was declared dead: heartbeat's condition for comm up. */
  get everySeen(): boolean {
    return [...this.nodes.values()].every((n) => n.heard || n.status === 'dead');
  }

  /** How many ping nodes answer now: what ipfail compares. */
  get liveCount(): number {
    return [...this.nodes.values()].filter((n) => n.status === 'ping').length;
  }

  status(name: string): PingStatus | undefined {
    return this.nodes.get(name)?.status;
  }

  /** A ping node's one link, named like the node. */
  linkStatus(name: string, link: string): 'up' | 'dead' | undefined {
    const node = this.nodes.get(name);
    if (!node || link !== name) return undefined;
    return node.status === 'ping' ? 'up' : 'dead';
  }

  heardAgo(name: string, now: number): number | undefined {
    const node = this.nodes.get(name);
    return node?.heard ? now - node.lastReplyAt : undefined;
  }
}
