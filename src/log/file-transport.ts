// A winston transport appending pre-formatted lines to a file; reopens on demand (log rotation).
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import TransportStream from 'winston-transport';

export interface FileTransportOptions {
  readonly path: string;
  readonly level: string;
  /** Called once per failure to open or write, so a broken log file never stops the daemon. */
  readonly onError: (error: Error) => void;
}

export class FileTransport extends TransportStream {
  private stream: WriteStream;

  constructor(private readonly options: FileTransportOptions) {
    super({ level: options.level });
    this.stream = this.open();
  }

  override log(info: Record<string | symbol, unknown>, next: () => void): void {
    const line = info[Symbol.for('message')];
    if (typeof line === 'string') this.stream.write(`${line}\n`);
    next();
  }

  /** Starts a new file at the same path, e.g. after logrotate moved the old one. */
  async reopen(): Promise<void> {
    const old = this.stream;
    this.stream = this.open();
    await endStream(old);
  }

  /** Resolves once every line written so far is in the file. */
  async flush(): Promise<void> {
    await endStream(this.stream);
  }

  private open(): WriteStream {
    const stream = createWriteStream(this.options.path, { flags: 'a', mode: 0o644 });
    stream.on('error', (error) => {
      this.options.onError(error);
    });
    return stream;
  }
}

async function endStream(stream: WriteStream): Promise<void> {
  if (stream.destroyed || stream.writableFinished) return;
  const finished = Promise.race([
    once(stream, 'finish'),
    once(stream, 'error'),
    once(stream, 'close'),
  ]);
  stream.end();
  await finished.catch(() => undefined);
}
