// Runs one external command (agent, STONITH plugin) with a deadline, its own process group and
// line-by-line output, and returns when the command exits, even if a child it left behind still
// holds our pipes.
import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import { execa } from 'execa';
import { sharedLaunchers, type PipedProcess, type SpareLaunchers } from './spare-launchers.js';

export interface BoundedCommand {
  readonly file: string;
  readonly args: readonly string[];
  readonly timeoutMs: number;
  /** Added to our own environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Aborting kills the command's process group at once (a stop that cannot wait for a start). */
  readonly signal?: AbortSignal;
  /** Each complete output line, as it arrives. */
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Where a ready process may come from (default: the daemon's). */
  readonly launchers?: SpareLaunchers;
}

export type CommandOutcome =
  | { readonly kind: 'exited'; readonly code: number; readonly stdout: string }
  | { readonly kind: 'signalled'; readonly signal: string; readonly stdout: string }
  | { readonly kind: 'timed-out'; readonly stdout: string }
  | { readonly kind: 'cancelled'; readonly stdout: string }
  | { readonly kind: 'failed-to-start'; readonly message: string };

/** After the command exits, how long output still in the pipes may take to arrive. */
const DRAIN_AFTER_EXIT_MS = 30;
/** Enough of an agent's stdout for the status text rule; the rest is only logged. */
const MAX_KEPT_STDOUT = 64 * 1024;

export function runBounded(command: BoundedCommand): Promise<CommandOutcome> {
  const launchers = command.launchers ?? sharedLaunchers;
  launchers.commandStarted();
  const env = { ...process.env, ...command.env };
  const spare = launchers.take(command.file, command.args, env);
  const child: PipedProcess = spare ?? startDirectly(command);
  const launch = spare ? readLaunchStatus(spare) : undefined;
  const streams = [
    { stream: child.stdout, name: 'stdout' as const },
    { stream: child.stderr, name: 'stderr' as const },
  ];
  const open = new Set(streams.map((s) => s.name));
  let stdout = '';
  let timedOut = false;
  let cancelled = false;
  let exit: { code: number | null; signal: string | null } | undefined;

  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: CommandOutcome): void => {
      if (settled) return;
      settled = true;
      launchers.commandEnded();
      clearTimeout(deadline);
      command.signal?.removeEventListener('abort', cancel);
      for (const { stream } of streams) stream.destroy();
      resolve(outcome);
    };
    const settleExited = (): void => {
      if (!exit || launch?.pending) return;
      const failure = launch?.failure(command.file);
      if (failure?.execFailed) settle({ kind: 'failed-to-start', message: failure.message });
      else if (timedOut) settle({ kind: 'timed-out', stdout });
      else if (cancelled) settle({ kind: 'cancelled', stdout });
      else if (failure) settle({ kind: 'failed-to-start', message: failure.message });
      else if (exit.code !== null) settle({ kind: 'exited', code: exit.code, stdout });
      else settle({ kind: 'signalled', signal: exit.signal ?? 'unknown', stdout });
    };
    const deadline = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, command.timeoutMs);
    const cancel = (): void => {
      cancelled = true;
      killGroup(child.pid);
    };
    if (command.signal?.aborted) cancel();
    command.signal?.addEventListener('abort', cancel, { once: true });

    void launch?.done.then(settleExited);
    for (const { stream, name } of streams) {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        if (name === 'stdout' && stdout.length < MAX_KEPT_STDOUT) stdout += chunk;
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) command.onLine?.(line, name);
      });
      stream.on('close', () => {
        if (partial !== '') command.onLine?.(partial, name);
        partial = '';
        open.delete(name);
        if (open.size === 0) settleExited();
      });
    }
    child.on('error', (error) => {
      if (child.pid === undefined) settle({ kind: 'failed-to-start', message: error.message });
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      if (open.size === 0) return settleExited();
      // A daemon the command started may hold our pipes open forever: stop waiting for them soon.
      setTimeout(settleExited, DRAIN_AFTER_EXIT_MS).unref();
    });
  });
}

function startDirectly(command: BoundedCommand): PipedProcess {
  const child = execa(command.file, [...command.args], {
    detached: true,
    stdin: 'ignore',
    buffer: false,
    reject: false,
    cleanup: false,
    env: command.env ?? {},
  });
  // Results come from the events; execa's own promise only needs to settle quietly.
  void child.catch(() => undefined);
  return child;
}

interface LaunchStatus {
  /** Until the launcher's status pipe closes, which exec does. */
  readonly pending: boolean;
  readonly done: Promise<void>;
  /** Why the command never ran, in the words of a failed direct start; undefined if it ran. */
  failure(file: string): { readonly message: string; readonly execFailed: boolean } | undefined;
}

/** What a spare launcher says on its status pipe: "R" once it has the command, errno if exec failed. */
function readLaunchStatus(spare: PipedProcess): LaunchStatus {
  let text = '';
  let pending = true;
  const pipe = spare.stdio[3] as Readable | null | undefined;
  const done = new Promise<void>((resolve) => {
    if (!pipe) return resolve();
    pipe.setEncoding('utf8');
    pipe.on('data', (chunk: string) => (text += chunk));
    pipe.on('close', () => resolve());
  }).then(() => {
    pending = false;
  });
  return {
    get pending() {
      return pending;
    },
    done,
    failure(file) {
      if (!text.startsWith('R')) {
        return { message: `spawn ${file}: its launcher died first`, execFailed: false };
      }
      if (text === 'R') return undefined;
      const errno = Number(text.slice(1));
      const name = Object.entries(constants.errno).find(([, number]) => number === errno)?.[0];
      return { message: `spawn ${file} ${name ?? `errno ${text.slice(1)}`}`, execFailed: true };
    },
  };
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
}
