// Spare launchers, and so the agents and STONITH plugins they become, are killed when the daemon
// dies, even by kill -9: an agent left running would finish its start or stop behind the back of
// the next daemon's start-up probe, which would then trust a status that no longer holds. The
// services agents start are their children and live on (fork does not pass the signal on).
import { accessSync, constants } from 'node:fs';

const SETPRIV = '/usr/bin/setpriv';
const canSetParentDeath = executable(SETPRIV);

/** The command that runs `file args` with SIGKILL as its parent-death signal, where possible. */
export function diesWithDaemon(
  file: string,
  args: readonly string[],
): { file: string; args: string[] } {
  // A file that cannot run is started as is, so its failure reads as always (spawn FILE ENOENT).
  if (!canSetParentDeath || !executable(file)) return { file, args: [...args] };
  return { file: SETPRIV, args: ['--pdeathsig', 'KILL', '--', file, ...args] };
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
