// Reads short options the way glibc getopt does for cl_status: clusters (-mv), `-pNAME` or
// `-p NAME`, options mixed with operands, and `--` ending the options.

export interface ShortOptions {
  /** Every option letter seen, with or without an argument. */
  readonly seen: ReadonlySet<string>;
  /** The last argument given to each option that takes one. */
  readonly values: ReadonlyMap<string, string>;
  readonly operands: readonly string[];
  /** One complaint per bad option, worded like getopt's. */
  readonly errors: readonly string[];
}

/** `spec` is getopt's option string: letters, a `:` after each letter that takes an argument. */
export function getopt(args: readonly string[], spec: string): ShortOptions {
  const seen = new Set<string>();
  const values = new Map<string, string>();
  const operands: string[] = [];
  const errors: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      operands.push(arg);
      continue;
    }
    if (arg.startsWith('--')) {
      errors.push(`unrecognized option '${arg}'`);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const letter = arg.charAt(j);
      const at = spec.indexOf(letter);
      if (letter === ':' || at < 0) {
        errors.push(`invalid option -- '${letter}'`);
        continue;
      }
      if (spec.charAt(at + 1) !== ':') {
        seen.add(letter);
        continue;
      }
      // An option with an argument takes the rest of this word, else the next word.
      const value = j + 1 < arg.length ? arg.slice(j + 1) : args[++i];
      if (value === undefined) errors.push(`option requires an argument -- '${letter}'`);
      else {
        seen.add(letter);
        values.set(letter, value);
      }
      break;
    }
  }
  return { seen, values, operands, errors };
}
