// Collects a process's output lines with their arrival times, and waits for a line with a deadline.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { waitFor } from './wait-for.js';

export interface TimedLine {
  readonly at: number;
  readonly text: string;
}

export class LineWatcher {
  readonly lines: TimedLine[] = [];

  constructor(...streams: (Readable | null | undefined)[]) {
    for (const stream of streams) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (text) => {
        this.lines.push({ at: performance.now(), text });
      });
    }
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
