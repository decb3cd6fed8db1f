// Runs the demo with one way out: at the end, on a failure or on SIGINT/SIGTERM/SIGHUP, everything
// it owns is removed before it exits, and a failure is reported in one line, never a stack trace.
import { setTimeout as delay } from 'node:timers/promises';
import { ms, notice, silence } from './show.js';

interface Owned {
  destroy(): Promise<void>;
}

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
const CLEANUP_TIMEOUT_MS = 60_000;

export class Session {
  private readonly owned: Promise<Owned | undefined>[] = [];
  private ending = false;

  /** Takes ownership of something being created, so an interruption during creation removes it. */
  own<T extends Owned>(creating: Promise<T>): Promise<T> {
    this.owned.push(creating.catch(() => undefined));
    return creating;
  }

  /** Runs the demo, then cleans up and exits: 0 when it went through, 1 on a failure. */
  async run(body: () => Promise<void>): Promise<void> {
    for (const [signal, code] of Object.entries(SIGNAL_EXIT)) {
      process.on(signal, () => void this.interrupt(signal, code));
    }
    const fail = (error: unknown): void => void this.fail(error);
    process.on('uncaughtException', fail);
    process.on('unhandledRejection', fail);
    try {
      await body();
    } catch (error) {
      await this.fail(error);
      return;
    }
    await this.finish(0);
  }

  private async fail(error: unknown): Promise<void> {
    // After an interruption, whatever the demo was waiting for fails: that is no news.
    if (this.ending) return;
    notice(`\nThe demo failed: ${reason(error)}`);
    await this.finish(1);
  }

  private async interrupt(signal: string, code: number): Promise<void> {
    if (this.ending) {
      notice(`(${signal}: still cleaning up, please wait)`);
      return;
    }
    notice(`\n${signal}: stopping the demo.`);
    silence();
    await this.finish(code);
  }

  private async finish(code: number): Promise<void> {
    this.ending = true;
    notice('Cleaning up: stopping every process, removing the namespaces and files...');
    const cleanup = Promise.all(this.owned.map(async (o) => (await o)?.destroy())).then(
      () => 'done' as const,
      (error: unknown) => `failed: ${reason(error)}`,
    );
    const timeout = delay(CLEANUP_TIMEOUT_MS, `did not finish in ${ms(CLEANUP_TIMEOUT_MS)}`);
    const outcome = await Promise.race([cleanup, timeout]);
    if (outcome === 'done') {
      notice('Cleaned up.');
      process.exit(code);
    }
    notice(`Cleanup ${outcome}. Look for what is left with \`ip netns list\` and \`ps\`.`);
    process.exit(1);
  }
}

/** One line: the error's first line, plus the last line a failed command printed. */
function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const first = error.message.split('\n')[0] ?? '';
  const stderr = (error as { stderr?: unknown }).stderr;
  const detail = typeof stderr === 'string' ? stderr.trim().split('\n').at(-1) : undefined;
  return detail ? `${first}: ${detail}` : first;
}
