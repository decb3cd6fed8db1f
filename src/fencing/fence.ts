// One fencing attempt: each configured device in turn resets the node, with heartbeat's log lines;
// and the periodic device check. Retrying is the cluster core's decision, not ours.
import type { Level } from '../log/levels.js';
import type { FenceDevice } from './devices.js';
import { runPlugin } from './plugin.js';

export type FenceOutcome =
  { readonly ok: true; readonly device: string } | { readonly ok: false; readonly reason: string };

export interface FenceOptions {
  readonly log: (level: Level, text: string) => void;
  /** For each plugin call (gethosts, reset, status). */
  readonly timeoutMs: number;
}

export async function fenceNode(
  devices: readonly FenceDevice[],
  node: string,
  opts: FenceOptions,
): Promise<FenceOutcome> {
  const failures: string[] = [];
  for (const device of devices) {
    const failure = await resetWith(device, node, opts);
    if (failure === undefined) return { ok: true, device: device.label };
    failures.push(`${device.label}: ${failure}`);
  }
  opts.log('error', `Host ${node} not reset!`);
  return { ok: false, reason: failures.join('; ') || 'no STONITH device configured' };
}

/** Runs the device's `status`, as heartbeat does at start and every hour. */
export async function checkFenceDevice(
  device: FenceDevice,
  opts: FenceOptions,
): Promise<FenceOutcome> {
  opts.log('info', `Checking status of STONITH device [${device.label}]`);
  const result = await run(device, ['status'], opts);
  if (result.ok) return { ok: true, device: device.label };
  opts.log('error', `STONITH device ${device.label} not operational! (status: ${result.reason})`);
  return { ok: false, reason: `${device.label}: ${result.reason}` };
}

/** Undefined when the node was reset, else why not. */
async function resetWith(
  device: FenceDevice,
  node: string,
  opts: FenceOptions,
): Promise<string | undefined> {
  // cluster-glue hands plugins lower-case names; plugins such as ssh compare names without case.
  const target = node.toLowerCase();
  const hosts = await run(device, ['gethosts'], opts, 'debug');
  if (!hosts.ok) {
    opts.log('error', `STONITH device [${device.label}]: gethosts failed: ${hosts.reason}`);
    return `gethosts failed: ${hosts.reason}`;
  }
  const listed = hosts.stdout.toLowerCase().split(/\s+/).filter(Boolean);
  if (!listed.includes(target)) {
    opts.log('info', `Device ${device.label} cannot reset host ${node}.`);
    return `does not list ${node}`;
  }
  opts.log('info', `Resetting node ${node} with [${device.label}]`);
  const reset = await run(device, ['reset', target], opts);
  if (reset.ok) {
    opts.log('info', `node ${node} now reset.`);
    return undefined;
  }
  opts.log('error', `STONITH device [${device.label}] failed to reset ${node}: ${reset.reason}`);
  return reset.reason;
}

/** Every output line goes to the log under the device's name; stderr as a warning. */
function run(
  device: FenceDevice,
  args: readonly string[],
  opts: FenceOptions,
  stdoutLevel: Level = 'info',
): ReturnType<typeof runPlugin> {
  return runPlugin(device, args, {
    timeoutMs: opts.timeoutMs,
    onLine: (line, stream) => {
      if (line.trim() !== '')
        opts.log(stream === 'stderr' ? 'warn' : stdoutLevel, `${device.label}: ${line}`);
    },
  });
}
