// End to end, as root in network namespaces: short chaos runs (seeded random faults on the real
// daemons, each audited from outside), without and with fencing, report no violation, and their
// iterations and faults add up.
import { describe, expect, it } from 'vitest';
import { runChaos, type ChaosReport } from '../../chaos/chaos.js';

const ITERATIONS = 6;
const isRoot = process.getuid?.() === 0;

function expectClean(report: ChaosReport): void {
  expect(report.violations, JSON.stringify(report, null, 2)).toEqual([]);
  expect(report.stoppedEarly).toBeUndefined();
  expect(report.iterations).toBe(ITERATIONS);
  const counted = Object.values(report.faults).reduce((sum, count) => sum + count, 0);
  expect(counted).toBe(ITERATIONS);
  expect(Object.keys(report.faults).length).toBeGreaterThan(1);
}

const progress = (line: string): void => {
  console.info(line);
};

describe.skipIf(!isRoot)('short chaos runs', () => {
  it('without fencing: a crash, a failing start, a link cut, packet loss, a freeze, a kill -9', async () => {
    const report = await runChaos({ iterations: ITERATIONS, seed: 1005, fencing: false, progress });
    expect(report.fencing).toBe(false);
    expectClean(report);
  }, 180_000);

  it('with a STONITH device that resets nodes: the device failing, a freeze, a link cut, a crash, a kill -9, packet loss', async () => {
    const report = await runChaos({ iterations: ITERATIONS, seed: 2221, fencing: true, progress });
    expect(report.fencing).toBe(true);
    expectClean(report);
  }, 180_000);
});
