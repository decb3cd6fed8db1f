// Test runner settings: unit-level suites in parallel first, then the suites that run real daemons
// in network namespaces one file at a time, so that their timing figures and claims (late
// heartbeats, outages) are not made on a machine the other suites keep busy.
import { defineConfig } from 'vitest/config';

const LAB = ['test/e2e/**/*.test.ts', 'test/interop/**/*.test.ts', 'test/integration/**/*.test.ts'];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: LAB,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'lab', include: LAB, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
