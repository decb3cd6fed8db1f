// A simulated two-node network for the membership core: scripted clock, links that can be cut,
// packets really signed and verified with each node's authkeys. A node can stand for a heartbeat
// 3.0.6 peer: its heartbeats are our membership's, its resource messages come from the scenario.
import { Diagnostics } from '../../src/config/diagnostics.js';
import { parseAuthkeys, type AuthKeys } from '../../src/config/authkeys.js';
import { ClusterCore, type ClusterConfig } from '../../src/cluster/cluster-core.js';
import type { PingNodeConfig } from '../../src/cluster/ping-nodes.js';
import type { ResourceSet } from '../../src/cluster/resources/standby.js';
import { NOT_MONITORED } from '../../src/cluster/resources/monitors.js';
import type { ClientExit } from '../../src/cluster/clients.js';
import type { Action, ClientOp, Instant, MonitorSettings } from '../../src/cluster/types.js';
import type { AutoFailback } from '../../src/config/hacf/types.js';
import type { Level } from '../../src/log/levels.js';
import { getString, stringField } from '../../src/wire/message.js';
import { encodePacket, verifyPacket } from '../../src/wire/packet.js';
import { Excuses } from './excuses.js';
import { excusesFromLog, repeatedOnceLine } from './sim-audit.js';
import { Transcript } from './transcript.js';
import { ResourceWorld } from './sim-resources.js';

export interface LogRecord {
  readonly at: number;
  readonly level: Level;
  readonly text: string;
}

export interface SimNode {
  readonly name: string;
  core: ClusterCore;
  keys: AuthKeys;
  generation: number;
  running: boolean;
  started: boolean;
  /** The core is not run before this time (a stalled process); packets wait. */
  stalledUntil: number;
  readonly logs: LogRecord[];
  lastStatusSent: number;
  readonly inbox: { at: number; bytes: Buffer; link: string; replayed?: boolean }[];
  /** After a fencing reset: when it has booted and its daemon starts. */
  bootAt: number;
  /** When it last got a heartbeat its peer sent just then (not a replay), for the audit. */
  lastHeard: number;
  /** Packets this node sent since `capture`, for replaying them later. */
  captured: Buffer[] | undefined;
  /** How far its wall clock was stepped (NTP, an operator): decisions must not depend on it. */
  wallOffsetMs: number;
  /** The once-per-life lines (sim-audit.ts) this daemon has logged since it started. */
  readonly loggedOnce: Set<string>;
  /** How many of its next packets arrive `delayMs` late, overtaken by the ones after them. */
  delayNext: number;
  delayMs: number;
  /** How many of its next packets the network loses (once `passBeforeDrop` more got through). */
  dropNext: number;
  passBeforeDrop: number;
  /** A heartbeat 3.0.6 node: the scenario says its resource messages; it runs no agents itself. */
  legacy: boolean;
  /** Messages it sent other than heartbeats and protocol traffic, since start or `forget`. */
  readonly sent: { at: number; fields: Record<string, string> }[];
  /** When it next sends an ICMP echo to every ping address (the edge's rhythm: each keepalive). */
  nextEchoAt: number;
  /** Its respawn clients' processes, by client index. */
  readonly clients: Map<number, SimClient>;
  /** Process news to report to the core: a client started or exited. */
  readonly clientNews: { at: number; client: number; exit?: ClientExit }[];
}

interface SimClient {
  running: boolean;
  startedAt: number;
  starts: number;
  /** It ignores SIGTERM; only SIGKILL ends it. */
  ignoresTerm: boolean;
}

/** How long a process takes to start, and to exit on SIGTERM or SIGKILL. */
const CLIENT_START_MS = 1;
const CLIENT_EXIT_MS = 5;

/** Message types of the resource layer: a legacy node's come from the scenario, not its core. */
const RESOURCE_MESSAGES = new Set(['starting', 'resource', 'ask_resources', 'hb_takeover']);
/** Traffic that `sent` leaves out: heartbeats, node lists, acknowledgements, retransmissions. */
const PROTOCOL_MESSAGES = new Set(['status', 'NS_ackmsg', 'reqnodes', 'repnodes', 'NS_rexmit']);

export interface Timing {
  keepaliveMs: number;
  deadtimeMs: number;
  warntimeMs: number;
  initdeadMs: number;
  deadpingMs?: number;
}

const LATENCY_MS = 0.2;
/** How long a node reset by fencing takes to boot and start its daemon. */
const REBOOT_MS = 60_000;
const MAX_EVENTS = 2_000_000;
/** A core that wants a tick at the same instant this often has a deadline it never takes. */
const MAX_EVENTS_AT_ONE_INSTANT = 10_000;

export class Sim {
  now = 0;
  readonly nodes = new Map<string, SimNode>();
  /** Cut links as "node:link"; a cut link carries nothing in or out of that node. */
  readonly cut = new Set<string>();
  autoFailback: AutoFailback = 'on';
  fencingConfigured = false;
  readonly pingNodes: PingNodeConfig[] = [];
  /** timeouts.ini's monitoring, by resource. */
  readonly monitorSettings = new Map<string, MonitorSettings>();
  /** Every node has a `respawn ... /ipfail` line. */
  ipfail = false;
  /** `respawn` clients of every node, by name, in order. */
  readonly clientNames: string[] = [];
  /** "node:address": that node's echoes to that address get no reply (its uplink is down). */
  readonly unreachable = new Set<string>();
  readonly excuses = new Excuses();
  /** Lines a daemon must log once per life that it logged again: "time node: text". */
  readonly repeatedLines: string[] = [];
  /** Every message (but heartbeats and protocol traffic) and log line, in order, for golden files. */
  readonly transcript = new Transcript();
  readonly world = new ResourceWorld({
    agentDone: (node, group, resource, result) => {
      const sim = this.node(node);
      if (sim.running)
        this.apply(sim, sim.core.agentDone(group, resource, result, this.instant(sim)));
    },
    fenceDone: (node, target, ok) => {
      const sim = this.node(node);
      if (sim.running) this.apply(sim, sim.core.fenceDone(target, ok, this.instant(sim)));
    },
    ran: (node, op, at) => {
      this.transcript.note(at, node, `ran ${op}`);
    },
    // A STONITH reset is a reboot: the node is down, then its daemon starts again at boot.
    reset: (node) => {
      this.crash(node);
      this.node(node).bootAt = this.now + REBOOT_MS;
    },
  });

  constructor(
    readonly names: string[],
    readonly links: string[],
    readonly timing: Timing,
  ) {
    names.forEach((name, i) => {
      this.nodes.set(name, {
        name,
        core: this.makeCore(name, 100 + i),
        keys: keysFrom('auth 1\n1 sha1 shared-secret\n'),
        generation: 100 + i,
        running: false,
        started: false,
        stalledUntil: 0,
        logs: [],
        lastStatusSent: -1,
        inbox: [],
        captured: undefined,
        dropNext: 0,
        passBeforeDrop: 0,
        delayNext: 0,
        delayMs: 0,
        wallOffsetMs: 0,
        loggedOnce: new Set(),
        legacy: false,
        lastHeard: 0,
        bootAt: Infinity,
        sent: [],
        nextEchoAt: Infinity,
        clients: new Map(),
        clientNews: [],
      });
    });
  }

  node(name: string): SimNode {
    const node = this.nodes.get(name);
    if (!node) throw new Error(`no node ${name}`);
    return node;
  }

  setKeys(name: string, text: string): void {
    this.node(name).keys = keysFrom(text);
  }

  start(name: string): void {
    const node = this.node(name);
    // Built at first start, so the scenario's groups and settings are in place.
    if (!node.started) node.core = this.makeCore(name, node.generation);
    node.started = true;
    node.loggedOnce.clear();
    node.running = true;
    // The pinger starts with the daemon, half a keepalive out of step with the heartbeats.
    node.nextEchoAt = this.now + this.timing.keepaliveMs / 2;
    this.apply(node, node.core.start(this.instant(node)));
  }

  /** Graceful stop: the core releases its groups and says goodbye, then the process is gone. */
  stop(name: string): void {
    const node = this.node(name);
    // As `heartbeat stop` on a node whose daemon is gone: nothing to stop.
    if (!node.running) return;
    this.apply(node, node.core.stop(this.instant(node)));
  }

  /** An operator's standby or takeover; a refusal is logged as `refused: <reason>`. */
  command(name: string, kind: 'standby' | 'takeover', set: ResourceSet): void {
    const node = this.node(name);
    if (!node.running) return;
    const { refused, actions } = node.core.command(kind, set, this.instant(node));
    if (refused !== undefined)
      node.logs.push({ at: this.now, level: 'warn', text: `refused: ${refused}` });
    this.apply(node, actions);
  }

  /** An operator's `heartbeat cleanup [GROUP]` on that node. */
  cleanup(name: string, group: string | undefined): void {
    const node = this.node(name);
    if (!node.running) return;
    const all = this.world.groups.map((_, i) => i);
    const groups = group === undefined ? all : [this.world.groupIndex(group)];
    this.apply(node, node.core.cleanup(groups, this.instant(node)));
  }

  /** A respawn client of that node exits on its own (code, or a signal name). */
  clientExits(name: string, client: string, how: string): void {
    const node = this.node(name);
    const index = this.clientNames.indexOf(client);
    const process = node.clients.get(index);
    if (!process?.running) throw new Error(`${client} does not run on ${name}`);
    this.endClient(node, index, /^\d+$/.test(how) ? Number(how) : how, this.now);
  }

  /** The client process, if that node ever started it. */
  client(name: string, client: string): SimClient | undefined {
    return this.node(name).clients.get(this.clientNames.indexOf(client));
  }

  private endClient(node: SimNode, index: number, how: number | string, at: number): void {
    const process = node.clients.get(index);
    if (!process) return;
    process.running = false;
    const exit = {
      code: typeof how === 'number' ? how : undefined,
      signal: typeof how === 'string' ? how : undefined,
      ranMs: at - process.startedAt,
    };
    node.clientNews.push({ at, client: index, exit });
  }

  private runClient(node: SimNode, op: ClientOp, index: number): void {
    const process = node.clients.get(index);
    if (op === 'start') {
      const next = {
        running: true,
        startedAt: this.now + CLIENT_START_MS,
        starts: (process?.starts ?? 0) + 1,
        ignoresTerm: process?.ignoresTerm ?? false,
      };
      node.clients.set(index, next);
      node.clientNews.push({ at: next.startedAt, client: index });
    } else if (process?.running && (op === 'kill' || !process.ignoresTerm)) {
      this.endClient(node, index, op === 'kill' ? 'SIGKILL' : 'SIGTERM', this.now + CLIENT_EXIT_MS);
    }
  }

  /** Only the daemon dies (kill -9): what it started keeps running. */
  killDaemon(name: string): void {
    const node = this.node(name);
    node.running = false;
    node.inbox.length = 0;
    this.world.killAgents(name);
  }

  /** The whole node goes down: daemon, agents and services. */
  crash(name: string): void {
    const node = this.node(name);
    node.running = false;
    node.inbox.length = 0;
    node.clients.clear();
    node.clientNews.length = 0;
    this.world.lose(name, this.now);
  }

  /** Every node whose daemon is not running (stopped, killed, crashed or fenced) starts again. */
  revive(): void {
    for (const name of this.names) if (!this.node(name).running) this.restart(name);
  }

  /** A new process: the same UUID, the next generation, sequence numbers from 1 again. */
  restart(name: string): void {
    const node = this.node(name);
    node.generation++;
    node.core = this.makeCore(name, node.generation);
    this.start(name);
  }

  /** A legacy node sends what a heartbeat 3.0.6 node would, as the scenario writes it. */
  say(name: string, pairs: Record<string, string>): void {
    const node = this.node(name);
    const fields = Object.entries(pairs).map(([key, value]) => stringField(key, value));
    node.core.membership.emitter.send(fields, this.instant(node));
    this.apply(node, node.core.membership.emitter.flush(), true);
  }

  capture(name: string): void {
    this.node(name).captured = [];
  }

  /** Delivers again, now, every packet `from` sent since capture started. */
  replay(from: string, to: string): void {
    const target = this.node(to);
    for (const bytes of this.node(from).captured ?? []) {
      target.inbox.push({ at: this.now, bytes, link: this.links[0] ?? 'eth0', replayed: true });
    }
  }

  delay(name: string, ms: number, count: number): void {
    this.node(name).delayMs = ms;
    this.node(name).delayNext = count;
    // Late packets silence the node as lost ones do, for as long as they are late.
    this.excuses.add(this.now, this.now + ms + (count + 1) * this.timing.keepaliveMs);
  }

  drop(name: string, count: number, passed = 0): void {
    this.node(name).dropNext = count;
    this.node(name).passBeforeDrop = passed;
    // Lost packets silence the node as a short partition would, heartbeats every keepalive.
    this.excuses.add(this.now, this.now + (passed + count + 1) * this.timing.keepaliveMs);
  }

  stall(name: string, ms: number): void {
    this.node(name).stalledUntil = this.now + ms;
    this.excuses.add(this.now, this.now + ms);
  }

  run(ms: number): void {
    const end = this.now + ms;
    let sameInstant = 0;
    for (let events = 0; events < MAX_EVENTS; events++) {
      const next = this.nextEventTime();
      if (next > end) break;
      sameInstant = next <= this.now ? sameInstant + 1 : 0;
      if (sameInstant > MAX_EVENTS_AT_ONE_INSTANT) throw new Error(this.stuckAt());
      this.now = Math.max(this.now, next);
      this.world.runDue(this.now);
      for (const node of this.nodes.values()) {
        if (node.bootAt > this.now) continue;
        node.bootAt = Infinity;
        if (!node.running) this.restart(node.name);
      }
      for (const node of this.nodes.values()) this.step(node);
    }
    this.now = end;
  }

  private stuckAt(): string {
    const due = [...this.nodes.values()]
      .filter((n) => n.running && n.core.nextWakeup() <= this.now)
      .map((n) => n.name);
    return `the clock is stuck at ${this.now} ms: ${due.join(' and ') || 'the agents'} asks for a tick at this instant again and again, and the tick changes nothing`;
  }

  private step(node: SimNode): void {
    if (!node.running || this.now < node.stalledUntil) return;
    const due = node.inbox.filter((p) => p.at <= this.now);
    node.inbox.splice(0, node.inbox.length, ...node.inbox.filter((p) => p.at > this.now));
    for (const packet of due) {
      const result = verifyPacket(packet.bytes, node.keys.entries);
      if (!result.ok) {
        node.logs.push({ at: this.now, level: 'error', text: `rejected packet: ${result.error}` });
        continue;
      }
      const fromPeer = getString(result.fields, 'src') !== node.name;
      const heartbeat = getString(result.fields, 't') === 'status';
      if (!packet.replayed && fromPeer && heartbeat) node.lastHeard = this.now;
      this.apply(node, node.core.receive(result.fields, packet.link, this.instant(node)));
    }
    if (node.core.nextWakeup() <= this.now) this.apply(node, node.core.tick(this.instant(node)));
    const news = node.clientNews.filter((n) => n.at <= this.now);
    node.clientNews.splice(
      0,
      node.clientNews.length,
      ...node.clientNews.filter((n) => n.at > this.now),
    );
    for (const { client, exit } of news) {
      const actions = exit
        ? node.core.clientExited(client, exit, this.instant(node))
        : node.core.clientStarted(client, this.instant(node));
      this.apply(node, actions);
    }
    if (this.now >= node.nextEchoAt) {
      node.nextEchoAt += this.timing.keepaliveMs;
      for (const address of this.pingNodes.flatMap((p) => p.addresses)) {
        if (this.unreachable.has(`${node.name}:${address}`)) continue;
        this.apply(node, node.core.pingReply(address, this.instant(node)));
      }
    }
  }

  private nextEventTime(): number {
    let next = Math.min(
      this.world.nextEventTime(),
      ...[...this.nodes.values()].map((n) => n.bootAt),
    );
    for (const node of this.nodes.values()) {
      if (!node.running) continue;
      const ready = Math.max(node.stalledUntil, node.core.nextWakeup());
      next = Math.min(
        next,
        ready,
        Math.max(node.nextEchoAt, node.stalledUntil),
        ...node.clientNews.map((n) => Math.max(n.at, node.stalledUntil)),
        ...node.inbox.map((p) => Math.max(p.at, node.stalledUntil)),
      );
    }
    return next;
  }

  private apply(node: SimNode, actions: Action[], scripted = false): void {
    for (const action of actions) {
      if (action.type === 'log') {
        node.logs.push({ at: this.now, level: action.level, text: action.text });
        this.transcript.note(this.now, node.name, `${action.level}: ${action.text}`);
        excusesFromLog(this, node, action.text);
        const repeated = repeatedOnceLine(node, action.text);
        if (repeated) this.repeatedLines.push(`${this.now} ${node.name}: ${repeated}`);
      }
      if (node.legacy && !scripted && (action.type === 'agent' || action.type === 'fence'))
        continue;
      if (action.type === 'agent') {
        const { group, resource, operation, timeoutMs } = action;
        this.world.startAgent(node.name, group, resource, operation, this.now, timeoutMs);
        // An agent that hangs keeps the group here until its timeout, whatever the peer does: a
        // start or stop under way is waited for (as Pacemaker does too), and so is a monitor,
        // which a release waits behind (a hung monitor is not cancelled yet).
        const text = this.world.groups[group]?.resources[resource]?.text ?? '';
        if (this.world.hangs.has(`${node.name}:${operation}:${text}`))
          this.excuses.add(this.now, this.now + timeoutMs);
      }
      if (action.type === 'cancel-starts') this.world.cancelStarts(node.name, this.now);
      if (action.type === 'fence') this.world.startFence(node.name, action.node, this.now);
      if (action.type === 'client') this.runClient(node, action.op, action.client);
      // After a graceful stop the groups are released and the clients gone: only the daemon ends.
      if (action.type === 'stopped') {
        node.running = false;
        node.inbox.length = 0;
      }
      if (action.type !== 'send') continue;
      const type = getString(action.fields, 't') ?? '';
      if (node.legacy && !scripted && RESOURCE_MESSAGES.has(type)) continue;
      if (!PROTOCOL_MESSAGES.has(type)) {
        const pairs = action.fields.flatMap((f): [string, string][] =>
          f.type === 0 ? [[f.name, f.value]] : [],
        );
        node.sent.push({ at: this.now, fields: Object.fromEntries(pairs) });
        this.transcript.sent(this.now, node.name, pairs);
      }
      if (action.fields.some((f) => f.name === 't' && f.type === 0 && f.value === 'status')) {
        node.lastStatusSent = this.now;
      }
      const bytes = encodePacket(action.fields, node.keys.active, { innerAuth: true });
      node.captured?.push(bytes);
      if (node.passBeforeDrop > 0) node.passBeforeDrop--;
      else if (node.dropNext > 0) {
        node.dropNext--;
        continue;
      }
      let latency = LATENCY_MS;
      if (node.delayNext > 0) {
        node.delayNext--;
        latency += node.delayMs;
      }
      for (const link of this.links) {
        if (this.cut.has(`${node.name}:${link}`)) continue;
        for (const other of this.nodes.values()) {
          if (!other.running || this.cut.has(`${other.name}:${link}`)) continue;
          other.inbox.push({ at: this.now + latency, bytes, link });
        }
      }
    }
  }

  private makeCore(name: string, generation: number): ClusterCore {
    const config: ClusterConfig = {
      localNode: name,
      nodes: this.names,
      uuid: Uint8Array.from(Buffer.alloc(16, this.names.indexOf(name) + 1)),
      generation,
      links: this.links,
      hopfudge: 1,
      ...this.timing,
      // A legacy node's core is only its membership: the scenario plays its resource side.
      groups: this.nodes.get(name)?.legacy ? [] : this.world.groups,
      autoFailback: this.autoFailback,
      fencingConfigured: this.fencingConfigured,
      pingNodes: this.pingNodes,
      clients: this.clientNames,
      ipfail: this.ipfail,
      timeouts: {
        forOperation: () => 60_000,
        monitorFor: (spec) => this.monitorSettings.get(spec.text) ?? NOT_MONITORED,
      },
    };
    return new ClusterCore(config);
  }

  /** Now, as a node's edges see it: its wall clock may have been stepped (`clock`). */
  instant(node?: SimNode): Instant {
    const wallMs = this.now + (node?.wallOffsetMs ?? 0);
    return {
      mono: this.now,
      wallSeconds: 1_700_000_000 + Math.floor(wallMs / 1000),
      load: '0.00 0.00 0.00 1/99 1',
    };
  }
}

function keysFrom(text: string): AuthKeys {
  const keys = parseAuthkeys(text, 'authkeys', 0o600, new Diagnostics());
  if (!keys) throw new Error(`bad authkeys in scenario: ${text}`);
  return keys;
}
