// Keeps a few launcher processes started ahead of time, each waiting to exec one command: starting
// an agent then costs a pipe write, not a fork of this large process (about 3 ms, blocking us).
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { execa } from 'execa';

/** perl-base is part of every Debian system; without it, commands simply start directly. */
const PERL = '/usr/bin/perl';
/** Spares are started once no command has run for this long, so as not to slow a running group. */
const REFILL_AFTER_IDLE_MS = 50;

/**
 * The launcher reads one request until EOF: the argument count, the arguments (the first is the
 * file), then NAME=VALUE environment entries, all NUL-separated. It writes "R" to fd 3, a pipe
 * that exec closes (F_SETFD 2, FD_CLOEXEC 1), then execs the command with stdin on /dev/null; if
 * exec fails, errno's number follows the "R". An empty request (we are closing it) exits 0.
 */
const LAUNCHER = String.raw`
$0 = 'heartbeat: spare launcher';
open(my $status, '>&=', 3) or exit 125;
fcntl($status, 2, 1) or exit 125;
local $/;
my $request = <STDIN>;
exit 0 unless defined $request && length $request;
my ($count, @fields) = split /\0/, $request, -1;
my @argv = splice @fields, 0, $count;
%ENV = map { split /=/, $_, 2 } @fields;
open STDIN, '<', '/dev/null' or exit 125;
syswrite $status, 'R';
exec { $argv[0] } @argv;
syswrite $status, $! + 0;
exit 127;
`;

/** A started process whose stdout and stderr are pipes to us: what a bounded command watches. */
export interface PipedProcess {
  readonly pid?: number | undefined;
  readonly stdout: Readable;
  readonly stderr: Readable;
  readonly stdio: ChildProcess['stdio'];
  on(
    event: 'exit',
    listener: (code: number | null, signal: NodeJS.Signals | null) => void,
  ): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface SpareLaunchersOptions {
  /** The Perl interpreter (tests point it elsewhere). */
  readonly perl?: string;
  readonly refillAfterIdleMs?: number;
}

export class SpareLaunchers {
  readonly #perl: string;
  readonly #refillAfterIdleMs: number;
  #spares: Spare[] = [];
  #capacity = 0;
  #running = 0;
  #refill: NodeJS.Timeout | undefined;
  #unavailable = false;
  #report: (text: string) => void = () => undefined;

  constructor(options: SpareLaunchersOptions = {}) {
    this.#perl = options.perl ?? PERL;
    this.#refillAfterIdleMs = options.refillAfterIdleMs ?? REFILL_AFTER_IDLE_MS;
  }

  /** Spares started and waiting. */
  get ready(): number {
    return this.#spares.length;
  }

  /**
   * Keeps `capacity` spares ready from now on (0 ends them). `report` hears, once, why spares
   * cannot be had; commands then start directly.
   */
  keep(capacity: number, report?: (text: string) => void): void {
    this.#capacity = capacity;
    if (report) this.#report = report;
    for (const spare of this.#spares.splice(capacity)) spare.stdin.end();
    this.#scheduleRefill();
  }

  /**
   * A spare handed the command, now that command's process (its status pipe is stdio[3]), or
   * undefined when none is ready or the command cannot travel as NUL-separated text.
   */
  take(file: string, args: readonly string[], env: NodeJS.ProcessEnv): PipedProcess | undefined {
    const entries = Object.entries(env).flatMap(([name, value]) =>
      value === undefined ? [] : [`${name}=${value}`],
    );
    const fields = [String(1 + args.length), file, ...args, ...entries];
    if (fields.some((field) => field.includes('\0'))) return undefined;
    const spare = this.#spares.shift();
    if (!spare) return undefined;
    holdEventLoop(spare, true);
    spare.stdin.end(fields.join('\0'));
    return spare;
  }

  /** A command started: spares wait until none runs. */
  commandStarted(): void {
    this.#running++;
    clearTimeout(this.#refill);
    this.#refill = undefined;
  }

  commandEnded(): void {
    this.#running--;
    this.#scheduleRefill();
  }

  #scheduleRefill(): void {
    if (this.#refill || this.#running > 0 || this.#unavailable) return;
    if (this.#spares.length >= this.#capacity) return;
    this.#refill = setTimeout(() => {
      this.#refill = undefined;
      if (this.#running > 0 || this.#spares.length >= this.#capacity) return;
      this.#spawn();
      this.#scheduleRefill();
    }, this.#refillAfterIdleMs).unref();
  }

  #spawn(): void {
    const spare = startSpare(this.#perl);
    // A spare taken just as it died: the command reports that from the status pipe.
    spare.stdin.on('error', () => undefined);
    const waiting = (): boolean => this.#spares.includes(spare);
    spare.once('error', (error) => {
      if (spare.pid === undefined) this.#giveUp(`cannot start ${this.#perl}: ${error.message}`);
    });
    spare.once('exit', (code, signal) => {
      if (!waiting()) return;
      const how = signal === null ? `exited with code ${String(code)}` : `was killed by ${signal}`;
      this.#giveUp(`a spare launcher (${this.#perl}) ${how} before use`);
    });
    if (spare.pid === undefined) return;
    holdEventLoop(spare, false);
    this.#spares.push(spare);
  }

  #giveUp(reason: string): void {
    if (this.#unavailable) return;
    this.#unavailable = true;
    this.keep(0);
    this.#report(`${reason}; agents start directly from now on`);
  }
}

type Spare = ReturnType<typeof startSpare>;

function startSpare(perl: string) {
  const spare = execa(perl, ['-e', LAUNCHER], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    buffer: false,
    reject: false,
    cleanup: false,
    // The environment travels with each request.
    env: {},
    extendEnv: false,
  });
  // The command's outcome is read from the events; execa's promise only needs to settle quietly.
  void spare.catch(() => undefined);
  return spare;
}

/** Whether the process and its pipes keep our event loop alive: an idle spare must not. */
function holdEventLoop(spare: Spare, hold: boolean): void {
  if (hold) spare.ref();
  else spare.unref();
  for (const pipe of spare.stdio) {
    const handle = pipe as Partial<Pick<Socket, 'ref' | 'unref'>> | null;
    if (hold) handle?.ref?.();
    else handle?.unref?.();
  }
}

/** The daemon's spares, used by every bounded command unless it names others. */
export const sharedLaunchers = new SpareLaunchers();
