// ICMP echoes to the ping nodes, one per target every keepalive, through one long-lived fping
// (Node has no raw sockets; no process is started per echo). Each reply is reported by address.
// A helper that exits is logged and started again.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Level } from '../log/levels.js';
import { RestartDelay } from '../process/restart-delay.js';

export const FPING = 'fping';
/** `192.0.2.1 : [12], 64 bytes, 0.05 ms (0.04 avg, 0% loss)`: fping's line for one reply. */
const REPLY_MARK = ' : [';
const REPLY_BYTES = ' bytes';

export interface PingerOptions {
  readonly addresses: readonly string[];
  readonly intervalMs: number;
  readonly onReply: (address: string) => void;
  readonly log: (level: Level, text: string) => void;
  /** The fping program (tests may point elsewhere). */
  readonly program?: string;
}

/** fping's arguments: loop mode, one echo per target each period, targets 1 ms apart. */
export function fpingArguments(addresses: readonly string[], intervalMs: number): string[] {
  const period = Math.max(1, Math.round(intervalMs));
  return ['-l', '-4', '-p', String(period), '-i', '1', ...addresses];
}

export class Pinger {
  private child: ChildProcess | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly delay = new RestartDelay();

  constructor(private readonly options: PingerOptions) {}

  start(): void {
    if (this.stopped || this.options.addresses.length === 0) return;
    const { program = FPING, addresses, intervalMs } = this.options;
    const startedAt = performance.now();
    // node:child_process directly: this child lives as long as the daemon and talks twenty times
    // a second, so the lighter the plumbing the better.
    const child = spawn(program, fpingArguments(addresses, intervalMs), {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const pinged = new Set(addresses);
    eachLine(child.stdout, (line) => {
      const address = replyAddress(line, pinged);
      if (address !== undefined) this.options.onReply(address);
    });
    const errors: string[] = [];
    eachLine(child.stderr, (line) => {
      // Unreachable and similar ICMP errors are normal while a ping node is down.
      if (errors.length < 5) errors.push(line);
    });
    let ended = false;
    const report = (why: string): void => {
      if (ended || this.stopped) return;
      ended = true;
      const wait = this.delay.next(performance.now() - startedAt);
      const said = errors.length > 0 ? `: ${errors.join(' | ')}` : '';
      this.options.log(
        'error',
        `ping helper (${program}) ${why}${said}; starting it again in ${wait / 1000}s`,
      );
      this.restartTimer = setTimeout(() => this.start(), wait);
    };
    child.once('error', (error) => report(`could not be started: ${error.message}`));
    // 'close': its output is read to the end, so what it said before exiting is in `errors`.
    child.once('close', (code, signal) =>
      report(signal ? `was killed by ${signal}` : `exited with code ${String(code)}`),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const closed = new Promise((resolve) => child.once('close', resolve));
    child.kill('SIGTERM');
    await closed;
  }
}

/**
 * The address of an fping reply line, or undefined for any other line. Plain string search: this
 * runs for every echo, in a daemon without V8's JIT.
 */
export function replyAddress(line: string, pinged: ReadonlySet<string>): string | undefined {
  const mark = line.indexOf(REPLY_MARK);
  if (mark <= 0 || !line.includes(REPLY_BYTES, mark)) return undefined;
  const address = line.slice(0, mark);
  return pinged.has(address) ? address : undefined;
}

/** Calls `onLine` for each line of a stream (node:readline would cost the daemon a module more). */
function eachLine(stream: Readable, onLine: (line: string) => void): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
}
