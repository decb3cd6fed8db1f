// A winston transport handing records to the system `logger`: one long-lived process, priority per line.
import { execa, type ResultPromise } from 'execa';
import TransportStream from 'winston-transport';
import { SYSLOG_FACILITY, SYSLOG_SEVERITY, isLevel } from './levels.js';

export interface SyslogTransportOptions {
  readonly facility: string;
  /** Syslog socket to write to instead of /dev/log (tests use their own). */
  readonly socket?: string;
  /** Called when `logger` cannot be run or fails, so syslog trouble never stops the daemon. */
  readonly onError: (error: Error) => void;
}

type LoggerProcess = ResultPromise<{
  stdin: 'pipe';
  stdout: 'ignore';
  stderr: 'pipe';
  reject: false;
}>;

export class SyslogTransport extends TransportStream {
  private child: LoggerProcess | undefined;
  private readonly facilityCode: number;

  constructor(private readonly options: SyslogTransportOptions) {
    super({ level: 'debug' });
    this.facilityCode = SYSLOG_FACILITY[options.facility] ?? SYSLOG_FACILITY.daemon ?? 3;
  }

  override log(info: Record<string | symbol, unknown>, next: () => void): void {
    const body = info[Symbol.for('message')];
    const level = info.level;
    if (typeof body === 'string' && typeof level === 'string' && isLevel(level)) {
      // logger --prio-prefix reads "<PRI>" per line: one process keeps the records in order.
      const priority = this.facilityCode * 8 + SYSLOG_SEVERITY[level];
      this.process().stdin.write(`<${priority}>${body}\n`);
    }
    next();
  }

  /** Ends the `logger` process once it has passed on everything it was given. */
  async flush(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child) return;
    child.stdin.end();
    await child;
  }

  private process(): LoggerProcess {
    if (this.child) return this.child;
    const socket = this.options.socket === undefined ? [] : ['--socket', this.options.socket];
    const child = execa('logger', [...socket, '--prio-prefix', '--tag', 'heartbeat'], {
      stdin: 'pipe',
      stdout: 'ignore',
      stderr: 'pipe',
      reject: false,
    });
    child.stdin.on('error', () => undefined);
    void child.then((result) => {
      if (this.child === child) this.child = undefined;
      if (result.failed) {
        const detail = result.stderr.trim() || result.shortMessage;
        this.options.onError(new Error(`syslog via logger failed: ${detail}`));
      }
    });
    this.child = child;
    return child;
  }
}
