// Turns ha.cf's stonith / stonith_host lines into the devices this node can fence with: the
// cluster-glue external plugin found on disk and its parameters, checked against what it accepts.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Diagnostics, Origin } from '../config/diagnostics.js';
import type { StonithDevice } from '../config/hacf/types.js';
import { closest } from '../config/suggest.js';
import { positionalParams, readParamFile, type IniParam } from './params.js';
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
  stonith: readonly StonithDevice[],
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
  entry: StonithDevice,
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
      : await fileParams(
          nameList,
          resolve(opts.haDir, entry.file),
          entry,
          () => parameterInfo(ref, timeoutMs),
          diag,
        );
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

async function fileParams(
  names: readonly string[],
  path: string,
  entry: StonithDevice,
  askInfo: () => Promise<ReadonlyMap<string, boolean | undefined>>,
  diag: Diagnostics,
): Promise<Record<string, string> | undefined> {
  const file = await readParamFile(path, entry.at, diag);
  if (!file) return undefined;
  if (file.form === 'positional')
    return positionalParams(names, file.text, entry.type, { file: path, line: file.line }, diag);
  const info = await askInfo();
  return checkIniParams(names, info, file.params, {
    type: entry.type,
    end: { file: path, line: file.lastLine },
    diag,
  });
}

function checkIniParams(
  names: readonly string[],
  info: ReadonlyMap<string, boolean | undefined>,
  given: ReadonlyMap<string, IniParam>,
  where: { type: string; end: Origin; diag: Diagnostics },
): Record<string, string> | undefined {
  const { type, end, diag } = where;
  const { file } = end;
  const errorsBefore = diag.errors.length;
  const known = new Set([...names, ...info.keys()]);
  for (const [name, { line }] of given) {
    if (known.has(name)) continue;
    const guess = closest(name, known);
    const hint =
      guess === undefined ? `${type} takes: ${[...known].join(' ')}` : `did you mean ${guess}?`;
    diag.error({ file, line }, `${type} has no parameter ${name}`, hint);
  }
  for (const name of known) {
    if (given.has(name)) continue;
    const required = info.get(name);
    if (required === true) diag.error(end, `${name} is not set, and ${type} requires it`);
    else if (required === undefined && names.includes(name))
      diag.warn(
        end,
        `${name} is not set; ${type} may need it (it does not say which parameters are required)`,
      );
  }
  if (diag.errors.length > errorsBefore) return undefined;
  return Object.fromEntries([...given].map(([name, { value }]) => [name, value]));
}

/** Parameter name -> required (`required="1"`), undefined when the plugin does not say. */
async function parameterInfo(
  ref: PluginRef,
  timeoutMs: number,
): Promise<Map<string, boolean | undefined>> {
  const result = await runPlugin(ref, ['getinfo-xml'], { timeoutMs });
  const info = new Map<string, boolean | undefined>();
  if (!result.ok) return info;
  for (const [, attributes = ''] of result.stdout.matchAll(/<parameter\b([^>]*)>/g)) {
    const name = /\bname\s*=\s*"([^"]+)"/.exec(attributes)?.[1];
    const required = /\brequired\s*=\s*"([^"]*)"/.exec(attributes)?.[1];
    if (name !== undefined) info.set(name, required === undefined ? undefined : required === '1');
  }
  return info;
}
