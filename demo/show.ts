// The demo's printing: numbered steps, lines stamped with the time since the demo began, indented
// blocks of files and command output. Silenced once the demo is interrupted and cleaning up.
import { monoMs } from '../test/helpers/failover-lab.js';

const began = monoMs();
let silenced = false;

/** Seconds since the demo began, at monoMs() time `at`, as a fixed-width column. */
function stamp(at = monoMs()): string {
  return `[${((at - began) / 1000).toFixed(3).padStart(7)}s]`;
}

export const ms = (value: number): string => `${Math.round(value)} ms`;

function write(text: string): void {
  if (!silenced) process.stdout.write(`${text}\n`);
}

export function title(text: string): void {
  write(`${text}\n${'='.repeat(text.length)}`);
}

export function step(number: number, text: string): void {
  write(`\n${stamp()} ${String(number)}. ${text}`);
}

/** A line of the story; `at` stamps it with when it happened rather than now. */
export function say(text: string, at?: number): void {
  write(`${stamp(at)}    ${text}`);
}

/** A file or a command's output, indented under the current step. */
export function block(text: string): void {
  const lines = text.replace(/\n+$/, '').split('\n');
  for (const line of lines) write(`${' '.repeat(11)}  | ${line}`.trimEnd());
}

/** Text at the margin (the summary). */
export function plain(text: string): void {
  write(text);
}

/** The session's own messages (failure, interruption, cleanup): printed even when silenced. */
export function notice(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** From now on, nothing is printed (the demo is being torn down after an interruption). */
export function silence(): void {
  silenced = true;
}

export interface Moment {
  readonly at: number;
  readonly text: string;
}

/** Things that happened, in the order they happened. */
export function timeline(events: readonly Moment[]): void {
  for (const event of [...events].sort((a, b) => a.at - b.at)) say(event.text, event.at);
}

/** A node's log line as a moment: without the `heartbeat[PID]: date` prefix, after the node's name. */
export function logMoment(node: string, line: Moment): Moment {
  return { at: line.at, text: `${node}: ${line.text.replace(/^heartbeat\[\d+\]: \S+ /, '')}` };
}
