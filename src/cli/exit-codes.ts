// LSB exit statuses used by every subcommand.

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  notRunning: 3,
  notConfigured: 6,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A mistake in how the command was called: reported in one line, exit status 2. */
export class UsageError extends Error {}
