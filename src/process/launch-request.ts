// What a spare launcher and we say to each other: the Perl program it runs, the request we write to
// its stdin, and the status it answers with on its fd 3.
import { finished, type Readable } from 'node:stream';
import { getSystemErrorName } from 'node:util';

/**
 * Reads one request until EOF: its length in bytes, then the argument count, the arguments (the
 * first is the file) and NAME=VALUE environment entries, all NUL-separated. A short request (we
 * died while writing it, or are closing the launcher) exits 0 unrun. Writes "R" to fd 3, a pipe
 * that exec closes (F_SETFD 2, FD_CLOEXEC 1), then execs the command with stdin on /dev/null; if
 * exec fails, errno's number follows the "R".
 */
export const LAUNCHER = String.raw`
$0 = 'heartbeat: spare launcher';
open(my $status, '>&=', 3) or exit 125;
fcntl($status, 2, 1) or exit 125;
local $/;
my $request = <STDIN>;
my ($length, $body) = split /\0/, $request // '', 2;
exit 0 unless defined $body && length($body) == $length;
my ($count, @fields) = split /\0/, $body, -1;
my @argv = splice @fields, 0, $count;
%ENV = map { split /=/, $_, 2 } @fields;
open STDIN, '<', '/dev/null' or exit 125;
syswrite $status, 'R';
exec { $argv[0] } @argv;
syswrite $status, $! + 0;
exit 127;
`;

/** The request for a command, or undefined when a field holds a NUL (only a direct start can say why). */
export function encodeRequest(
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): string | undefined {
  const entries = Object.entries(env).flatMap(([name, value]) =>
    value === undefined ? [] : [`${name}=${value}`],
  );
  const fields = [String(1 + args.length), file, ...args, ...entries];
  if (fields.some((field) => field.includes('\0'))) return undefined;
  const body = fields.join('\0');
  return `${Buffer.byteLength(body)}\0${body}`;
}

/** How far the launcher got: it ran the command, exec failed (and why), or it died first. */
export type LaunchResult =
  | { readonly kind: 'ran' }
  | { readonly kind: 'exec-failed'; readonly message: string }
  | { readonly kind: 'lost' };

export interface LaunchStatus {
  /** Until the status pipe is closed, as exec or the launcher's end closes it. */
  readonly pending: boolean;
  readonly closed: Promise<void>;
  result(): LaunchResult;
}

export function readLaunchStatus(pipe: Readable | null | undefined, file: string): LaunchStatus {
  let text = '';
  let pending = true;
  const closed = new Promise<void>((resolve) => {
    if (!pipe) return resolve();
    pipe.setEncoding('utf8');
    pipe.on('data', (chunk: string) => (text += chunk));
    // Also when the pipe closed before we looked (the launcher died idle).
    finished(pipe, () => resolve());
  }).then(() => {
    pending = false;
  });
  return {
    get pending() {
      return pending;
    },
    closed,
    result() {
      if (!text.startsWith('R')) return { kind: 'lost' };
      if (text === 'R') return { kind: 'ran' };
      // In the words of a failed direct start: "spawn FILE ENOENT".
      return { kind: 'exec-failed', message: `spawn ${file} ${errnoName(Number(text.slice(1)))}` };
    },
  };
}

/** The error code of a process that never started (execa's result), e.g. "ENOENT". */
export function startFailureCode(result: object): string {
  return 'code' in result && typeof result.code === 'string' ? result.code : 'failed';
}

function errnoName(errno: number): string {
  try {
    return getSystemErrorName(-errno);
  } catch {
    return `errno ${String(errno)}`;
  }
}
