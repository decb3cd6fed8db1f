// `heartbeat cl-status ...` and the `cl_status` command: heartbeat's queries, the same answers.
import { AccessDeniedError, askDaemon, NotRunningError } from '../control/client.js';
import type { StatusSnapshot } from '../control/snapshot.js';
import { CL_STATUS_HELP, clStatusQuery } from './cl-status-query.js';
import type { Command } from './command.js';
import { EXIT_NO_PRIVILEGE } from './daemon-call.js';
import { EXIT } from './exit-codes.js';
import { runDir } from './options.js';

export const clStatusCommand: Command = {
  name: 'cl-status',
  summary: "heartbeat's cl_status queries (hbstatus, listnodes, nodestatus, rscstatus, ...)",
  help: CL_STATUS_HELP,
  async run(args, io) {
    let snapshot: StatusSnapshot | undefined;
    try {
      const reply = await askDaemon(runDir(undefined, io), { cmd: 'status' });
      snapshot = reply.ok ? reply.status : undefined;
    } catch (error) {
      if (error instanceof AccessDeniedError) {
        io.err(`${error.message}\n`);
        return EXIT_NO_PRIVILEGE;
      }
      if (!(error instanceof NotRunningError)) {
        io.err(`${error instanceof Error ? error.message : String(error)}\n`);
        return EXIT.failure;
      }
    }
    const answer = clStatusQuery(args, snapshot);
    io.out(answer.out);
    io.err(answer.err);
    return answer.code;
  },
};
