// Collects every problem found in the configuration files as FILE:LINE messages.

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly severity: Severity;
  readonly file: string;
  /** 1-based line number; absent when the problem concerns the whole file. */
  readonly line?: number;
  readonly message: string;
  readonly hint?: string;
}

/** Where a value came from, so later checks can point back at it. */
export interface Origin {
  readonly file: string;
  readonly line: number;
}

export class Diagnostics {
  private readonly found: Diagnostic[] = [];
  private readonly fileOrder: string[] = [];

  /** Files in the order they are read, so that their diagnostics print in that order. */
  readingOrder(...files: string[]): void {
    for (const file of files) if (!this.fileOrder.includes(file)) this.fileOrder.push(file);
  }

  /**
   * In file and line order: the files given to readingOrder, then others as first reported on;
   * within a file what concerns the whole file, then by line; equal places keep their order.
   */
  get all(): Diagnostic[] {
    const rank = new Map(this.fileOrder.map((file, i) => [file, i]));
    for (const d of this.found) if (!rank.has(d.file)) rank.set(d.file, rank.size);
    return this.found
      .map((d, i) => ({ d, i }))
      .sort(
        (a, b) =>
          (rank.get(a.d.file) ?? 0) - (rank.get(b.d.file) ?? 0) ||
          (a.d.line ?? 0) - (b.d.line ?? 0) ||
          a.i - b.i,
      )
      .map(({ d }) => d);
  }

  error(at: Origin | string, message: string, hint?: string): void {
    this.add('error', at, message, hint);
  }

  warn(at: Origin | string, message: string, hint?: string): void {
    this.add('warning', at, message, hint);
  }

  get errors(): Diagnostic[] {
    return this.all.filter((d) => d.severity === 'error');
  }

  get warnings(): Diagnostic[] {
    return this.all.filter((d) => d.severity === 'warning');
  }

  get hasErrors(): boolean {
    return this.found.some((d) => d.severity === 'error');
  }

  private add(severity: Severity, at: Origin | string, message: string, hint?: string): void {
    const where = typeof at === 'string' ? { file: at } : at;
    this.found.push({ severity, ...where, message, ...(hint === undefined ? {} : { hint }) });
  }
}

/** `ha.cf:12: message` for errors, `ha.cf:12: warning: message` for warnings, hint indented below. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line === undefined ? d.file : `${d.file}:${d.line}`;
  const tag = d.severity === 'warning' ? 'warning: ' : '';
  const hint = d.hint === undefined ? '' : `\n    hint: ${d.hint}`;
  return `${where}: ${tag}${d.message}${hint}`;
}

/** One line for a log record: `ha.cf:12: message (hint)`; the log level says how serious. */
export function diagnosticLine(d: Diagnostic): string {
  const where = d.line === undefined ? d.file : `${d.file}:${d.line}`;
  return `${where}: ${d.message}${d.hint === undefined ? '' : ` (${d.hint})`}`;
}
