// runAgent against real fixture scripts: LSB and heartbeat-style results, log lines, timeouts that
// kill the whole process group, daemons that keep our pipes, floods of output.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResourceSpec } from '../../src/config/resource-spec.js';
import type { Level } from '../../src/log/levels.js';
import type { AgentOperation, AgentResult } from '../../src/cluster/types.js';
import { runAgent, type AgentCall } from '../../src/resources/agent-runner.js';
import { isAlive } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait-for.js';

const AGENTS = fileURLToPath(new URL('../fixtures/agents', import.meta.url));

let dir: string;
let logged: [Level, string][];
/** Processes a test saw alive; killed afterwards if still there. */
let leftovers: number[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'agent-runner-'));
  logged = [];
  leftovers = [];
});

afterEach(() => {
  for (const pid of leftovers) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function spec(script: string, ...args: string[]): ResourceSpec {
  return { text: [script, ...args].join('::'), script, args };
}

function run(
  resource: ResourceSpec,
  operation: AgentOperation,
  extra: Partial<AgentCall> = {},
): Promise<AgentResult> {
  const call = {
    path: join(AGENTS, resource.script),
    spec: resource,
    operation,
    timeoutMs: 10_000,
  };
  return runAgent({ ...call, ...extra }, (level, text) => logged.push([level, text]));
}

function pidsIn(file: string): number[] {
  const pids = readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
  leftovers.push(...pids);
  return pids;
}

describe('an LSB agent', () => {
  it('starts, reports running, stops and reports stopped, by exit code alone', async () => {
    const state = join(dir, 'state');
    const lsb = spec('lsb-service', state);
    const path = join(AGENTS, 'lsb-service');
    const name = `lsb-service(lsb-service::${state})`;

    expect(await run(lsb, 'start')).toEqual({
      operation: 'start',
      ok: true,
      detail: 'exit 0: success',
    });
    expect(await run(lsb, 'status')).toEqual({
      operation: 'status',
      state: 'running',
      detail: 'exit 0: program is running',
    });
    expect(await run(lsb, 'stop')).toMatchObject({ operation: 'stop', ok: true });
    expect(await run(lsb, 'status')).toEqual({
      operation: 'status',
      state: 'stopped',
      detail: 'exit 3: program is not running',
    });
    expect(logged).toEqual([
      ['info', `Running ${path} ${state} start`],
      ['info', `${name}: Starting lsb-service: done`],
      ['debug', `Running ${path} ${state} status`],
      ['debug', `${name}: lsb-service is up`],
      ['info', `Running ${path} ${state} stop`],
      ['info', `${name}: Stopping lsb-service: done`],
      ['debug', `Running ${path} ${state} status`],
      ['debug', `${name}: lsb-service is stopped`],
    ]);
  });

  it.each([
    ['status', 1, { state: 'stopped' }, 'warn', 'program is dead and /var/run pid file exists'],
    ['status', 2, { state: 'stopped' }, 'warn', 'program is dead and /var/lock lock file exists'],
    ['status', 4, { state: 'unknown' }, 'error', 'program or service status is unknown'],
    ['status', 7, { state: 'stopped', detail: 'exit 7: not running (OCF)' }, undefined, undefined],
    ['status', 150, { state: 'unknown' }, 'error', 'reserved for application use'],
    ['start', 1, { ok: false }, 'error', 'generic or unspecified error'],
    ['start', 7, { ok: false }, 'error', 'program is not running'],
    ['stop', 7, { ok: true }, undefined, undefined],
    ['stop', 5, { ok: false }, 'error', 'program is not installed'],
  ] as const)('%s exiting %i gives %o', async (operation, code, expected, level, meaning) => {
    const state = join(dir, 'state');
    const result = await run(spec('lsb-service', state), operation, {
      env: { FORCE_EXIT: String(code) },
    });
    expect(result).toMatchObject({ operation, ...expected });
    const command = `${join(AGENTS, 'lsb-service')} ${state} ${operation}`;
    const complaints = logged.filter(([l]) => l === 'warn' || l === 'error');
    if (level === undefined) expect(complaints).toEqual([]);
    else if (level === 'warn')
      expect(complaints).toEqual([['warn', `${command}: ${meaning}; counted as stopped`]]);
    else
      expect(complaints).toEqual([['error', `Return code ${code} from ${command} (${meaning})`]]);
  });

  it('reports an agent killed by a signal', async () => {
    const result = await run(spec('lsb-service', join(dir, 'state')), 'status', {
      env: { FORCE_SIGNAL: 'TERM' },
    });
    expect(result).toMatchObject({ operation: 'status', state: 'unknown' });
    expect(logged.filter(([l]) => l === 'error')).toEqual([
      ['error', expect.stringMatching(/status: .*lsb-service was killed by SIGTERM$/)],
    ]);
  });

  it('reports an agent that cannot be run at all', async () => {
    const missing = spec('lsb-service', 'x');
    const start = await run(missing, 'start', { path: join(dir, 'no-such-agent') });
    expect(start).toMatchObject({ operation: 'start', ok: false });
    const status = await run(missing, 'status', { path: join(dir, 'no-such-agent') });
    expect(status).toMatchObject({ operation: 'status', state: 'unknown' });
    expect(logged.filter(([l]) => l === 'error').map(([, text]) => text)).toEqual([
      expect.stringContaining(`lsb-service::x start: cannot run ${join(dir, 'no-such-agent')}`),
      expect.stringContaining(`lsb-service::x status: cannot run ${join(dir, 'no-such-agent')}`),
    ]);
  });
});

describe('a heartbeat-style agent (exit 0 either way)', () => {
  it('is stopped when its status output says "not running", running when it says "OK"', async () => {
    const state = join(dir, 'state');
    const hb = spec('hb-style', state);
    expect(await run(hb, 'status')).toMatchObject({ operation: 'status', state: 'stopped' });
    expect(await run(hb, 'start')).toMatchObject({ operation: 'start', ok: true });
    expect(await run(hb, 'status')).toMatchObject({ operation: 'status', state: 'running' });
    const name = `hb-style(hb-style::${state})`;
    expect(logged.filter(([, text]) => !text.startsWith('Running '))).toEqual([
      ['debug', `${name}: INFO: hb-style is not running`],
      ['warn', `${name}: WARNING: started without a config check`],
      ['info', `${name}: INFO: Success`],
      ['debug', `${name}: INFO: Running OK`],
    ]);
  });

  // Heartbeat's shell pattern: "not", a blank, then "running" anywhere after it.
  it.each([
    ['NOT RUNNING', 'stopped'],
    ['Not currently running', 'stopped'],
    ['is not yet\nrunning', 'stopped'],
    ['not\nrunning', 'running'],
    ['Nothing is running', 'running'],
    ['ok', 'running'],
    ['', 'running'],
  ] as const)('status text %j means %s', async (text, state) => {
    const result = await run(spec('hb-style', join(dir, 'state')), 'status', {
      env: { STATUS_TEXT: text },
    });
    expect(result).toMatchObject({ operation: 'status', state });
    expect(logged.filter(([l]) => l === 'warn' || l === 'error')).toEqual([]);
  });
});

describe('agents that misbehave', () => {
  it('kills a hung agent and its children when the timeout expires', async () => {
    const pidFile = join(dir, 'pids');
    const result = await run(spec('hang', pidFile), 'start', { timeoutMs: 1000 });
    expect(result).toEqual({
      operation: 'start',
      ok: false,
      detail: `hang::${pidFile} start timed out after 1s; killed its process group`,
    });
    const [shell = 0, child = 0] = pidsIn(pidFile);
    expect(child).toBeGreaterThan(0);
    await waitFor(() => !isAlive(shell) && !isAlive(child), 'the agent and its sleep to be gone');
    expect(logged).toEqual([
      ['info', `Running ${join(AGENTS, 'hang')} ${pidFile} start`],
      ['info', `hang(hang::${pidFile}): hanging`],
      ['error', `hang::${pidFile} start timed out after 1s; killed its process group`],
    ]);
  });

  it('returns promptly when the agent leaves a daemon holding its output pipes', async () => {
    const pidFile = join(dir, 'daemon.pid');
    const began = performance.now();
    const result = await run(spec('daemonize', pidFile), 'start');
    const elapsed = performance.now() - began;
    const [daemon = 0] = pidsIn(pidFile);
    expect(result).toMatchObject({ operation: 'start', ok: true });
    // The daemon sleeps 30 s with our pipes open; we must not have waited for it.
    expect(isAlive(daemon)).toBe(true);
    expect(elapsed).toBeLessThan(10_000);
    expect(logged).toContainEqual(['info', `daemonize(daemonize::${pidFile}): daemon started`]);
  });

  it('logs every line of a flood of output, in order, more than a pipe buffer holds', async () => {
    const count = 3000;
    const result = await run(spec('chatty', String(count)), 'stop');
    expect(result).toMatchObject({ operation: 'stop', ok: true });
    const padding = '0'.repeat(60);
    const name = `chatty(chatty::${count})`;
    expect(logged.filter(([l]) => l === 'info').slice(1)).toEqual(
      Array.from({ length: count }, (_, i) => ['info', `${name}: line ${i + 1} ${padding}`]),
    );
    expect(logged.filter(([l]) => l === 'warn')).toEqual([
      ['warn', `${name}: done after ${count} lines`],
    ]);
  });
});
