// Device parameters: heartbeat's positional values (stonith_host, old parameter files) and the
// parameter file of `stonith TYPE FILE`, NAME = VALUE lines (ini).
import { readFile, stat } from 'node:fs/promises';
import { decode } from 'ini';
import type { Diagnostics, Origin } from '../config/diagnostics.js';
import { lastLineNumber } from '../config/lines.js';

export interface IniParam {
  readonly value: string;
  readonly line: number;
}

export type ParamFile =
  | {
      readonly form: 'ini';
      readonly params: ReadonlyMap<string, IniParam>;
      /** Where a missing parameter is reported. */
      readonly lastLine: number;
    }
  /** `text` is the whole line; cluster-glue splits it by the plugin's parameter names. */
  | { readonly form: 'positional'; readonly text: string; readonly line: number };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const GROUP_OR_OTHER_READ = 0o044;

/** Undefined (with errors in `diag`) when the file cannot be used. */
export async function readParamFile(
  path: string,
  at: Origin,
  diag: Diagnostics,
): Promise<ParamFile | undefined> {
  const text = await readText(path, at, diag);
  if (text === undefined) return undefined;
  const lines = text.split(/\r?\n/);
  const first = lines.findIndex((line) => !isBlankOrComment(line));
  if (first < 0) {
    diag.error({ file: path, line: 1 }, 'no parameters in this file', 'write NAME = VALUE lines');
    return undefined;
  }
  const firstLine = lines[first]?.trim() ?? '';
  // heartbeat's form starts with a value; an ini file with a NAME = or a [section].
  if (!/^[^\s=]+\s*=/.test(firstLine) && !firstLine.startsWith('[')) {
    return { form: 'positional', text: firstLine, line: first + 1 };
  }
  return readIni(text, lines, path, diag);
}

function readIni(
  text: string,
  lines: readonly string[],
  file: string,
  diag: Diagnostics,
): ParamFile | undefined {
  const errorsBefore = diag.errors.length;
  const decoded = decode(text);
  const params = new Map<string, IniParam>();
  lines.forEach((raw, index) => {
    if (isBlankOrComment(raw)) return;
    const at = { file, line: index + 1 };
    const line = raw.trim();
    if (line.startsWith('['))
      return diag.error(at, 'sections are not used in a STONITH parameter file', 'remove it');
    const eq = line.indexOf('=');
    if (eq < 0) return diag.error(at, `expected NAME = VALUE, got [${line}]`);
    const name = line.slice(0, eq).trim();
    if (!NAME.test(name))
      return diag.error(at, `[${name}] is not a parameter name`, 'letters, digits and _ only');
    if (params.has(name)) diag.warn(at, `${name} is set again; this later value counts`);
    const rawValue = line.slice(eq + 1).trim();
    if (looksCutByComment(rawValue)) {
      diag.warn(
        at,
        `the value of ${name} stops at the first ';' or '#', which starts a comment`,
        'put the value in double quotes if those characters belong to it',
      );
    }
    params.set(name, { value: String(decoded[name]), line: index + 1 });
  });
  if (diag.errors.length > errorsBefore) return undefined;
  return { form: 'ini', params, lastLine: lastLineNumber(text) };
}

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

/** The params, or undefined with an error at `at`. */
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

async function readText(path: string, at: Origin, diag: Diagnostics): Promise<string | undefined> {
  try {
    const [info, text] = await Promise.all([stat(path), readFile(path, 'utf8')]);
    if ((info.mode & GROUP_OR_OTHER_READ) !== 0) {
      const mode = (info.mode & 0o777).toString(8);
      diag.warn(
        path,
        `[${path}] can be read by group or others (mode ${mode}), and it may hold device passwords`,
        `chmod 600 ${path}`,
      );
    }
    return text;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'it does not exist' : `cannot read it (${code ?? 'error'})`;
    diag.error(at, `Invalid Stonith config file [${path}]: ${why}`);
    return undefined;
  }
}

function isBlankOrComment(line: string): boolean {
  return /^\s*([#;].*)?$/.test(line);
}

/** `pass=ab#cd` loses `#cd`; `x = 1 ; comment` (a space first) is taken as meant. */
function looksCutByComment(rawValue: string): boolean {
  if (/^["']/.test(rawValue)) return false;
  const mark = /(?<!\\)[;#]/.exec(rawValue);
  return mark !== null && mark.index > 0 && !/\s/.test(rawValue.charAt(mark.index - 1));
}
