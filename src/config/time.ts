// Heartbeat time values: a bare number is seconds, suffixes us, ms, s and m are accepted.
import ms from 'ms';

const TIME_PATTERN = /^(\d+(?:\.\d*)?|\.\d+)(us|ms|s|m)?$/i;

/** Milliseconds for a heartbeat time value, or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = TIME_PATTERN.exec(text);
  if (!match) return undefined;
  const [, amount = '', unit = ''] = match;
  const lower = unit.toLowerCase();
  if (lower === 'us') return Number(amount) / 1000;
  // ms's own bare numbers are milliseconds; heartbeat's are seconds.
  return ms(`${Number(amount)}${lower === '' ? 's' : lower}` as ms.StringValue);
}

/** A duration as an operator writes it: `500ms`, `2s`, `1.5s`. */
export function formatDuration(milliseconds: number): string {
  if (milliseconds >= 1000 && milliseconds % 100 === 0) return `${milliseconds / 1000}s`;
  return `${Number(milliseconds.toFixed(3))}ms`;
}
