// bench/compare's run on each implementation (ours, heartbeat 3.0.6, keepalived 2.2.7, the Debian
// packages), once at 100 ms / 300 ms: every fault yields its sample, so the bench cannot rot
// unseen. The figures themselves are the bench's business, not asserted here.
import { describe, expect, it } from 'vitest';
import { oneRun, type Metric, type Shape } from '../../bench/compare/one-run.js';
import type { Implementation } from '../helpers/failover-lab.js';

const SETTING = { keepaliveMs: 100, deadtimeMs: 300 };
const CELL_MS = 180_000;
/**
 * after_detection subtracts a daemon line's stamp from a probe answer's. The line is stamped when
 * the stamper reads it, a little after it was written (line-watcher.ts), later while the daemon
 * that wrote it keeps a CPU at realtime priority; keepalived's address can answer 0.1 ms after its
 * line, a packet the client queued going out at its gratuitous ARP. Samples of -0.1 ms were seen.
 */
const STAMP_SLACK_MS = 0.5;

const EXPECTED: Record<Implementation, readonly Metric[]> = {
  ours: ['crash', 'link_cut', 'graceful_stop', 'failback', 'standby', 'after_detection'],
  // heartbeat logs to its file, unstamped: no detection time.
  heartbeat: ['crash', 'link_cut', 'graceful_stop', 'failback', 'standby'],
  // keepalived has no standby.
  keepalived: ['crash', 'link_cut', 'graceful_stop', 'failback', 'after_detection'],
};

describe.skipIf(process.getuid?.() !== 0)('bench/compare, one run of each', () => {
  it.each<[Implementation, Shape]>([
    ['ours', 'address_only'],
    ['keepalived', 'address_only'],
    ['heartbeat', 'address_and_service'],
  ])(
    '%s, %s: every fault measured',
    async (implementation, shape) => {
      const { samples, error } = await oneRun({ implementation, shape, setting: SETTING });
      expect(error).toBeUndefined();
      const measured = Object.keys(samples).sort();
      expect(measured).toEqual([...EXPECTED[implementation]].sort());
      // A crash and a graceful stop are each followed by a failback.
      expect(samples.failback).toHaveLength(2);
      for (const [metric, values] of Object.entries(samples)) {
        const floor = metric === 'after_detection' ? -STAMP_SLACK_MS : 0;
        for (const value of values) expect(value, metric).toBeGreaterThan(floor);
      }
    },
    CELL_MS,
  );
});
