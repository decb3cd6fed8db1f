// Loads a configuration directory, then runs preflight on it: what start, check-config and reload use.
import type { Config } from '../config/config.js';
import type { Diagnostics } from '../config/diagnostics.js';
import { loadConfig, type LoadOptions } from '../config/load.js';
import type { HostView } from './host-checks.js';
import { preflight } from './preflight.js';

export interface CheckOptions extends LoadOptions {
  /**
   * 'strict': facts about this machine (interfaces, agents, own name listed) are errors, as at
   * start. 'auto': strict only when this machine is a listed node and no node was forced.
   */
  readonly hostChecks: 'strict' | 'auto';
}

export interface Checked {
  /** When the files are valid and this machine can run them. */
  readonly config?: Config;
  /** Whenever ha.cf could be read. */
  readonly host?: HostView;
  /** Loading's and preflight's, in file and line order. */
  readonly diagnostics: Diagnostics;
}

export async function loadAndCheck(options: CheckOptions): Promise<Checked> {
  const { setup, config, diagnostics } = await loadConfig(options);
  if (!setup) return { diagnostics };
  const listed = setup.hacf.nodes.includes(setup.localNode);
  const strict = options.hostChecks === 'strict' || (listed && setup.localNodeSource !== 'option');
  const { host, fenceDevices } = await preflight(setup, strict, diagnostics);
  if (!config || diagnostics.hasErrors) return { host, diagnostics };
  return { config: { ...config, fenceDevices }, host, diagnostics };
}
