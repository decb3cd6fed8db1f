// What /proc says of a process the tests started.
import { readFileSync } from 'node:fs';

/** Not gone and not a zombie (orphans are not always reaped in containers). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}
