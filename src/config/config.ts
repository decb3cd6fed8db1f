// The whole validated configuration of one node: ha.cf, authkeys and haresources together.
import type { FenceDevice } from '../fencing/devices.js';
import { AGENT_TIMEOUTS_FILE, type AgentTimeouts } from '../resources/agent-timeouts.js';
import type { AuthKeys } from './authkeys.js';
import type { ResourceGroup } from './haresources.js';
import type { HaCf } from './hacf/types.js';

export type NodeNameSource = 'option' | 'nodeinfo' | 'uname';

export interface Config {
  /** The configuration directory (/etc/ha.d by default). */
  readonly dir: string;
  readonly localNode: string;
  readonly localNodeSource: NodeNameSource;
  readonly hacf: HaCf;
  readonly auth: AuthKeys;
  readonly groups: ResourceGroup[];
  /** From the optional timeouts.ini. */
  readonly timeouts: AgentTimeouts;
  /** STONITH devices usable from this node; empty when fencing is not configured. */
  readonly fenceDevices: FenceDevice[];
}

export const CONFIG_FILES = {
  hacf: 'ha.cf',
  authkeys: 'authkeys',
  haresources: 'haresources',
  nodeinfo: 'nodeinfo',
  timeouts: AGENT_TIMEOUTS_FILE,
} as const;
