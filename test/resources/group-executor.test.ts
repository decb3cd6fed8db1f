// The group executor with real processes: which agents each group operation runs, in which order.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseResourceSpec, type ResourceSpec } from '../../src/config/resource-spec.js';
import { DEFAULT_AGENT_TIMEOUTS } from '../../src/resources/agent-timeouts.js';
import { GroupExecutor } from '../../src/resources/group-executor.js';

/** An agent that records each call as "NAME OPERATION" and reports running once started. */
const RECORDER = `#!/bin/sh
name=$(basename "$0")
echo "$name $*" >>"$CALLS"
case "$*" in
  *start) : >"$CALLS.$name" ;;
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

describe('group executor', () => {
  let dir: string;
  let calls: string;
  let executor: GroupExecutor;
  const group = {
    home: 'alpha',
    name: 'IPaddr::192.0.2.100/24',
    line: 'alpha IPaddr::192.0.2.100/24 web SendArp::192.0.2.100/eth0',
    resources: ['IPaddr::192.0.2.100/24', 'web', 'SendArp::192.0.2.100/eth0'].map(spec),
  };
  const recorded = async (): Promise<string[]> =>
    (await readFile(calls, 'utf8').catch(() => '')).split('\n').filter(Boolean);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hbts-executor-'));
    calls = join(dir, 'calls');
    const agents = new Map<string, string>();
    for (const name of ['IPaddr', 'web', 'SendArp']) {
      await writeFile(join(dir, name), RECORDER);
      await chmod(join(dir, name), 0o755);
      agents.set(name, join(dir, name));
    }
    executor = new GroupExecutor({
      agents,
      timeouts: DEFAULT_AGENT_TIMEOUTS,
      env: { CALLS: calls, PATH: process.env.PATH ?? '/usr/bin:/bin' },
      log: () => undefined,
    });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('acquires left to right after asking each status', async () => {
    expect(await executor.run(0, group as never, 'acquire')).toBe('ok');
    const starts = (await recorded()).filter((line) => line.endsWith(' start'));
    expect(starts).toEqual([
      'IPaddr 192.0.2.100/24 start',
      'web start',
      'SendArp 192.0.2.100/eth0 start',
    ]);
  });

  it('announces a running group again through its address agents alone', async () => {
    await writeFile(calls, '');
    expect(await executor.run(0, group as never, 'reassert')).toBe('ok');
    expect(await recorded()).toEqual([
      'IPaddr 192.0.2.100/24 start',
      'SendArp 192.0.2.100/eth0 start',
    ]);
  });
});
