// The validated contents of ha.cf.
import type { Origin } from '../diagnostics.js';

export type AutoFailback = 'on' | 'off' | 'legacy';

export interface BcastMedium {
  readonly kind: 'bcast';
  readonly iface: string;
  readonly port: number;
  readonly at: Origin;
}

export interface McastMedium {
  readonly kind: 'mcast';
  readonly iface: string;
  readonly group: string;
  readonly port: number;
  readonly ttl: number;
  readonly loop: boolean;
  readonly at: Origin;
}

export interface UcastMedium {
  readonly kind: 'ucast';
  readonly iface: string;
  readonly peer: string;
  readonly port: number;
  readonly at: Origin;
}

export type Medium = BcastMedium | McastMedium | UcastMedium;

/** `stonith TYPE FILE`: one device reachable from every node, parameters in FILE. */
export interface StonithFileDevice {
  readonly kind: 'stonith';
  readonly type: string;
  readonly file: string;
  readonly at: Origin;
}

/** `stonith_host FROM TYPE PARAMS...`: a device usable from node FROM (or `*`, any node). */
export interface StonithHostDevice {
  readonly kind: 'stonith_host';
  readonly from: string;
  readonly type: string;
  readonly params: string[];
  readonly at: Origin;
}

export type StonithDevice = StonithFileDevice | StonithHostDevice;

/** A ping node (`ping ADDR`, named by its address) or ping group (`ping_group NAME ADDR...`). */
export interface PingNode {
  readonly name: string;
  /** IPv4 addresses or host names, lower-case; a `ping` line's node has one. */
  readonly hosts: string[];
  /** From `ping_group`: up while any member answers. */
  readonly group: boolean;
  readonly at: Origin;
}

export interface RespawnEntry {
  readonly user: string;
  readonly command: string[];
  /** heartbeat's ipfail (any path ending in /ipfail): built in, never run as a program. */
  readonly ipfail: boolean;
  readonly at: Origin;
}

export interface LogSettings {
  readonly logfile?: string;
  readonly debugfile?: string;
  /** Syslog facility name; absent when syslog is off (`logfacility none` or not given). */
  readonly facility?: string;
  /** Write files in syslog's line format instead of heartbeat's classic one. */
  readonly syslogFormat: boolean;
  readonly debugLevel: number;
}

export interface HaCf {
  /** Cluster members, lower-cased, in declaration order. */
  readonly nodes: string[];
  readonly keepaliveMs: number;
  readonly deadtimeMs: number;
  readonly warntimeMs: number;
  readonly initdeadMs: number;
  readonly deadpingMs: number;
  readonly udpport: number;
  readonly hopfudge: number;
  readonly media: Medium[];
  readonly autoFailback: AutoFailback;
  readonly stonith: StonithDevice[];
  readonly ping: PingNode[];
  readonly respawn: RespawnEntry[];
  readonly msgfmt: 'classic' | 'netstring';
  /** SCHED_RR priority of the daemon (`realtime`, `rtprio`); null: normal scheduling. */
  readonly realtimePriority: number | null;
  readonly log: LogSettings;
  /** Where each single-valued setting was given (directive name -> line), for messages. */
  readonly origins: ReadonlyMap<string, Origin>;
  /** heartbeat's parameter table, as `cl_status hbparameter` shows it: name -> value text. */
  readonly parameters: ReadonlyMap<string, string>;
}
