// The daemon's address helper: one long-lived Perl process kept ready for IPaddr's work, asked by
// line and answered by line. One that dies or stops answering is logged and replaced; until the
// next is up, callers get no answer and run the agent script instead.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Level } from '../../log/levels.js';
import { RestartDelay } from '../../process/restart-delay.js';
import { ADDRESS_HELPER_SCRIPT } from './helper-script.js';

export interface HelperReply {
  readonly ok: boolean;
  /** What followed `ok` (a listing) or `err` (the reason). */
  readonly text: string;
}

type Waiter = (reply: HelperReply | undefined) => void;

export class AddressHelper {
  private child: ChildProcessWithoutNullStreams | undefined;
  private startedAt = 0;
  private nextId = 1;
  private readonly waiters = new Map<number, Waiter>();
  private received = '';
  private closed = false;
  private relaunch: NodeJS.Timeout | undefined;
  private readonly delay = new RestartDelay();

  constructor(
    private readonly log: (level: Level, text: string) => void,
    /** How to run perl (a test runs it inside a network namespace). */
    private readonly perl: readonly string[] = ['perl'],
  ) {
    this.launch();
  }

  /**
   * Sends the requests at once and resolves with their replies in order; undefined when there is
   * no helper, or it died or took longer than timeoutMs (then it is replaced).
   */
  async ask(requests: readonly string[], timeoutMs: number): Promise<HelperReply[] | undefined> {
    const child = this.child;
    if (!child || requests.length === 0) return undefined;
    const replies = requests.map((request) => {
      const id = this.nextId++;
      const reply = new Promise<HelperReply | undefined>((resolve) =>
        this.waiters.set(id, resolve),
      );
      child.stdin.write(`${id} ${request}\n`);
      return reply;
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    const answered = await Promise.race([Promise.all(replies), late]);
    clearTimeout(timer);
    const complete = answered?.filter((reply) => reply !== undefined);
    if (complete?.length === requests.length) return complete;
    if (!answered && this.child === child) {
      this.log('warn', `address helper (pid ${child.pid}) did not answer within ${timeoutMs} ms`);
      child.kill('SIGKILL');
    }
    return undefined;
  }

  /** The running helper's pid, if one runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Ends the helper for good (the daemon stops). */
  close(): void {
    this.closed = true;
    clearTimeout(this.relaunch);
    this.child?.stdin.end();
    this.child = undefined;
  }

  private launch(): void {
    const [command = 'perl', ...args] = this.perl;
    const child = spawn(command, [...args, '-e', ADDRESS_HELPER_SCRIPT], { stdio: 'pipe' });
    this.child = child;
    this.startedAt = performance.now();
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => this.receive(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        this.log('warn', `address helper: ${line}`);
      }
    });
    child.stdin.on('error', () => undefined);
    child.on('error', (error) => this.exited(child, error.message));
    child.on('exit', (code, signal) => this.exited(child, signal ?? `exit code ${code}`));
  }

  private receive(chunk: string): void {
    this.received += chunk;
    let newline: number;
    while ((newline = this.received.indexOf('\n')) >= 0) {
      const line = this.received.slice(0, newline);
      this.received = this.received.slice(newline + 1);
      const [id = '', status = '', ...rest] = line.split(' ');
      const waiter = this.waiters.get(Number(id));
      this.waiters.delete(Number(id));
      waiter?.({ ok: status === 'ok', text: rest.join(' ') });
    }
  }

  private exited(child: ChildProcessWithoutNullStreams, how: string): void {
    if (this.child !== child) return;
    this.child = undefined;
    this.received = '';
    for (const waiter of this.waiters.values()) waiter(undefined);
    this.waiters.clear();
    if (this.closed) return;
    const waitMs = this.delay.next(performance.now() - this.startedAt);
    this.log(
      'warn',
      `address helper (pid ${child.pid ?? '?'}) ended (${how}); IPaddr runs its agent script until another starts in ${waitMs} ms`,
    );
    this.relaunch = setTimeout(() => this.launch(), waitMs);
    this.relaunch.unref();
  }
}
