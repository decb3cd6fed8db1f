// The command line's end of the control socket: one request, one reply, within a deadline.
import { createConnection } from 'node:net';
import { join } from 'node:path';
import type { ControlReply, ControlRequest } from './protocol.js';

export const SOCKET_NAME = 'heartbeat.sock';
export const PID_FILE_NAME = 'heartbeat.pid';
export const DEFAULT_RUN_DIR = '/run/heartbeat';
const REPLY_TIMEOUT_MS = 10_000;

/** Nobody answers on the socket: no daemon, or one killed without cleaning up. */
export class NotRunningError extends Error {}
/** The socket exists but this user may not open it. */
export class AccessDeniedError extends Error {}

export function socketPath(runDir: string): string {
  return join(runDir, SOCKET_NAME);
}

export function askDaemon(
  runDir: string,
  request: ControlRequest,
  timeoutMs = REPLY_TIMEOUT_MS,
): Promise<ControlReply> {
  const path = socketPath(runDir);
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let buffered = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer from heartbeat on ${path} within ${timeoutMs / 1000}s`));
    }, timeoutMs);
    const finish = (result: ControlReply | Error): void => {
      clearTimeout(timer);
      socket.destroy();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      try {
        finish(JSON.parse(buffered.slice(0, newline)) as ControlReply);
      } catch {
        finish(new Error(`garbled reply from heartbeat on ${path}`));
      }
    });
    socket.on('close', () => finish(new Error(`heartbeat closed ${path} without answering`)));
    socket.on('error', (error: NodeJS.ErrnoException) => finish(describe(error, path)));
  });
}

function describe(error: NodeJS.ErrnoException, path: string): Error {
  if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED')
    return new NotRunningError('heartbeat is not running on this machine.');
  if (error.code === 'EACCES' || error.code === 'EPERM')
    return new AccessDeniedError(`permission denied on ${path}: run as root`);
  return new Error(`cannot reach heartbeat on ${path}: ${error.message}`);
}
