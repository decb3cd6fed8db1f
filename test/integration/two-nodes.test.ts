// Two real daemons over real UDP broadcast, each in its own network namespace: they see each other
// active, and a SIGKILLed node is declared dead on time.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../helpers/netns.js';
import { LineWatcher } from '../helpers/line-watcher.js';
import { startOurNode, writeNodeDir } from '../helpers/our-node.js';

const KEEPALIVE_MS = 200;
const DEADTIME_MS = 1000;

function nodeConfig(
  root: string,
  name: string,
  medium = 'bcast eth0',
  nodeName = name,
): Promise<string> {
  const hacf = [
    `keepalive ${KEEPALIVE_MS}ms`,
    `deadtime ${DEADTIME_MS}ms`,
    'warntime 500ms',
    'initdead 10',
    medium,
    'auto_failback on',
    'node alpha beta',
  ];
  return writeNodeDir(root, name, { hacf, nodeName });
}

describe('two daemons in network namespaces', () => {
  let lab: Lab;
  let root: string;
  const watchers = new Map<string, LineWatcher>();

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hbts-int-'));
    lab = await Lab.create(['alpha', 'beta']);
    for (const name of ['alpha', 'beta']) {
      const dir = await nodeConfig(root, name);
      const child = startOurNode(lab, name, dir);
      watchers.set(name, new LineWatcher(child.stdout, child.stderr));
    }
  });

  afterAll(async () => {
    await lab.destroy();
    await rm(root, { recursive: true, force: true });
  });

  const watch = (name: string): LineWatcher => {
    const watcher = watchers.get(name);
    if (!watcher) throw new Error(`no watcher for ${name}`);
    return watcher;
  };

  it('each node sees the other active', async () => {
    await watch('alpha').waitFor(/Status update for node beta: status active/, 10_000);
    await watch('beta').waitFor(/Status update for node alpha: status active/, 10_000);
    await watch('alpha').waitFor(/Local status now set to: 'active'/, 1000);
    expect(watch('alpha').find(/ERROR|WARN/)).toBeUndefined();
  });

  it('refuses to start on a bcast interface without a broadcast address (heartbeat sent nothing)', async () => {
    await lab.ip('alpha', 'link', 'add', 'nobrd0', 'type', 'veth', 'peer', 'name', 'nobrd1');
    await lab.ip('alpha', 'addr', 'add', '198.51.100.1/24', 'dev', 'nobrd0');
    await lab.ip('alpha', 'link', 'set', 'nobrd0', 'up');
    await lab.ip('alpha', 'link', 'set', 'nobrd1', 'up');
    // gamma runs as alpha, on an interface without a broadcast address.
    const dir = await nodeConfig(root, 'gamma', 'bcast nobrd0', 'alpha');
    const child = startOurNode(lab, 'alpha', dir);
    const output = new LineWatcher(child.stdout, child.stderr);
    const result = await child;
    expect(result.exitCode).toBe(6);
    expect(
      output.find(/ha\.cf:\d+: bcast nobrd0: the interface has no IPv4 broadcast address/),
    ).toBeDefined();
  });

  it('declares a SIGKILLed peer dead between deadtime - keepalive and deadtime + keepalive', async () => {
    // Let a few heartbeats pass, then kill beta's daemon outright.
    await watch('alpha').waitFor(/Status update for node beta: status active/, 10_000);
    const killedAt = performance.now();
    await lab.killAll('beta');
    const dead = await watch('alpha').waitFor(/WARN: node beta: is dead/, 10_000, killedAt);
    const elapsed = dead.at - killedAt;
    expect(elapsed).toBeGreaterThanOrEqual(DEADTIME_MS - KEEPALIVE_MS);
    expect(elapsed).toBeLessThanOrEqual(DEADTIME_MS + KEEPALIVE_MS);
    await watch('alpha').waitFor(/Link beta:eth0 dead\./, 1000, killedAt);
  });
});
