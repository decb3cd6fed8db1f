// Runs one external command (agent, STONITH plugin) with a deadline, its own process group and
// line-by-line output, and returns when the command exits, even if a child it left behind still
// holds our pipes.
import { execa } from 'execa';
import { startFailureCode, type LaunchStatus } from './launch-request.js';
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

export async function runBounded(command: BoundedCommand): Promise<CommandOutcome> {
  const launchers = command.launchers ?? sharedLaunchers;
  launchers.commandStarted();
  try {
    const env = { ...process.env, ...command.env };
    const spare =
      launchers.take(command.file, command.args, env) ??
      launchers.launchNow(command.file, command.args, env);
    if (spare) {
      const outcome = await watch(spare.child, command, spare.launch);
      // The launcher died before it had the command: nothing ran, so start it ourselves.
      if (outcome !== LAUNCHER_LOST) return outcome;
    }
    return await runDirectly(command);
  } finally {
    launchers.commandEnded();
  }
}

async function runDirectly(command: BoundedCommand): Promise<CommandOutcome> {
  let child;
  try {
    child = execa(command.file, [...command.args], {
      detached: true,
      stdin: 'ignore',
      buffer: false,
      reject: false,
      cleanup: false,
      env: command.env ?? {},
    });
  } catch (error) {
    // Arguments execa refuses outright (a NUL byte).
    return { kind: 'failed-to-start', message: error instanceof Error ? error.message : '' };
  }
  if (child.pid === undefined) {
    // Said the way a spare launcher says it: "spawn FILE ENOENT".
    const result = await child;
    const code = startFailureCode(result);
    return { kind: 'failed-to-start', message: `spawn ${command.file} ${code}` };
  }
  // Results come from the events; execa's own promise only needs to settle quietly.
  void child.catch(() => undefined);
  return await watch(child, command);
}

const LAUNCHER_LOST = Symbol('the spare launcher died before it had the command');

/** Follows a started command to its outcome: output lines, deadline, cancellation, exit. */
function watch(child: PipedProcess, command: BoundedCommand): Promise<CommandOutcome>;
function watch(
  child: PipedProcess,
  command: BoundedCommand,
  launch: LaunchStatus,
): Promise<CommandOutcome | typeof LAUNCHER_LOST>;
function watch(
  child: PipedProcess,
  command: BoundedCommand,
  launch?: LaunchStatus,
): Promise<CommandOutcome | typeof LAUNCHER_LOST> {
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
    const settle = (outcome: CommandOutcome | typeof LAUNCHER_LOST): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      command.signal?.removeEventListener('abort', cancel);
      for (const { stream } of streams) stream.destroy();
      resolve(outcome);
    };
    /** Once it has exited and its pipes are closed, or `anyway` when they stay open too long. */
    const settleExited = (anyway = false): void => {
      if (!exit || (!anyway && (open.size > 0 || launch?.pending))) return;
      const launched = launch?.result();
      if (launched?.kind === 'exec-failed') {
        settle({ kind: 'failed-to-start', message: launched.message });
      } else if (timedOut) settle({ kind: 'timed-out', stdout });
      else if (cancelled) settle({ kind: 'cancelled', stdout });
      else if (launched?.kind === 'lost') settle(LAUNCHER_LOST);
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

    void launch?.closed.then(() => settleExited());
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
        settleExited();
      });
    }
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      settleExited();
      // A daemon the command started may hold our pipes open forever: stop waiting for them soon.
      setTimeout(() => settleExited(true), DRAIN_AFTER_EXIT_MS).unref();
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
}
