// Reads the parameter file of each `stonith TYPE FILE` line of ha.cf and attaches what it says.
import { readFile, stat } from 'node:fs/promises';
import type { Diagnostics } from './diagnostics.js';
import type { StonithDevice, StonithFileDevice, StonithHostDevice } from './hacf/types.js';
import { parseStonithParams, type StonithParams } from './stonith-params.js';

/** A `stonith TYPE FILE` line and its FILE's parameters: undefined when FILE is unusable. */
export interface StonithFileEntry extends StonithFileDevice {
  readonly params: StonithParams | undefined;
}

/** One device line of ha.cf, as the fencing side checks it against its plugin. */
export type StonithEntry = StonithHostDevice | StonithFileEntry;

/** In ha.cf order; each FILE's problems print after ha.cf's files, in ha.cf order. */
export async function readStonithFiles(
  devices: readonly StonithDevice[],
  diag: Diagnostics,
): Promise<StonithEntry[]> {
  diag.readingOrder(...devices.flatMap((d) => (d.kind === 'stonith' ? [d.file] : [])));
  const entries: StonithEntry[] = [];
  for (const device of devices) {
    if (device.kind === 'stonith_host') entries.push(device);
    else entries.push({ ...device, params: await readParams(device, diag) });
  }
  return entries;
}

async function readParams(
  device: StonithFileDevice,
  diag: Diagnostics,
): Promise<StonithParams | undefined> {
  const path = device.file;
  const read = await Promise.all([stat(path), readFile(path, 'utf8')]).catch(
    (error: unknown) => (error as NodeJS.ErrnoException).code ?? 'error',
  );
  if (typeof read === 'string') {
    const why = read === 'ENOENT' ? 'it does not exist' : `cannot read it (${read})`;
    diag.error(device.at, `Invalid Stonith config file [${path}]: ${why}`);
    return undefined;
  }
  const [info, text] = read;
  return parseStonithParams(text, path, info.mode & 0o777, diag);
}
