// One fencing attempt over the configured devices, and the device status check.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FenceDevice } from '../../src/fencing/devices.js';
import { SYSTEM_PLUGIN_DIR } from '../../src/fencing/devices.js';
import { checkFenceDevice, fenceNode } from '../../src/fencing/fence.js';
import type { Level } from '../../src/log/levels.js';
import { waitFor } from '../helpers/wait-for.js';
import { makeStonithDir, type StonithDir } from './stonith-dir.js';

let dir: StonithDir;
let logged: [Level, string][];
const log = (level: Level, text: string): void => {
  logged.push([level, text]);
};

beforeEach(async () => {
  dir = await makeStonithDir();
  logged = [];
});

afterEach(async () => {
  await dir.cleanup();
});

function device(name: string, params: Record<string, string> = {}, plugin?: string): FenceDevice {
  const type = `external/${name}`;
  return {
    label: type,
    type,
    plugin: plugin ?? join(dir.pluginDir, name),
    params: { record: dir.record, hostlist: 'alpha Beta', ...params },
    at: { file: '/etc/ha.d/ha.cf', line: 9 },
  };
}

/** The recorded calls without the parameters, e.g. `external/recorder reset beta`. */
async function operations(): Promise<string[]> {
  return (await dir.calls()).map((call) => call.split(' | ')[0] ?? '');
}

describe('fenceNode', () => {
  it("resets with gethosts first, parameters in the environment, and heartbeat's log lines", async () => {
    const outcome = await fenceNode([device('recorder', { note: 'a b' })], 'BETA', {
      log,
      timeoutMs: 5000,
    });
    expect(outcome).toEqual({ ok: true, device: 'external/recorder' });
    // cluster-glue hands the plugin a lower-case name; HA_LOGTAG names the plugin.
    expect(await dir.calls()).toEqual([
      `external/recorder gethosts | record=${dir.record} hostlist=alpha Beta note=a b`,
      `external/recorder reset beta | record=${dir.record} hostlist=alpha Beta note=a b`,
    ]);
    expect(logged.filter(([level]) => level !== 'warn')).toEqual([
      ['debug', 'external/recorder: alpha'],
      ['debug', 'external/recorder: Beta'],
      ['info', 'Resetting node BETA with [external/recorder]'],
      ['info', 'external/recorder: power cycling beta'],
      ['info', 'node BETA now reset.'],
    ]);
    expect(logged).toContainEqual(['warn', 'external/recorder: a note on stderr']);
  });

  it('skips devices that do not list the node and falls back past a failing one', async () => {
    const devices = [device('no-host'), device('failing'), device('recorder')];
    const outcome = await fenceNode(devices, 'beta', { log, timeoutMs: 5000 });
    expect(outcome).toEqual({ ok: true, device: 'external/recorder' });
    expect(await operations()).toEqual([
      'external/no-host gethosts',
      'external/failing gethosts',
      'external/failing reset beta',
      'external/recorder gethosts',
      'external/recorder reset beta',
    ]);
    expect(logged).toContainEqual(['info', 'Device external/no-host cannot reset host beta.']);
    expect(logged).toContainEqual([
      'error',
      'STONITH device [external/failing] failed to reset beta: exit code 3; ' +
        'last output: power switch unreachable',
    ]);
    expect(logged.at(-1)).toEqual(['info', 'node beta now reset.']);
  });

  it('fails with every reason when no device resets the node', async () => {
    const missing = device('gone', {}, join(dir.pluginDir, 'gone'));
    const outcome = await fenceNode([device('no-host'), missing, device('failing')], 'beta', {
      log,
      timeoutMs: 5000,
    });
    expect(outcome.ok).toBe(false);
    const reason = outcome.ok ? '' : outcome.reason;
    expect(reason).toMatch(
      /^external\/no-host: does not list beta; external\/gone: gethosts failed: could not start: .+; external\/failing: exit code 3; last output: power switch unreachable$/,
    );
    expect(logged.at(-1)).toEqual(['error', 'Host beta not reset!']);
    expect(await fenceNode([], 'beta', { log, timeoutMs: 5000 })).toEqual({
      ok: false,
      reason: 'no STONITH device configured',
    });
  });

  it("kills a hung plugin's whole process group at the timeout and tries the next device", async () => {
    let pids: number[] = [];
    try {
      const started = performance.now();
      const outcome = await fenceNode([device('hanging'), device('recorder')], 'beta', {
        log,
        timeoutMs: 1000,
      });
      expect(performance.now() - started).toBeLessThan(4000);
      expect(outcome).toEqual({ ok: true, device: 'external/recorder' });
      expect(logged).toContainEqual([
        'error',
        'STONITH device [external/hanging] failed to reset beta: timed out after 1000 ms',
      ]);
      const line = (await dir.calls()).find((call) => call.startsWith('pids '));
      pids = (line ?? '').split(' ').slice(1).map(Number);
      expect(pids).toHaveLength(2);
      await waitFor(() => pids.every(isGone), 'the plugin and its child to be killed');
    } finally {
      for (const pid of pids.filter((p) => !isGone(p))) process.kill(pid, 'SIGKILL');
    }
  });
});

describe('checkFenceDevice', () => {
  it("runs status and logs heartbeat's lines", async () => {
    expect(await checkFenceDevice(device('recorder'), { log, timeoutMs: 5000 })).toEqual({
      ok: true,
      device: 'external/recorder',
    });
    expect(await checkFenceDevice(device('failing'), { log, timeoutMs: 5000 })).toEqual({
      ok: false,
      reason: 'external/failing: exit code 3; last output: power switch unreachable',
    });
    expect(await operations()).toEqual(['external/recorder status', 'external/failing status']);
    expect(logged).toEqual([
      ['info', 'Checking status of STONITH device [external/recorder]'],
      ['info', 'external/recorder: device ok'],
      ['info', 'Checking status of STONITH device [external/failing]'],
      ['info', 'external/failing: contacting the power switch'],
      ['info', 'external/failing: power switch unreachable'],
      [
        'error',
        'STONITH device external/failing not operational! ' +
          '(status: exit code 3; last output: power switch unreachable)',
      ],
    ]);
  });
});

describe.skipIf(!existsSync(`${SYSTEM_PLUGIN_DIR}/ssh`))(
  "cluster-glue's installed external/ssh",
  () => {
    it('is asked gethosts and, not listing the node, never asked to reset', async () => {
      const ssh: FenceDevice = {
        ...device('ssh', {}, `${SYSTEM_PLUGIN_DIR}/ssh`),
        params: { hostlist: 'alpha,beta' },
      };
      const outcome = await fenceNode([ssh], 'gamma', { log, timeoutMs: 5000 });
      expect(outcome).toEqual({ ok: false, reason: 'external/ssh: does not list gamma' });
      expect(logged).toEqual([
        ['debug', 'external/ssh: alpha'],
        ['debug', 'external/ssh: beta'],
        ['info', 'Device external/ssh cannot reset host gamma.'],
        ['error', 'Host gamma not reset!'],
      ]);
    });
  },
);

/** Exited, or a zombie waiting for a parent that is gone. */
function isGone(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
}
