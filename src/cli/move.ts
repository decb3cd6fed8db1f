// `heartbeat standby` and `heartbeat takeover`: hb_standby and hb_takeover, moving groups on purpose.
import type { ResourceSet } from '../control/protocol.js';
import type { Command } from './command.js';
import { callDaemon, reportReply } from './daemon-call.js';
import { UsageError } from './exit-codes.js';
import { parseOptions, RUN_DIR_OPTION, runDir } from './options.js';

const SETS = ['all', 'local', 'foreign'] as const;

function moveCommand(name: 'standby' | 'takeover', summary: string, what: string[]): Command {
  const extra = name === 'standby' ? '|failback' : '';
  return {
    name,
    summary,
    help: [
      `Usage: heartbeat ${name} [all|local|foreign${extra}] [--run-dir DIR]`,
      '',
      ...what,
      '',
      'local: the groups whose home (first word in haresources) is this node; foreign: the',
      "peer's; all (the default): both. The move uses heartbeat's handshake, so it works with a",
      'heartbeat 3.0.6 peer too. Exit 0 once the request is accepted; follow it with',
      "'heartbeat status' or the log. Refused (exit 1) while resources are moving or the peer",
      'is not active; 3 when heartbeat is not running.',
      '',
    ].join('\n'),
    async run(args, io) {
      const { values, positionals } = parseOptions(args, RUN_DIR_OPTION, 1);
      const word = positionals[0] ?? 'all';
      const set = name === 'standby' && word === 'failback' ? 'foreign' : word;
      if (!(SETS as readonly string[]).includes(set)) {
        throw new UsageError(
          `unknown resource set "${word}": use all, local or foreign${extra.replace('|', ', or ')}`,
        );
      }
      const request = { cmd: name, set: set as ResourceSet };
      const reply = await callDaemon(runDir(values['run-dir'], io), request, io);
      return typeof reply === 'number' ? reply : reportReply(reply, io);
    },
  };
}

export const standbyCommand = moveCommand(
  'standby',
  "hand this node's resource groups to the peer (hb_standby)",
  [
    'Gives resource groups to the peer: this node releases them (last group first) once the',
    'peer agreed, then the peer starts them. They stay there until moved back or a node leaves.',
  ],
);

export const takeoverCommand = moveCommand(
  'takeover',
  'take resource groups over from the peer (hb_takeover)',
  ['Asks the peer to go standby for the given groups, so that this node starts them.'],
);
