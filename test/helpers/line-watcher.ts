// A lab process's output lines, each stamped when written by a stamper process of its own, and a
// wait for a line with a deadline.
import { execa, type ResultPromise } from 'execa';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { waitFor } from './wait-for.js';

/** The system-wide monotonic clock in ms (CLOCK_MONOTONIC): the same in every lab process. */
export const monoMs = (): number => Number(process.hrtime.bigint()) / 1e6;

export interface TimedLine {
  /** monoMs() when the line was written (read by the stamper). */
  readonly at: number;
  readonly text: string;
}

// Stamps each line as soon as it can be read, with nothing else to do in between. Stamped in the
// lab's own event loop instead, a line could wait there behind other work for milliseconds, and
// a takeover timed from a daemon's line to a probe's answer (stamped by the probe) came out too
// short, even below zero. Lines written before the stamper is up are stamped when it is.
const STAMPER = `
const now = () => (Number(process.hrtime.bigint()) / 1e6).toFixed(3);
let rest = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  const at = now();
  const parts = (rest + chunk).split('\\n');
  rest = parts.pop();
  if (parts.length > 0) process.stdout.write(parts.map((p) => at + ' ' + p + '\\n').join(''));
});
process.stdin.on('end', () => { if (rest) process.stdout.write(now() + ' ' + rest + '\\n'); });
`;

export class LineWatcher {
  readonly lines: TimedLine[] = [];
  /** Where the watched process writes (its stdout and stderr): the stamper's stdin. */
  readonly input: Writable;
  /** Settles once every writer has closed its end and every line is in `lines`. */
  readonly closed: Promise<void>;
  private readonly stamper: ResultPromise<{ reject: false; buffer: false }>;

  constructor() {
    this.stamper = execa(process.execPath, ['-e', STAMPER], { reject: false, buffer: false });
    const { stdin, stdout } = this.stamper;
    this.input = stdin;
    const reader = createInterface({ input: stdout });
    reader.on('line', (line) => {
      const space = line.indexOf(' ');
      this.lines.push({ at: Number(line.slice(0, space)), text: line.slice(space + 1) });
    });
    this.closed = new Promise((resolve) => reader.on('close', resolve));
  }

  /** Call once the watched process holds its copy of `input`: its end then closes the stamper's. */
  release(): void {
    this.input.destroy();
  }

  /** Ends the stamper even if a writer is left (the lab's cleanup). */
  async stop(): Promise<void> {
    this.stamper.kill('SIGKILL');
    await this.stamper;
  }

  find(pattern: RegExp, since = 0): TimedLine | undefined {
    return this.lines.find((l) => l.at >= since && pattern.test(l.text));
  }

  async waitFor(pattern: RegExp, timeoutMs: number, since = 0): Promise<TimedLine> {
    await waitFor(
      () => this.find(pattern, since) !== undefined,
      `a line matching ${pattern}`,
      timeoutMs,
    ).catch((error: unknown) => {
      throw new Error(
        `${String(error)}\noutput so far:\n${this.lines.map((l) => l.text).join('\n')}`,
      );
    });
    const line = this.find(pattern, since);
    if (!line) throw new Error('line vanished');
    return line;
  }
}
