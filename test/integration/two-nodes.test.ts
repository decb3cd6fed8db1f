// Two real daemons over real UDP broadcast, each in its own network namespace: they see each other
// active, and a SIGKILLed node is declared dead on time.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PID_FILE_NAME } from '../../src/control/client.js';
import { Lab } from '../helpers/netns.js';
import { monoMs, type LineWatcher } from '../helpers/line-watcher.js';
import { runDirOf, startOurNode, writeNodeDir } from '../helpers/our-node.js';

const KEEPALIVE_MS = 200;
const DEADTIME_MS = 1000;

function nodeConfig(
  root: string,
  name: string,
  medium = 'bcast eth0',
  nodeName = name,
  extra: readonly string[] = [],
): Promise<string> {
  const hacf = [
    ...extra,
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

/** Keeps one CPU busy at normal priority for MS milliseconds. */
const BUSY = `const end = Date.now() + Number(process.argv[1]); while (Date.now() < end);`;

/** Writes the scheduling policy it runs at to FILE, then waits to be stopped. */
const POLICY_CLIENT = (file: string): string =>
  `#!/bin/sh\nchrt -p $$ > ${file}.part && mv ${file}.part ${file}\nexec sleep 600\n`;

/** Sends COUNT datagrams of junk (some framed like heartbeat packets) to ADDRESS:PORT, then exits. */
const FLOOD = `
const dgram = require('node:dgram');
const [address, port, count] = process.argv.slice(1);
const socket = dgram.createSocket('udp4');
socket.bind(() => {
  socket.setBroadcast(true);
  let sent = 0;
  const next = () => {
    if (sent >= Number(count)) return socket.close();
    const junk = Buffer.from(sent % 2 ? '###\\n5:(0)t=x,%%%\\n4:1 00,' : 'garbage ' + sent);
    sent++;
    socket.send(junk, Number(port), address, next);
  };
  next();
});`;

describe('two daemons in network namespaces', () => {
  let lab: Lab;
  let root: string;
  const watchers = new Map<string, LineWatcher>();
  const dirs = new Map<string, string>();

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hbts-int-'));
    lab = await Lab.create(['alpha', 'beta']);
    const client = join(root, 'policy-client');
    await writeFile(client, POLICY_CLIENT(join(root, 'client-policy')), { mode: 0o755 });
    for (const name of ['alpha', 'beta']) {
      dirs.set(name, await nodeConfig(root, name, 'bcast eth0', name, [`respawn root ${client}`]));
      const dir = dirs.get(name) ?? '';
      watchers.set(name, startOurNode(lab, name, dir).output);
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

  it("runs at realtime priority 50 (heartbeat's default), the programs it starts at normal priority", async () => {
    const pid = (
      await readFile(join(runDirOf(dirs.get('alpha') ?? ''), PID_FILE_NAME), 'utf8')
    ).trim();
    const daemon = await execa('chrt', ['-p', pid]);
    expect(daemon.stdout).toMatch(/policy: SCHED_RR\|SCHED_RESET_ON_FORK\n.*priority: 50$/);
    await watch('alpha').waitFor(/Running at realtime priority 50 \(SCHED_RR\)/, 1000);
    const policyFile = join(root, 'client-policy');
    const deadline = performance.now() + 10_000;
    while (!existsSync(policyFile) && performance.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await readFile(policyFile, 'utf8')).toMatch(/policy: SCHED_OTHER\n.*priority: 0$/m);
  });

  it('keeps heartbeats on time through a flood of forged packets on a busy machine, reporting it rate-limited', async () => {
    const floodStart = monoMs();
    // Both CPUs also kept busy at normal priority while the flood lasts, as on a loaded server.
    const busy = [1, 2].map(() => execa(process.execPath, ['-e', BUSY, '3000']));
    const flood = lab.spawn('beta', process.execPath, ['-e', FLOOD, '192.0.2.255', '694', '20000']);
    const result = await flood;
    await Promise.all(busy);
    expect(result.exitCode).toBe(0);
    // One more second of normal running after the flood.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const since = (pattern: RegExp): string[] =>
      watch('alpha')
        .lines.filter((l) => l.at >= floodStart && pattern.test(l.text))
        .map((l) => l.text);
    expect(since(/Late heartbeat|is dead/)).toEqual([]);
    const reports = since(/dropped packet from 192\.0\.2\.11/);
    expect(reports.length).toBeGreaterThanOrEqual(1);
    expect(reports.length).toBeLessThanOrEqual(2);
  });

  it('refuses to start on a bcast interface without a broadcast address (heartbeat sent nothing)', async () => {
    await lab.ip('alpha', 'link', 'add', 'nobrd0', 'type', 'veth', 'peer', 'name', 'nobrd1');
    await lab.ip('alpha', 'addr', 'add', '198.51.100.1/24', 'dev', 'nobrd0');
    await lab.ip('alpha', 'link', 'set', 'nobrd0', 'up');
    await lab.ip('alpha', 'link', 'set', 'nobrd1', 'up');
    // gamma runs as alpha, on an interface without a broadcast address.
    const dir = await nodeConfig(root, 'gamma', 'bcast nobrd0', 'alpha');
    const { child, output } = startOurNode(lab, 'alpha', dir);
    const result = await child;
    await output.closed;
    expect(result.exitCode).toBe(6);
    expect(
      output.find(/ha\.cf:\d+: bcast nobrd0: the interface has no IPv4 broadcast address/),
    ).toBeDefined();
  });

  it('declares a SIGKILLed peer dead between deadtime - keepalive and deadtime + keepalive', async () => {
    // Let a few heartbeats pass, then kill beta's daemon outright.
    await watch('alpha').waitFor(/Status update for node beta: status active/, 10_000);
    const killedAt = monoMs();
    await lab.killAll('beta');
    const dead = await watch('alpha').waitFor(/WARN: node beta: is dead/, 10_000, killedAt);
    const elapsed = dead.at - killedAt;
    expect(elapsed).toBeGreaterThanOrEqual(DEADTIME_MS - KEEPALIVE_MS);
    expect(elapsed).toBeLessThanOrEqual(DEADTIME_MS + KEEPALIVE_MS);
    await watch('alpha').waitFor(/Link beta:eth0 dead\./, 1000, killedAt);
  });
});

describe.each([
  ['ucast', ['ucast eth0 192.0.2.10', 'ucast eth0 192.0.2.11']],
  ['mcast', ['mcast eth0 239.0.0.43 694 1 0']],
  ['bcast and ucast together', ['bcast eth0', 'ucast eth0 192.0.2.10', 'ucast eth0 192.0.2.11']],
])('two daemons over %s', (_label, media) => {
  let lab: Lab;
  let root: string;
  afterAll(async () => {
    await lab.destroy();
    await rm(root, { recursive: true, force: true });
  });

  it('see each other active, with no warnings', async () => {
    root = await mkdtemp(join(tmpdir(), 'hbts-media-'));
    lab = await Lab.create(['alpha', 'beta']);
    const watchers = [];
    for (const name of ['alpha', 'beta']) {
      const dir = await nodeConfig(root, name, media.join('\n'));
      watchers.push(startOurNode(lab, name, dir).output);
    }
    const [alpha, beta] = watchers;
    await alpha?.waitFor(/Status update for node beta: status active/, 10_000);
    await beta?.waitFor(/Status update for node alpha: status active/, 10_000);
    await alpha?.waitFor(/Link beta:eth0 up\./, 1000);
    expect(alpha?.find(/ERROR|WARN|CRIT/)).toBeUndefined();
    expect(beta?.find(/ERROR|WARN|CRIT/)).toBeUndefined();
  });
});
