// Parses the parameter file of `stonith TYPE FILE`: NAME = VALUE lines (ini) or heartbeat's one line.
import { decode } from 'ini';
import type { Diagnostics } from './diagnostics.js';
import { lastLineNumber } from './lines.js';

export interface IniParam {
  readonly value: string;
  readonly line: number;
}

export type StonithParams =
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

/** `mode` is the file's permission bits; undefined (with errors in `diag`) when it cannot be used. */
export function parseStonithParams(
  text: string,
  file: string,
  mode: number,
  diag: Diagnostics,
): StonithParams | undefined {
  if ((mode & GROUP_OR_OTHER_READ) !== 0) {
    diag.warn(
      file,
      `[${file}] can be read by group or others (mode ${mode.toString(8)}), and it may hold device passwords`,
      `chmod 600 ${file}`,
    );
  }
  const lines = text.split(/\r?\n/);
  const first = lines.findIndex((line) => !isBlankOrComment(line));
  if (first < 0) {
    diag.error({ file, line: 1 }, 'no parameters in this file', 'write NAME = VALUE lines');
    return undefined;
  }
  const firstLine = lines[first]?.trim() ?? '';
  // heartbeat's form starts with a value; an ini file with a NAME = or a [section].
  if (!/^[^\s=]+\s*=/.test(firstLine) && !firstLine.startsWith('[')) {
    return { form: 'positional', text: firstLine, line: first + 1 };
  }
  return parseIni(text, lines, file, diag);
}

function parseIni(
  text: string,
  lines: readonly string[],
  file: string,
  diag: Diagnostics,
): StonithParams | undefined {
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

function isBlankOrComment(line: string): boolean {
  return /^\s*([#;].*)?$/.test(line);
}

/** `pass=ab#cd` loses `#cd`; `x = 1 ; comment` (a space first) is taken as meant. */
function looksCutByComment(rawValue: string): boolean {
  if (/^["']/.test(rawValue)) return false;
  const mark = /(?<!\\)[;#]/.exec(rawValue);
  return mark !== null && mark.index > 0 && !/\s/.test(rawValue.charAt(mark.index - 1));
}
