// `heartbeat status`: who holds what and why, for people (or --json for tools); LSB exit 0 or 3.
import type { Command } from './command.js';
import { callDaemon, EXIT_NO_PRIVILEGE } from './daemon-call.js';
import { EXIT } from './exit-codes.js';
import { parseOptions, RUN_DIR_OPTION, runDir } from './options.js';
import { renderStatus } from './status-view.js';

/** What `status --json` says when the daemon did not answer, by exit status. */
const NO_ANSWER: Readonly<Record<number, string>> = {
  [EXIT.notRunning]: 'not running',
  [EXIT_NO_PRIVILEGE]: 'not allowed to ask (run as root)',
};

export const statusCommand: Command = {
  name: 'status',
  summary: 'show this node, the peer, links, resource groups, fencing and recent events',
  help: [
    'Usage: heartbeat status [--json] [--run-dir DIR]',
    '',
    'Exit status (LSB): 0 running, 3 not running, 4 not allowed to ask (run as root).',
    'With --json and no answer, stdout still has one JSON object: {"running":false,"state":...}.',
    '',
    'Options:',
    '  --json           the full status as one JSON object, for tools',
    '  --run-dir DIR    where the control socket is (default: $HA_RUN_DIR or /run/heartbeat)',
    '  -h, --help       this help',
    '',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseOptions(args, { ...RUN_DIR_OPTION, json: { type: 'boolean' } });
    const reply = await callDaemon(runDir(values['run-dir'], io), { cmd: 'status' }, io);
    if (typeof reply === 'number') {
      // A tool reading --json gets JSON whatever happened; the reason is on stderr too.
      if (values.json)
        io.out(`${JSON.stringify({ running: false, state: NO_ANSWER[reply] ?? 'no answer' })}\n`);
      return reply;
    }
    if (!reply.ok || !reply.status) {
      io.err(`${reply.ok ? 'no status in the reply' : reply.error}\n`);
      return EXIT.failure;
    }
    io.out(
      values.json
        ? `${JSON.stringify(reply.status, null, 2)}\n`
        : renderStatus(reply.status, new Date()),
    );
    return EXIT.ok;
  },
};
