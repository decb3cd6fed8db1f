// Runs one resource agent operation (`Script a b start`) with a deadline, logs what it says and
// maps its exit code (LSB, or heartbeat's status text) to a result the executor acts on.
import type { AgentOperation, AgentResult } from '../cluster/types.js';
import type { ResourceSpec } from '../config/resource-spec.js';
import { formatDuration } from '../config/time.js';
import type { Level } from '../log/levels.js';
import { runBounded, type CommandOutcome } from '../process/bounded-command.js';

export interface AgentCall {
  /** The resolved executable (see findAgent). */
  readonly path: string;
  readonly spec: ResourceSpec;
  readonly operation: AgentOperation;
  readonly timeoutMs: number;
  /** Added to our own environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Aborting kills the agent at once. */
  readonly signal?: AbortSignal;
}

export type AgentLog = (level: Level, text: string) => void;

/** Heartbeat's ResourceManager: "not" then, anywhere after it, "running" means stopped. */
const NOT_RUNNING_TEXT = /not .*running/is;

/** LSB exit codes of start, stop and the other actions. */
const ACTION_MEANING: Readonly<Record<number, string>> = {
  0: 'success',
  1: 'generic or unspecified error',
  2: 'invalid or excess arguments',
  3: 'unimplemented feature',
  4: 'user had insufficient privilege',
  5: 'program is not installed',
  6: 'program is not configured',
  7: 'program is not running',
};

/** LSB exit codes of status, and OCF's 7. */
const STATUS_MEANING: Readonly<Record<number, string>> = {
  0: 'program is running',
  1: 'program is dead and /var/run pid file exists',
  2: 'program is dead and /var/lock lock file exists',
  3: 'program is not running',
  4: 'program or service status is unknown',
  7: 'not running (OCF)',
};

export async function runAgent(call: AgentCall, log: AgentLog): Promise<AgentResult> {
  const { spec, operation } = call;
  const command = [call.path, ...spec.args, operation].join(' ');
  // Status runs all the time (monitoring); its Running line and output stay at debug.
  const outputLevel = operation === 'status' ? 'debug' : 'info';
  log(outputLevel, `Running ${command}`);
  const name = `${spec.script}(${spec.text})`;
  const outcome = await runBounded({
    file: call.path,
    args: [...spec.args, operation],
    timeoutMs: call.timeoutMs,
    env: call.env,
    ...(call.signal ? { signal: call.signal } : {}),
    onLine: (line, stream) => {
      if (line.trim() !== '') log(stream === 'stderr' ? 'warn' : outputLevel, `${name}: ${line}`);
    },
  });
  if (outcome.kind !== 'exited') {
    const failure = failureDetail(call, outcome);
    log('error', failure);
    return operation === 'status'
      ? { operation, state: 'unknown', detail: failure }
      : { operation, ok: false, detail: failure };
  }
  const { code } = outcome;
  if (operation !== 'status') {
    // Stopping what is not running is a success (LSB 7), as for Pacemaker.
    const ok = code === 0 || (operation === 'stop' && code === 7);
    if (!ok) log('error', `Return code ${code} from ${command} (${meaning(code, ACTION_MEANING)})`);
    return { operation, ok, detail: `exit ${code}: ${meaning(code, ACTION_MEANING)}` };
  }
  return statusResult(code, outcome.stdout, command, log);
}

function statusResult(code: number, stdout: string, command: string, log: AgentLog): AgentResult {
  const detail = `exit ${code}: ${meaning(code, STATUS_MEANING)}`;
  if (code === 0) {
    // Heartbeat-style scripts exit 0 either way and say which in their output.
    return NOT_RUNNING_TEXT.test(stdout)
      ? { operation: 'status', state: 'stopped', detail: 'exit 0, output says not running' }
      : { operation: 'status', state: 'running', detail };
  }
  // 7 is OCF "not running": heartbeat's own resource.d wrappers return it for a stopped resource.
  if (code === 3 || code === 7) return { operation: 'status', state: 'stopped', detail };
  if (code === 1 || code === 2) {
    log('warn', `${command}: ${meaning(code, STATUS_MEANING)}; counted as stopped`);
    return { operation: 'status', state: 'stopped', detail };
  }
  log('error', `Return code ${code} from ${command} (${meaning(code, STATUS_MEANING)})`);
  return { operation: 'status', state: 'unknown', detail };
}

/** The error line for an agent that did not exit on its own. */
function failureDetail(
  call: AgentCall,
  outcome: Exclude<CommandOutcome, { kind: 'exited' }>,
): string {
  const what = `${call.spec.text} ${call.operation}`;
  switch (outcome.kind) {
    case 'timed-out':
      return `${what} timed out after ${formatDuration(call.timeoutMs)}; killed its process group`;
    case 'cancelled':
      return `${what} cancelled: this node is stopping; killed its process group`;
    case 'signalled':
      return `${what}: ${call.path} was killed by ${outcome.signal}`;
    case 'failed-to-start':
      return `${what}: cannot run ${call.path}: ${outcome.message}`;
  }
}

function meaning(code: number, known: Readonly<Record<number, string>>): string {
  const text = known[code];
  if (text !== undefined) return text;
  if (code < 100) return 'reserved for future LSB use';
  if (code < 150) return 'reserved for distribution use';
  if (code < 200) return 'reserved for application use';
  return 'reserved';
}
