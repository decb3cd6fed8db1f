// Resolves ping and ping_group hosts to IPv4 addresses, as heartbeat does at start.
import { lookup } from 'node:dns/promises';
import type { Origin } from '../config/diagnostics.js';
import type { PingNode } from '../config/hacf/types.js';
import { parseIpv4 } from '../config/ipv4.js';

const LOOKUP_TIMEOUT_MS = 5000;

export type Lookup = (host: string) => Promise<string>;

export interface PingHostProblem {
  readonly at: Origin;
  readonly message: string;
  /** Only a warning: a ping_group member (the group is an error when none resolves). */
  readonly warning: boolean;
}

export interface ResolvedPingHosts {
  /** host as written (lower-case) -> IPv4 address; addresses map to themselves. */
  readonly addresses: Map<string, string>;
  readonly problems: PingHostProblem[];
}

/** An unresolved `ping` host stops a start; a ping_group member only warns, unless none resolves. */
export async function resolvePingHosts(
  nodes: readonly PingNode[],
  resolve: Lookup = systemLookup,
): Promise<ResolvedPingHosts> {
  const hosts = [...new Set(nodes.flatMap((n) => n.hosts))];
  const outcomes = await Promise.all(
    hosts.map(
      async (
        host,
      ): Promise<{ host: string; address: string } | { host: string; error: string }> => {
        if (parseIpv4(host) !== undefined) return { host, address: host };
        try {
          return { host, address: await resolve(host) };
        } catch (error) {
          return { host, error: error instanceof Error ? error.message : String(error) };
        }
      },
    ),
  );
  const addresses = new Map<string, string>();
  const errors = new Map<string, string>();
  for (const outcome of outcomes) {
    if ('error' in outcome) errors.set(outcome.host, outcome.error);
    else addresses.set(outcome.host, outcome.address);
  }
  const problems: PingHostProblem[] = [];
  for (const node of nodes) {
    const unknown = node.hosts.filter((h) => errors.has(h));
    const prefix = node.group ? `ping_group ${node.name}: ` : '';
    const allUnknown = unknown.length === node.hosts.length;
    for (const host of unknown)
      problems.push({
        at: node.at,
        message: `${prefix}unknown host: ${host}: ${errors.get(host) ?? ''}`,
        warning: node.group,
      });
    if (node.group && allUnknown)
      problems.push({
        at: node.at,
        message: `ping_group ${node.name}: none of its hosts resolves`,
        warning: false,
      });
  }
  return { addresses, problems };
}

async function systemLookup(host: string): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${LOOKUP_TIMEOUT_MS / 1000}s`)),
      LOOKUP_TIMEOUT_MS,
    );
  });
  try {
    const { address } = await Promise.race([lookup(host, { family: 4 }), timeout]);
    return address;
  } finally {
    clearTimeout(timer);
  }
}
