// The agent executor with real processes: one operation per call, missing scripts, and starts
// cancelled by a stopping node.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseResourceSpec, type ResourceSpec } from '../../src/config/resource-spec.js';
import { AgentExecutor } from '../../src/resources/agent-executor.js';
import { waitFor } from '../helpers/wait-for.js';

/** An agent that records each call as "NAME ARGS OPERATION", reports running once started, and
 * takes 30 s to start when its name is `slow`. */
const RECORDER = `#!/bin/sh
name=$(basename "$0")
echo "$name $*" >>"$CALLS"
case "$*" in
  *start) if [ "$name" = slow ]; then sleep 30; fi; : >"$CALLS.$name" ;;
  *stop) rm -f "$CALLS.$name" ;;
  *status) if [ -e "$CALLS.$name" ]; then echo running; else echo "not running"; exit 3; fi ;;
esac
exit 0
`;

function spec(text: string): ResourceSpec {
  const parsed = parseResourceSpec(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
}

describe('agent executor', () => {
  let dir: string;
  let calls: string;
  let logged: string[];
  let executor: AgentExecutor;
  const recorded = async (): Promise<string[]> =>
    (await readFile(calls, 'utf8').catch(() => '')).split('\n').filter(Boolean);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hbts-executor-'));
    calls = join(dir, 'calls');
  });
  beforeEach(async () => {
    await rm(calls, { force: true });
    for (const name of ['IPaddr', 'web', 'slow']) await rm(`${calls}.${name}`, { force: true });
    const agents = new Map<string, string | undefined>([['gone', undefined]]);
    for (const name of ['IPaddr', 'web', 'slow']) {
      await writeFile(join(dir, name), RECORDER);
      await chmod(join(dir, name), 0o755);
      agents.set(name, join(dir, name));
    }
    logged = [];
    executor = new AgentExecutor({
      agents,
      env: { CALLS: calls, PATH: process.env.PATH ?? '/usr/bin:/bin' },
      log: (_level, text) => logged.push(text),
    });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the one operation asked, with the arguments of the haresources entry', async () => {
    const ip = spec('IPaddr::192.0.2.100/24');
    expect(await executor.run(ip, 'start', 5000)).toMatchObject({ operation: 'start', ok: true });
    expect(await executor.run(ip, 'status', 5000)).toMatchObject({ state: 'running' });
    expect(await recorded()).toEqual([
      'IPaddr 192.0.2.100/24 start',
      'IPaddr 192.0.2.100/24 status',
    ]);
  });

  it('reads a missing script as stopped: its stop succeeds, its start fails', async () => {
    const gone = spec('gone');
    expect(await executor.run(gone, 'status', 5000)).toMatchObject({ state: 'stopped' });
    expect(await executor.run(gone, 'stop', 5000)).toMatchObject({ ok: true });
    expect(await executor.run(gone, 'start', 5000)).toMatchObject({ ok: false });
    expect(logged).toContain('Cannot locate resource script gone');
  });

  it('kills a start in flight when starts are cancelled, and no other operation', async () => {
    const start = executor.run(spec('slow'), 'start', 60_000);
    const began = Date.now();
    await waitFor(
      async () => (await recorded()).includes('slow start'),
      'the start to begin',
      10_000,
    );
    executor.cancelStarts();
    expect(await start).toMatchObject({ operation: 'start', ok: false });
    expect(Date.now() - began).toBeLessThan(20_000);
    expect(logged.some((line) => line.includes('cancelled: this node is stopping'))).toBe(true);
    expect(await executor.run(spec('web'), 'stop', 5000)).toMatchObject({ ok: true });
  });
});
