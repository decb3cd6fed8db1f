// A node's configuration: what its files say (ParsedConfig) and what its daemon runs with (Config).
import type { FenceDevice } from '../fencing/devices.js';
import { AGENT_TIMEOUTS_FILE, type AgentTimeouts } from './agent-timeouts.js';
import type { AuthKeys } from './authkeys.js';
import type { ResourceGroup } from './haresources.js';
import type { HaCf } from './hacf/types.js';
import type { StonithEntry } from './stonith-files.js';

export type NodeNameSource = 'option' | 'nodeinfo' | 'uname';

/** What preflight checks against this machine; known whenever ha.cf could be read. */
export interface NodeSetup {
  /** The configuration directory (/etc/ha.d by default). */
  readonly dir: string;
  readonly localNode: string;
  readonly localNodeSource: NodeNameSource;
  readonly hacf: HaCf;
  readonly groups: ResourceGroup[];
  /** ha.cf's stonith and stonith_host lines, with what their parameter files say. */
  readonly stonith: StonithEntry[];
}

/** Every file read and valid: ha.cf, authkeys, haresources, timeouts.ini, STONITH parameters. */
export interface ParsedConfig extends NodeSetup {
  readonly auth: AuthKeys;
  /** From the optional timeouts.ini. */
  readonly timeouts: AgentTimeouts;
}

/** What the daemon runs with: the parsed files and what preflight found on this machine. */
export interface Config extends ParsedConfig {
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

/** The path of `name` in the configuration directory `dir`. */
export function configPath(dir: string, name: string): string {
  return `${dir.replace(/\/+$/, '') || '/'}/${name}`;
}
