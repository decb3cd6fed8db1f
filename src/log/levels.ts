// Log levels as heartbeat prints and ranks them, and their syslog priorities.

export const LEVELS = { crit: 0, error: 1, warn: 2, notice: 3, info: 4, debug: 5 } as const;

export type Level = keyof typeof LEVELS;

export const LEVEL_LABEL: Record<Level, string> = {
  crit: 'CRIT',
  error: 'ERROR',
  warn: 'WARN',
  notice: 'notice',
  info: 'info',
  debug: 'debug',
};

export const SYSLOG_PRIORITY: Record<Level, string> = {
  crit: 'crit',
  error: 'err',
  warn: 'warning',
  notice: 'notice',
  info: 'info',
  debug: 'debug',
};

export function isLevel(text: string): text is Level {
  return Object.hasOwn(LEVELS, text);
}
