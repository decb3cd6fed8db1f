// Asks the running daemon one thing, turning "not running" and "not allowed" into LSB exits.
import { AccessDeniedError, askDaemon, NotRunningError } from '../control/client.js';
import type { ControlReply, ControlRequest } from '../control/protocol.js';
import { EXIT } from './exit-codes.js';
import type { CliIO } from './io.js';

/** LSB: "user had insufficient privilege". */
export const EXIT_NO_PRIVILEGE = 4;

/** The daemon's reply, or the exit status after the reason was printed in one line. */
export async function callDaemon(
  runDir: string,
  request: ControlRequest,
  io: CliIO,
  timeoutMs?: number,
): Promise<ControlReply | number> {
  try {
    return await askDaemon(runDir, request, timeoutMs);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.err(`${message}\n`);
    if (error instanceof NotRunningError) return EXIT.notRunning;
    if (error instanceof AccessDeniedError) return EXIT_NO_PRIVILEGE;
    return EXIT.failure;
  }
}

/** Prints a reply's message (or error) and maps it to an exit status. */
export function reportReply(reply: ControlReply, io: CliIO): number {
  if (!reply.ok) {
    io.err(`${reply.error}\n`);
    return EXIT.failure;
  }
  if (reply.message !== undefined) io.out(`${reply.message}\n`);
  return EXIT.ok;
}
