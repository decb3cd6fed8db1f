// The whole validated configuration of one node: ha.cf, authkeys and haresources together.
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
}

export const CONFIG_FILES = {
  hacf: 'ha.cf',
  authkeys: 'authkeys',
  haresources: 'haresources',
  nodeinfo: 'nodeinfo',
} as const;
