// ICMP echoes to the ping nodes, one per target every keepalive, through one long-lived fping
// (Node has no raw sockets; no process is started per echo). Each reply is reported by address.
// A helper that exits is logged and started again.
import { createInterface } from 'node:readline';
import { execa, type ResultPromise } from 'execa';
import type { Level } from '../log/levels.js';
import { RestartDelay } from '../process/restart-delay.js';

export const FPING = 'fping';
/** `192.0.2.1 : [12], 64 bytes, 0.05 ms (0.04 avg, 0% loss)`: fping's line for one reply. */
const REPLY = /^(\d{1,3}(?:\.\d{1,3}){3}) : \[\d+\], \d+ bytes/;

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
  private child: ResultPromise | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly delay = new RestartDelay();

  constructor(private readonly options: PingerOptions) {}

  start(): void {
    if (this.stopped || this.options.addresses.length === 0) return;
    const { program = FPING, addresses, intervalMs } = this.options;
    const startedAt = performance.now();
    const child = execa(program, fpingArguments(addresses, intervalMs), {
      stdin: 'ignore',
      buffer: false,
      reject: false,
    });
    this.child = child;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const address = REPLY.exec(line)?.[1];
      if (address !== undefined) this.options.onReply(address);
    });
    const errors: string[] = [];
    createInterface({ input: child.stderr }).on('line', (line) => {
      // Unreachable and similar ICMP errors are normal while a ping node is down.
      if (errors.length < 5) errors.push(line);
    });
    void child.then((result) => {
      if (this.stopped) return;
      const wait = this.delay.next(performance.now() - startedAt);
      const why = result.failed ? (result.shortMessage ?? 'failed') : 'exited';
      const said = errors.length > 0 ? `: ${errors.join(' | ')}` : '';
      this.options.log(
        'error',
        `ping helper (${program}) ${why}${said}; starting it again in ${wait / 1000}s`,
      );
      this.restartTimer = setTimeout(() => this.start(), wait);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    this.child?.kill('SIGTERM');
    await this.child;
  }
}
