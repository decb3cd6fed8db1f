// Builds the `status` answer: the core's own view, with what only the daemon knows (process,
// configuration, fencing devices, recent events).
import type { ClusterCore } from '../cluster/cluster-core.js';
import type { Config } from '../config/config.js';
import type { EventSnapshot, StatusSnapshot } from '../control/snapshot.js';

export interface SnapshotSource {
  readonly core: ClusterCore;
  readonly config: Config;
  readonly version: string;
  readonly startedAt: Date;
  /** Monotonic ms now and at start. */
  readonly nowMono: number;
  readonly startedMono: number;
  readonly events: readonly EventSnapshot[];
}

export function buildSnapshot(source: SnapshotSource): StatusSnapshot {
  const { config, nowMono } = source;
  const view = source.core.view({ mono: nowMono, wallSeconds: Date.now() / 1000, load: '' });
  return {
    version: source.version,
    pid: process.pid,
    node: config.localNode,
    configDir: config.dir,
    startedAt: source.startedAt.toISOString(),
    uptimeMs: Math.round(nowMono - source.startedMono),
    ...view,
    fencing: {
      configured: config.fenceDevices.length > 0,
      devices: config.fenceDevices.map((d) => d.label),
      ...view.fencing,
    },
    parameters: Object.fromEntries(config.hacf.parameters),
    events: source.events,
  };
}
