// Matches a device's parameters to the names its plugin takes (getconfignames, getinfo-xml).
import type { Diagnostics, Origin } from '../config/diagnostics.js';
import type { IniParam } from '../config/stonith-params.js';
import { closest } from '../config/suggest.js';
import { runPlugin, type PluginRef } from './plugin.js';

/** cluster-glue's mapping: values in name order, the last name taking the rest of the text. */
function positional(names: readonly string[], text: string): Record<string, string> | string[] {
  const params: Record<string, string> = {};
  let rest = text.trim();
  for (const [index, name] of names.entries()) {
    if (rest === '') return names.slice(index);
    const end = index === names.length - 1 ? rest.length : rest.search(/\s|$/);
    params[name] = rest.slice(0, end);
    rest = rest.slice(end).trimStart();
  }
  return params;
}

/** Heartbeat's positional values (stonith_host, one-line files): the params, or an error at `at`. */
export function positionalParams(
  names: readonly string[],
  text: string,
  what: string,
  at: Origin,
  diag: Diagnostics,
): Record<string, string> | undefined {
  const order = `values in this order: ${names.join(' ')}`;
  if (names.length === 0 && text.trim() !== '') {
    diag.error(at, `${what}: the plugin takes no parameters, but some are given`);
    return undefined;
  }
  const params = positional(names, text);
  if (!Array.isArray(params)) return params;
  diag.error(
    at,
    `${what}: missing parameter${params.length > 1 ? 's' : ''} ${params.join(', ')}`,
    order,
  );
  return undefined;
}

/** NAME = VALUE lines: unknown names at their lines, missing ones at `end` (the file's last line). */
export function checkIniParams(
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
export async function parameterInfo(
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
