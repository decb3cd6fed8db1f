// Entering the realtime priority: nothing is done when ha.cf says realtime off, and a priority
// the kernel refuses (here one above Linux's 99, which ha.cf itself never allows) is a warning
// that says why, never an error that stops the daemon.
import { describe, expect, it } from 'vitest';
import type { Level } from '../../src/log/levels.js';
import type { Log } from '../../src/log/logger.js';
import { enterRealtime } from '../../src/daemon/realtime.js';

function recordingLog(): { log: Log; lines: string[] } {
  const lines: string[] = [];
  const log: Log = {
    log: (level: Level, message: string) => lines.push(`${level}: ${message}`),
    debugLevel: 0,
    setDebugLevel: () => undefined,
    reopen: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  return { log, lines };
}

describe('enterRealtime', () => {
  it('does nothing with realtime off', async () => {
    const { log, lines } = recordingLog();
    await enterRealtime(null, log);
    expect(lines).toEqual([]);
  });

  it('warns, saying why, when the priority cannot be set', async () => {
    const { log, lines } = recordingLog();
    await enterRealtime(100, log);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^warn: realtime: could not run at SCHED_RR priority 100 \(.+\); heartbeats may be late on a busy machine$/,
    );
  });
});
