// `heartbeat cleanup [GROUP]`: forgets failures on both nodes, as Pacemaker's crm_resource
// --cleanup does, so a group that left a node because of them may come back.
import type { Command } from './command.js';
import { callDaemon, reportReply } from './daemon-call.js';
import { parseOptions, RUN_DIR_OPTION, runDir } from './options.js';

export const cleanupCommand: Command = {
  name: 'cleanup',
  summary: 'forget the failures of a group (or of all), on both nodes',
  help: [
    'Usage: heartbeat cleanup [GROUP] [--run-dir DIR]',
    '',
    'Forgets the failures (monitor failures, a failed start) of GROUP (its first resource, as',
    "'heartbeat status' names it), or for every group, on this node and on the peer",
    "when it runs: like Pacemaker's cleanup, it can be run on either node. A group that",
    'left a node after migration_threshold failures may run there again: with',
    'auto_failback on it goes home. Exit 0 when done, 1 for an unknown group, 3 when',
    'heartbeat is not running.',
    '',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseOptions(args, RUN_DIR_OPTION, 1);
    const group = positionals[0];
    const request = { cmd: 'cleanup' as const, ...(group === undefined ? {} : { group }) };
    const reply = await callDaemon(runDir(values['run-dir'], io), request, io);
    return typeof reply === 'number' ? reply : reportReply(reply, io);
  },
};
