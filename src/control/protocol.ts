// The control socket's language: one JSON object per line each way, a request then its reply.
import type { StatusSnapshot } from './snapshot.js';

export type ResourceSet = 'all' | 'local' | 'foreign';

export type ControlRequest =
  | { readonly cmd: 'status' }
  | { readonly cmd: 'stop' }
  | { readonly cmd: 'reload' }
  | { readonly cmd: 'standby'; readonly set: ResourceSet }
  | { readonly cmd: 'takeover'; readonly set: ResourceSet }
  /** Forget monitor failures on this node: of one group (by name), or of all. */
  | { readonly cmd: 'cleanup'; readonly group?: string };

export type ControlReply =
  | { readonly ok: true; readonly message?: string; readonly status?: StatusSnapshot }
  | { readonly ok: false; readonly error: string };

/** Longest request line the daemon reads; anything longer is refused and the connection closed. */
export const MAX_REQUEST_BYTES = 4096;

const SETS: readonly string[] = ['all', 'local', 'foreign'];

/** Validates one request line; a string result is the reason it was refused. */
export function parseRequest(line: string): ControlRequest | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'request is not JSON';
  }
  if (typeof value !== 'object' || value === null) return 'request is not a JSON object';
  const { cmd, set, group } = value as Record<string, unknown>;
  switch (cmd) {
    case 'status':
    case 'stop':
    case 'reload':
      return { cmd };
    case 'standby':
    case 'takeover':
      if (typeof set !== 'string' || !SETS.includes(set))
        return `${cmd} needs "set": one of ${SETS.join(', ')}`;
      return { cmd, set: set as ResourceSet };
    case 'cleanup':
      if (group === undefined) return { cmd };
      return typeof group === 'string' ? { cmd, group } : 'cleanup: "group" must be a string';
    default:
      return `unknown command ${JSON.stringify(cmd)}`;
  }
}
