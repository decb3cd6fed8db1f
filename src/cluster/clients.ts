// heartbeat's `respawn` clients, decided here and run by the edge: all start once comm is up; one
// that exits is started again (after 1 s if its last run was short) unless it exited 100; more
// than 10 runs in a row shorter than 30 s end it for good ("respawning too fast"). On stop, after
// the groups are released, each gets SIGTERM in turn, last first, and SIGKILL if it will not go.
import type { Emitter } from './emitter.js';
import type { Instant } from './types.js';

/** heartbeat: a run shorter than this counts as short. */
const SHORT_RUN_MS = 30_000;
/** heartbeat: after more than this many short runs in a row, no more restarts. */
const MAX_SHORT_RUNS = 10;
/** heartbeat's child sleeps 1 s before it runs again after a short run. */
const RESTART_AFTER_SHORT_RUN_MS = 1000;
/** heartbeat waits for ever; a client that ignores SIGTERM must not hold a stop up for ever. */
export const CLIENT_STOP_TIMEOUT_MS = 10_000;
/** heartbeat's exit code for "do not start me again". */
const DO_NOT_RESPAWN = 100;

export interface ClientExit {
  /** The exit code, or undefined when a signal ended it (or it never started). */
  readonly code: number | undefined;
  readonly signal: string | undefined;
  readonly ranMs: number;
}

interface Client {
  readonly command: string;
  state: 'idle' | 'starting' | 'running' | 'stopping' | 'waiting' | 'done';
  shortRuns: number;
  /** When a waiting client starts again, or a stopping one gets SIGKILL. */
  dueAt: number;
}

export class Clients {
  private readonly clients: Client[];
  private phase: 'before' | 'running' | 'stopping' | 'stopped' = 'before';
  /** The node is stopping: a client that exits now is not started again. */
  private restarts = true;

  constructor(
    commands: readonly string[],
    private readonly emit: Emitter,
  ) {
    this.clients = commands.map((command) => ({
      command,
      state: 'idle',
      shortRuns: 0,
      dueAt: Infinity,
    }));
  }

  /** Comm is up: every client starts, in ha.cf order. */
  startAll(): void {
    if (this.phase !== 'before') return;
    this.phase = 'running';
    this.clients.forEach((client, index) => this.start(client, index));
  }

  /** The edge started it; it runs until `exited`. */
  started(index: number): void {
    const client = this.clients[index];
    if (client?.state === 'starting') client.state = 'running';
  }

  exited(index: number, exit: ClientExit, at: Instant): void {
    const client = this.clients[index];
    if (!client || client.state === 'idle' || client.state === 'done') return;
    if (this.phase === 'stopping' || this.phase === 'stopped') {
      client.state = 'done';
      client.dueAt = Infinity;
      this.stopNext(at);
      return;
    }
    client.shortRuns = exit.ranMs < SHORT_RUN_MS ? client.shortRuns + 1 : 0;
    if (exit.code === DO_NOT_RESPAWN || !this.restarts) {
      client.state = 'done';
    } else if (client.shortRuns > MAX_SHORT_RUNS) {
      this.emit.log('error', `Client ${client.command} "respawning too fast"`);
      client.state = 'done';
    } else {
      this.emit.log('error', `Respawning client "${client.command}":`);
      client.state = 'waiting';
      client.dueAt = at.mono + (client.shortRuns > 0 ? RESTART_AFTER_SHORT_RUN_MS : 0);
      if (client.dueAt <= at.mono) this.start(client, index);
    }
  }

  tick(at: Instant): void {
    this.clients.forEach((client, index) => {
      if (at.mono < client.dueAt) return;
      client.dueAt = Infinity;
      if (client.state === 'waiting') this.start(client, index);
      else if (client.state === 'stopping') {
        const seconds = CLIENT_STOP_TIMEOUT_MS / 1000;
        this.emit.log(
          'warn',
          `client [${client.command}] still runs ${seconds}s after SIGTERM: sending SIGKILL to its process group`,
        );
        this.emit.client('kill', index);
      }
    });
  }

  nextWakeup(): number {
    return Math.min(...this.clients.map((c) => c.dueAt));
  }

  /** A stop began: from now on no client is started again (heartbeat's shutdown_in_progress). */
  endRestarts(): void {
    this.restarts = false;
    for (const client of this.clients) {
      if (client.state !== 'waiting') continue;
      client.state = 'done';
      client.dueAt = Infinity;
    }
  }

  /** The groups are released: stop the clients one at a time, last first. */
  stopAll(at: Instant): void {
    if (this.phase === 'stopping' || this.phase === 'stopped') return;
    this.phase = 'stopping';
    this.stopNext(at);
  }

  /** Every client is stopped (or none ever ran): the stop may go on. */
  get stopped(): boolean {
    return this.phase === 'stopped';
  }

  /** SIGTERM to the last client still running; the others wait for it to exit. */
  private stopNext(at: Instant): void {
    for (let index = this.clients.length - 1; index >= 0; index--) {
      const client = this.clients[index];
      if (!client || client.state === 'done' || client.state === 'idle') continue;
      if (client.state === 'stopping') return;
      if (client.state === 'running' || client.state === 'starting') {
        client.state = 'stopping';
        client.dueAt = at.mono + CLIENT_STOP_TIMEOUT_MS;
        this.emit.client('stop', index);
        return;
      }
      client.state = 'done';
      client.dueAt = Infinity;
    }
    if (this.clients.every((c) => c.state === 'done' || c.state === 'idle')) this.phase = 'stopped';
  }

  private start(client: Client, index: number): void {
    client.state = 'starting';
    client.dueAt = Infinity;
    this.emit.client('start', index);
  }
}
