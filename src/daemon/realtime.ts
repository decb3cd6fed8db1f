// Puts the daemon at the realtime priority ha.cf asks for (heartbeat's `realtime`, on by default),
// so that a busy machine cannot delay heartbeats into a false death; what it starts runs normally.
import { execa } from 'execa';
import type { Log } from '../log/logger.js';

export async function enterRealtime(priority: number | null, log: Log): Promise<void> {
  if (priority === null) return;
  // --reset-on-fork: agents, STONITH plugins and respawned clients start at normal priority.
  const result = await execa(
    'chrt',
    ['--rr', '--reset-on-fork', '--all-tasks', '--pid', String(priority), String(process.pid)],
    { reject: false, timeout: 5000 },
  );
  if (!result.failed) {
    log.log('info', `Running at realtime priority ${priority} (SCHED_RR); memory is not locked.`);
    return;
  }
  const detail = result.stderr.trim() || result.shortMessage;
  log.log(
    'warn',
    `realtime: could not run at SCHED_RR priority ${priority} (${detail}); heartbeats may be late on a busy machine`,
  );
}
