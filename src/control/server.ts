// The daemon's end of the control socket: a unix socket only root can open, taking over a stale
// one left by a killed daemon and refusing to start when another daemon still answers on it.
import { chmod, unlink } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import {
  MAX_REQUEST_BYTES,
  parseRequest,
  type ControlReply,
  type ControlRequest,
} from './protocol.js';

export type ControlHandler = (request: ControlRequest) => Promise<ControlReply>;

export class AlreadyRunningError extends Error {}

export class ControlServer {
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly path: string,
  ) {}

  static async listen(path: string, handle: ControlHandler): Promise<ControlServer> {
    if (await answers(path)) {
      throw new AlreadyRunningError(
        `heartbeat is already running (control socket ${path} answers)`,
      );
    }
    await unlink(path).catch(() => undefined);
    const server = createServer();
    const control = new ControlServer(server, path);
    server.on('connection', (socket) => control.serve(socket, handle));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    await chmod(path, 0o600);
    return control;
  }

  async close(): Promise<void> {
    const closed = new Promise((resolve) => this.server.close(resolve));
    for (const socket of this.sockets) socket.end();
    await closed;
  }

  private serve(socket: Socket, handle: ControlHandler): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setEncoding('utf8');
    let buffered = '';
    let queue = Promise.resolve();
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      if (buffered.length > MAX_REQUEST_BYTES && !buffered.includes('\n')) {
        reply(socket, { ok: false, error: `request longer than ${MAX_REQUEST_BYTES} bytes` });
        socket.end();
        return;
      }
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        // One request at a time per connection, so replies come back in order.
        queue = queue.then(async () => {
          const request = parseRequest(line);
          const answer =
            typeof request === 'string'
              ? { ok: false as const, error: request }
              : await handle(request).catch((error: unknown) => ({
                  ok: false as const,
                  error: error instanceof Error ? error.message : String(error),
                }));
          reply(socket, answer);
        });
      }
    });
  }
}

function reply(socket: Socket, answer: ControlReply): void {
  if (!socket.destroyed && socket.writable) socket.write(`${JSON.stringify(answer)}\n`);
}

/** Whether a daemon is listening on the socket (a leftover file from kill -9 does not answer). */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}
