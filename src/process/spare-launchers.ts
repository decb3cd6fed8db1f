// Keeps a few launcher processes started ahead of time, each waiting to exec one command: starting
// an agent then costs a pipe write, not a fork of this large process (about 3 ms, blocking us).
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { execa } from 'execa';
import { diesWithDaemon } from './die-with-daemon.js';
import {
  encodeRequest,
  LAUNCHER,
  readLaunchStatus,
  startFailureCode,
  type LaunchStatus,
} from './launch-request.js';

/** perl-base is part of every Debian system; without it, commands simply start directly. */
const PERL = '/usr/bin/perl';
/** Spares are started once no command has run for this long, so as not to slow a running group. */
const REFILL_AFTER_IDLE_MS = 50;

/** A started process whose stdout and stderr are pipes to us: what a bounded command watches. */
export interface PipedProcess {
  readonly pid?: number | undefined;
  readonly stdout: Readable;
  readonly stderr: Readable;
  on(
    event: 'exit',
    listener: (code: number | null, signal: NodeJS.Signals | null) => void,
  ): unknown;
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
   * Keeps `capacity` spares ready from now on (0 ends them), and tries again if they could not be
   * had before. `report` hears, once, why spares cannot be had; commands then start directly.
   */
  keep(capacity: number, report?: (text: string) => void): void {
    this.#capacity = capacity;
    this.#unavailable = false;
    if (report) this.#report = report;
    this.#retire(capacity);
    this.#scheduleRefill();
  }

  /**
   * A spare handed the command, now that command's process, with what it says of the launch; or
   * undefined when none is ready. A spare already gone is left for its exit to report.
   */
  take(
    file: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv,
  ): { child: PipedProcess; launch: LaunchStatus } | undefined {
    const [spare] = this.#spares;
    if (!spare || spare.exitCode !== null || spare.signalCode !== null) return undefined;
    const request = encodeRequest(file, args, env);
    if (request === undefined) return undefined;
    this.#spares = this.#spares.slice(1);
    holdEventLoop(spare, true);
    const launch = readLaunchStatus(spare.stdio[3], file);
    spare.stdin.end(request);
    return { child: spare, launch };
  }

  /**
   * Like `take`, but from a launcher started now, when spares are kept yet none is ready: the
   * command still starts the way spares start it (dying with us), a fork later.
   */
  launchNow(
    file: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv,
  ): { child: PipedProcess; launch: LaunchStatus } | undefined {
    if (this.#capacity === 0 || this.#unavailable) return undefined;
    const request = encodeRequest(file, args, env);
    if (request === undefined) return undefined;
    let spare: Spare;
    try {
      spare = startSpare(this.#perl);
    } catch {
      return undefined;
    }
    if (spare.pid === undefined) return undefined;
    spare.stdin.on('error', () => undefined);
    holdEventLoop(spare, true);
    const launch = readLaunchStatus(spare.stdio[3], file);
    spare.stdin.end(request);
    return { child: spare, launch };
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
      if (this.#running > 0 || this.#unavailable || this.#spares.length >= this.#capacity) return;
      this.#spawn();
      this.#scheduleRefill();
    }, this.#refillAfterIdleMs).unref();
  }

  #spawn(): void {
    let spare: Spare;
    try {
      spare = startSpare(this.#perl);
    } catch (error) {
      this.#giveUp(`cannot start ${this.#perl}: ${error instanceof Error ? error.message : ''}`);
      return;
    }
    if (spare.pid === undefined) {
      void spare.then((result) => {
        const code = startFailureCode(result);
        this.#giveUp(`cannot start ${this.#perl}: ${code}`);
      });
      return;
    }
    // A spare taken just as it died: the command learns that from the status pipe.
    spare.stdin.on('error', () => undefined);
    spare.once('exit', (code, signal) => {
      if (!this.#spares.includes(spare)) return;
      const how = signal === null ? `exited with code ${String(code)}` : `was killed by ${signal}`;
      this.#giveUp(`a spare launcher (${this.#perl}) ${how} before use`);
    });
    holdEventLoop(spare, false);
    this.#spares.push(spare);
  }

  #retire(keep: number): void {
    for (const spare of this.#spares.splice(keep)) spare.stdin.end();
  }

  #giveUp(reason: string): void {
    if (this.#unavailable) return;
    this.#unavailable = true;
    this.#retire(0);
    this.#report(`${reason}; agents start directly from now on`);
  }
}

type Spare = ReturnType<typeof startSpare>;

/** A launcher with its four pipes; its pid is undefined when it could not start. */
function startSpare(perl: string) {
  // The launcher becomes the command (exec), which so keeps its parent-death signal.
  const launcher = diesWithDaemon(perl, ['-e', LAUNCHER]);
  const spare = execa(launcher.file, launcher.args, {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    buffer: false,
    reject: false,
    cleanup: false,
    // The environment travels with each request.
    env: {},
    extendEnv: false,
  });
  // Its outcome comes from the events; execa's promise only needs to settle quietly.
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
