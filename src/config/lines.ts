// Splits a configuration file into numbered logical lines: comments dropped, continuations joined.

export interface LogicalLine {
  /** Line number (1-based) where the logical line starts. */
  readonly line: number;
  /** The line without its comment, trimmed (continuations joined by a space). */
  readonly text: string;
  /** Whitespace-separated words of the line. */
  readonly words: string[];
}

export interface LineOptions {
  /** A backslash at the end of a line joins the next one (haresources). */
  readonly continuation: boolean;
}

/**
 * Heartbeat cuts every line at its first `#` (so trailing comments work) and splits on
 * blanks; lines with nothing left are skipped.
 */
export function logicalLines(text: string, options: LineOptions): LogicalLine[] {
  const physical = text.split(/\r?\n/);
  const result: LogicalLine[] = [];
  let pending: string[] = [];
  let start = 0;
  physical.forEach((raw, index) => {
    let content = stripComment(raw);
    if (pending.length === 0) start = index + 1;
    const continues = options.continuation && /\\\s*$/.test(content);
    if (continues) content = content.replace(/\\\s*$/, '');
    pending.push(content);
    if (continues && index < physical.length - 1) return;
    const joined = pending.join(' ').trim();
    pending = [];
    if (joined !== '') result.push({ line: start, text: joined, words: joined.split(/\s+/) });
  });
  return result;
}

function stripComment(line: string): string {
  const hash = line.indexOf('#');
  return hash === -1 ? line : line.slice(0, hash);
}

/** The number of a file's last line (1 when empty): where a missing line is reported, and goes. */
export function lastLineNumber(text: string): number {
  return Math.max(1, text.replace(/\r?\n$/, '').split('\n').length);
}
