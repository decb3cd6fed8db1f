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

/** Syslog severity numbers (RFC 5424). */
export const SYSLOG_SEVERITY: Record<Level, number> = {
  crit: 2,
  error: 3,
  warn: 4,
  notice: 5,
  info: 6,
  debug: 7,
};

/** Syslog facility numbers by the names ha.cf's logfacility accepts. */
export const SYSLOG_FACILITY: Readonly<Record<string, number>> = {
  kern: 0,
  user: 1,
  mail: 2,
  daemon: 3,
  auth: 4,
  security: 4,
  syslog: 5,
  lpr: 6,
  news: 7,
  uucp: 8,
  cron: 9,
  authpriv: 10,
  ftp: 11,
  ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`local${i}`, 16 + i])),
};

export function isLevel(text: string): text is Level {
  return Object.hasOwn(LEVELS, text);
}
