// Checks a parsed configuration against this machine: host facts, then the STONITH plugins.
import type { NodeSetup } from '../config/config.js';
import type { Diagnostics } from '../config/diagnostics.js';
import { resolveFenceDevices, type FenceDevice } from '../fencing/devices.js';
import { checkHost, type HostView } from './host-checks.js';

export interface Preflight {
  readonly host: HostView;
  /** The STONITH devices usable from this node, in ha.cf order. */
  readonly fenceDevices: FenceDevice[];
}

/** `strict`: problems with this machine are errors (at start), else warnings; all go to `diag`. */
export async function preflight(
  setup: NodeSetup,
  strict: boolean,
  diag: Diagnostics,
): Promise<Preflight> {
  const host = await checkHost(setup, strict, diag);
  const fenceDevices = await resolveFenceDevices(setup.stonith, {
    haDir: setup.dir,
    localNode: setup.localNode,
    diag,
  });
  return { host, fenceDevices };
}
