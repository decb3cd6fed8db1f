// What the demo needs before it touches anything: root, the system tools its lab and agents run,
// and the built `heartbeat` command. Each missing piece is one line saying what to do.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { CLI } from '../test/helpers/our-node.js';

/** LSB: "user had insufficient privilege". */
export const EXIT_NOT_ROOT = 4;

/** Programs run by the lab (ip), IPaddr (arping) and the udp-echo service (perl). */
const TOOLS = ['ip', 'arping', 'perl'] as const;

export interface Problem {
  readonly message: string;
  readonly exitCode: number;
}

export async function preflight(): Promise<Problem | undefined> {
  if (process.getuid?.() !== 0) {
    return {
      message:
        'The demo needs root: it builds network namespaces and runs the nodes as root. Run: sudo npm run demo',
      exitCode: EXIT_NOT_ROOT,
    };
  }
  const missing: string[] = [];
  for (const tool of TOOLS) if (!(await onPath(tool))) missing.push(tool);
  if (missing.length > 0) {
    return {
      message: `Missing programs: ${missing.join(', ')}. Install them with: scripts/install-dev.sh`,
      exitCode: 1,
    };
  }
  if (!(await isFile(CLI))) {
    return { message: `${CLI} is not built. Run: npm run build`, exitCode: 1 };
  }
  return undefined;
}

async function onPath(program: string): Promise<boolean> {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const dir of dirs) if (await isFile(join(dir, program), constants.X_OK)) return true;
  return false;
}

async function isFile(path: string, mode = constants.R_OK): Promise<boolean> {
  try {
    await access(path, mode);
    return true;
  } catch {
    return false;
  }
}
