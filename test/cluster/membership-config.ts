// A membership configuration for unit tests of core parts: two nodes on one link, 1 s keepalive.
import type { MembershipConfig } from '../../src/cluster/types.js';

export function membershipConfig(
  localNode: string,
  nodes: readonly string[] = ['alpha', 'beta'],
): MembershipConfig {
  return {
    localNode,
    nodes,
    uuid: new Uint8Array(16),
    generation: 1,
    keepaliveMs: 1000,
    deadtimeMs: 5000,
    warntimeMs: 2500,
    initdeadMs: 12_000,
    links: ['eth0'],
    hopfudge: 1,
  };
}
