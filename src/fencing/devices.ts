// Finds the cluster-glue plugin of each ha.cf STONITH device usable here and checks its parameters.
import { stat } from 'node:fs/promises';
import type { Diagnostics, Origin } from '../config/diagnostics.js';
import type { StonithEntry, StonithFileEntry } from '../config/stonith-files.js';
import { checkIniParams, parameterInfo, positionalParams } from './plugin-params.js';
import { runPlugin, type PluginRef } from './plugin.js';

export interface FenceDevice extends PluginRef {
  /** How log lines name the device, e.g. `external/ipmi`. */
  readonly label: string;
  readonly at: Origin;
}

export interface ResolveOptions {
  readonly haDir: string;
  readonly localNode: string;
  /** Where `external/NAME` is looked for, in order. */
  readonly pluginDirs?: readonly string[];
  readonly diag: Diagnostics;
  /** For each plugin query (getconfignames, getinfo-xml). */
  readonly timeoutMs?: number;
}

/** cluster-glue's plugin folder. */
export const SYSTEM_PLUGIN_DIR = '/usr/lib/stonith/plugins/external';
const DEFAULT_TIMEOUT_MS = 10_000;

export function pluginSearchPath(haDir: string): string[] {
  return [`${haDir}/stonith.d`, SYSTEM_PLUGIN_DIR];
}

/** The devices usable from `localNode`, in ha.cf order; problems go to `opts.diag`. */
export async function resolveFenceDevices(
  stonith: readonly StonithEntry[],
  opts: ResolveOptions,
): Promise<FenceDevice[]> {
  const local = opts.localNode.toLowerCase();
  const devices: FenceDevice[] = [];
  for (const entry of stonith) {
    if (entry.kind === 'stonith_host' && entry.from !== '*' && entry.from.toLowerCase() !== local)
      continue;
    const device = await resolveDevice(entry, opts);
    if (device) devices.push(device);
  }
  return devices;
}

async function resolveDevice(
  entry: StonithEntry,
  opts: ResolveOptions,
): Promise<FenceDevice | undefined> {
  const { diag } = opts;
  const what = entry.kind === 'stonith' ? 'stonith' : `stonith_host ${entry.from}`;
  const name = /^external\/([^/]+)$/.exec(entry.type)?.[1];
  if (name === undefined) {
    diag.error(
      entry.at,
      `${what} ${entry.type}: only cluster-glue external plugins (external/NAME) are supported`,
      `wrap the device in a script answering getconfignames, gethosts, reset HOST and status (for example by calling \`stonith -t ${entry.type} ...\`), put it in ${opts.haDir}/stonith.d/NAME and use external/NAME`,
    );
    return undefined;
  }
  const plugin = await findPlugin(name, opts.pluginDirs ?? pluginSearchPath(opts.haDir));
  if (typeof plugin !== 'string') {
    diag.error(entry.at, `${what} ${entry.type}: ${plugin.problem}`, plugin.hint);
    return undefined;
  }
  const ref = { type: entry.type, plugin, params: {} };
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const names = await runPlugin(ref, ['getconfignames'], { timeoutMs });
  if (!names.ok) {
    diag.error(
      entry.at,
      `${what} ${entry.type}: '${plugin} getconfignames' failed: ${names.reason}`,
    );
    return undefined;
  }
  const nameList = names.stdout.split(/\s+/).filter(Boolean);
  const params =
    entry.kind === 'stonith_host'
      ? positionalParams(nameList, entry.params.join(' '), `${what} ${entry.type}`, entry.at, diag)
      : await fileParams(nameList, entry, () => parameterInfo(ref, timeoutMs), diag);
  if (!params) return undefined;
  return { label: entry.type, type: entry.type, plugin, params, at: entry.at };
}

type Found = string | { problem: string; hint?: string };

/** The first entry named `name` decides: a bad local copy is reported, not skipped. */
async function findPlugin(name: string, dirs: readonly string[]): Promise<Found> {
  for (const dir of dirs) {
    const path = `${dir}/${name}`;
    const info = await stat(path).catch(() => undefined);
    if (!info) continue;
    if (!info.isFile()) return { problem: `${path} is not a file` };
    if ((info.mode & 0o111) === 0)
      return { problem: `${path} is not executable`, hint: `chmod 755 ${path}` };
    if ((info.mode & 0o022) !== 0) {
      return {
        problem: `${path} is writable by group or others; cluster-glue refuses to run it`,
        hint: `chmod go-w ${path}`,
      };
    }
    return path;
  }
  return { problem: `STONITH plugin [${name}] not found in ${dirs.join(', ')}` };
}

/** The parameters of `stonith TYPE FILE`, as config loading read them from FILE. */
async function fileParams(
  names: readonly string[],
  entry: StonithFileEntry,
  askInfo: () => Promise<ReadonlyMap<string, boolean | undefined>>,
  diag: Diagnostics,
): Promise<Record<string, string> | undefined> {
  const { params, file, type } = entry;
  if (!params) return undefined;
  if (params.form === 'positional')
    return positionalParams(names, params.text, type, { file, line: params.line }, diag);
  return checkIniParams(names, await askInfo(), params.params, {
    type,
    end: { file, line: params.lastLine },
    diag,
  });
}
