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
  readonly all: Diagnostic[] = [];

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
    return this.all.some((d) => d.severity === 'error');
  }

  private add(severity: Severity, at: Origin | string, message: string, hint?: string): void {
    const where = typeof at === 'string' ? { file: at } : at;
    this.all.push({ severity, ...where, message, ...(hint === undefined ? {} : { hint }) });
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
