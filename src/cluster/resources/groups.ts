// The resource groups as the ownership core sees them: position, name, home, and which are local.
import type { ResourceGroup } from '../../config/haresources.js';
import type { ResourceSpec } from '../../config/resource-spec.js';

export interface GroupInfo {
  /** Position in haresources: groups are acquired in this order and released in reverse. */
  readonly index: number;
  /** The first resource as written, heartbeat's name for the group. */
  readonly name: string;
  /** The haresources line, for heartbeat's `Acquiring resource group: ...` log lines. */
  readonly line: string;
  readonly home: string;
  /** Home is this node. */
  readonly local: boolean;
  /** Started left to right, stopped right to left. */
  readonly resources: readonly ResourceSpec[];
}

export function groupInfos(groups: readonly ResourceGroup[], localNode: string): GroupInfo[] {
  return groups.map((group, index) => ({
    index,
    name: group.name,
    line: [group.home, ...group.resources.map((r) => r.text)].join(' '),
    home: group.home,
    local: group.home === localNode,
    resources: group.resources,
  }));
}
