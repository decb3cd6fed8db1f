// Runs heartbeat's respawn clients as the core asks: each as its user through `/bin/sh -c "exec
// COMMAND"`, in its own process group, stdin, stdout and stderr on /dev/null; signals the group on
// stop; reports each start and exit, with heartbeat's log lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { ClientExit } from '../cluster/clients.js';
import type { ClientOp } from '../cluster/types.js';
import type { Level } from '../log/levels.js';
import type { UserIds } from './users.js';

export interface ClientSpec {
  /** The command line after the user, as heartbeat hands it to the shell. */
  readonly command: string;
  readonly user: string;
  readonly ids: UserIds;
}

export interface ClientRunnerOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly log: (level: Level, text: string) => void;
  readonly started: (client: number) => void;
  readonly exited: (client: number, exit: ClientExit) => void;
}

interface Running {
  readonly child: ChildProcess;
  readonly startedAt: number;
  /** We signalled it: its death is expected and not logged. */
  signalled: boolean;
}

export class ClientRunner {
  private readonly running = new Map<number, Running>();

  constructor(
    private readonly specs: readonly ClientSpec[],
    private readonly options: ClientRunnerOptions,
  ) {}

  run(op: ClientOp, index: number): void {
    if (op === 'start') this.start(index);
    else this.signal(index, op === 'stop' ? 'SIGTERM' : 'SIGKILL');
  }

  private start(index: number): void {
    const spec = this.specs[index];
    if (!spec) return;
    const { command, user, ids } = spec;
    const { log } = this.options;
    log('info', `Starting child client "${command}" (${ids.uid},${ids.gid})`);
    // setpriv also sets the user's supplementary groups (initgroups), as heartbeat does.
    const asUser = ids.uid === process.getuid?.() ? [] : ['setpriv', `--reuid=${user}`];
    const argv = [
      ...asUser,
      ...(asUser.length > 0 ? [`--regid=${ids.gid}`, '--init-groups', '--'] : []),
      '/bin/sh',
      '-c',
      `exec ${command}`,
    ];
    const [program = '/bin/sh', ...args] = argv;
    const startedAt = performance.now();
    const child = spawn(program, args, {
      detached: true,
      stdio: 'ignore',
      env: this.options.env,
    });
    const entry: Running = { child, startedAt, signalled: false };
    child.once('spawn', () => {
      this.running.set(index, entry);
      log('info', `Starting "${command}" as uid ${ids.uid}  gid ${ids.gid} (pid ${child.pid})`);
      this.options.started(index);
    });
    child.once('error', (error) => {
      if (this.running.get(index) === entry) return;
      log('error', `Cannot start client "${command}": ${error.message}`);
      this.options.exited(index, { code: 127, signal: undefined, ranMs: 0 });
    });
    child.once('exit', (code, signal) => {
      this.running.delete(index);
      if (!entry.signalled)
        log(code === 0 ? 'info' : 'warn', describeExit(command, child, code, signal));
      this.options.exited(index, {
        code: code ?? undefined,
        signal: signal ?? undefined,
        ranMs: performance.now() - startedAt,
      });
    });
  }

  private signal(index: number, signal: 'SIGTERM' | 'SIGKILL'): void {
    const entry = this.running.get(index);
    const pid = entry?.child.pid;
    if (!entry || pid === undefined) return;
    entry.signalled = true;
    const spec = this.specs[index];
    this.options.log(
      'info',
      `killing ${spec?.command ?? '?'} process group ${pid} with signal ${constants.signals[signal]}`,
    );
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is gone already; its exit is on its way.
    }
  }
}

function describeExit(
  command: string,
  child: ChildProcess,
  code: number | null,
  signal: NodeJS.Signals | null,
): string {
  const head = `Managed ${command} process ${child.pid ?? '?'}`;
  if (signal) return `${head} killed by signal ${constants.signals[signal]} [${signal}].`;
  return `${head} exited with return code ${code ?? '?'}.`;
}
