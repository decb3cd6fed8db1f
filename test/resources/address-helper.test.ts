// The address helper against the reference, resource.d/IPaddr, as root in network namespaces: for
// each argument form both leave the same address (prefix, broadcast, label) and report the same
// status; the helper's gratuitous ARP moves a client; a helper that dies is logged and replaced.
import { execa } from 'execa';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentOperation, AgentResult } from '../../src/cluster/types.js';
import { parseResourceSpec, type ResourceSpec } from '../../src/config/resource-spec.js';
import type { Level } from '../../src/log/levels.js';
import { AddressHelper } from '../../src/resources/address-helper/address-helper.js';
import { HelperIpaddr } from '../../src/resources/address-helper/helper-ipaddr.js';
import { AgentExecutor, BUNDLED_IPADDR } from '../../src/resources/agent-executor.js';
import { Lab } from '../helpers/netns.js';
import { waitFor } from '../helpers/wait-for.js';

const IPADDR = fileURLToPath(new URL('../../resource.d/IPaddr', import.meta.url));

interface Address {
  readonly local: string;
  readonly prefixlen: number;
  readonly broadcast?: string;
  readonly label?: string;
}

const spec = (text: string): ResourceSpec => {
  const parsed = parseResourceSpec(`IPaddr::${text}`);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
};

describe.skipIf(process.getuid?.() !== 0)('the address helper in network namespaces', () => {
  let lab: Lab;
  let root: string;
  let helper: AddressHelper;
  let ipaddr: HelperIpaddr;
  const logged: { level: Level; text: string }[] = [];
  const log = (level: Level, text: string): void => void logged.push({ level, text });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hbts-helper-'));
    lab = await Lab.create(['alpha', 'client']);
    // A second, labelled address already on eth0: the next free label is eth0:1.
    await lab.ip('alpha', 'addr', 'add', '192.0.2.50/24', 'dev', 'eth0', 'label', 'eth0:0');
    helper = new AddressHelper(log, ['ip', 'netns', 'exec', lab.node('alpha').ns, 'perl']);
    ipaddr = new HelperIpaddr(helper, log);
  });

  afterAll(async () => {
    helper.close();
    await lab.destroy();
    await rm(root, { recursive: true, force: true });
  });

  const byHelper = async (text: string, operation: AgentOperation): Promise<AgentResult> => {
    const result = await ipaddr.run(spec(text), operation, 5000, IPADDR);
    if (!result) throw new Error(`the helper did not run ${text} ${operation}`);
    return result;
  };

  const byScript = async (text: string, operation: AgentOperation): Promise<number | undefined> => {
    const result = await execa(
      'ip',
      ['netns', 'exec', lab.node('alpha').ns, IPADDR, text, operation],
      {
        reject: false,
        env: { HA_RSCTMP: root },
        timeout: 10_000,
      },
    );
    return result.exitCode;
  };

  /** The status of 192.0.2.100 through an executor that has the helper, IPaddr being `agent`. */
  const statusThrough = (agent: string): Promise<AgentResult> =>
    new AgentExecutor({
      agents: new Map([['IPaddr', agent]]),
      env: {},
      log,
      helperIpaddr: ipaddr,
    }).run(spec('192.0.2.100/24/eth0'), 'status', 5000);

  const addressOf = async (ip: string): Promise<Address | undefined> => {
    const { stdout } = await execa('ip', ['-n', lab.node('alpha').ns, '-j', '-4', 'addr', 'show']);
    const links = JSON.parse(stdout) as { addr_info: Address[] }[];
    const found = links.flatMap((link) => link.addr_info).find((a) => a.local === ip);
    return (
      found && {
        local: found.local,
        prefixlen: found.prefixlen,
        broadcast: found.broadcast,
        label: found.label,
      }
    );
  };

  it.each([
    '192.0.2.100/24/eth0',
    '192.0.2.101',
    '192.0.2.102/24',
    '192.0.2.103/25/eth0/192.0.2.127',
    '192.0.2.104/32/eth0',
    '192.0.2.105/24/eth0:7',
  ])('%s: start, status and stop leave what the script leaves', async (text) => {
    const ip = text.split('/')[0] ?? '';
    expect(await byScript(text, 'start')).toBe(0);
    const reference = await addressOf(ip);
    expect(reference?.local).toBe(ip);
    expect(await byScript(text, 'status')).toBe(0);
    expect(await byScript(text, 'stop')).toBe(0);
    expect(await addressOf(ip)).toBeUndefined();
    expect((await byHelper(text, 'status')) as object).toMatchObject({ state: 'stopped' });

    expect(await byHelper(text, 'start')).toMatchObject({ ok: true });
    expect(await addressOf(ip)).toEqual(reference);
    expect(await byHelper(text, 'status')).toMatchObject({ state: 'running' });
    expect(await byScript(text, 'status')).toBe(0);
    // Started again while it runs: nothing added, announced again.
    expect(await byHelper(text, 'start')).toMatchObject({ ok: true });
    expect(await byHelper(text, 'stop')).toMatchObject({ ok: true });
    expect(await addressOf(ip)).toBeUndefined();
    expect(await byScript(text, 'status')).toBe(3);
    expect(await byHelper(text, 'stop')).toMatchObject({ ok: true });
  });

  it('an address no interface can hold is not configured (LSB 6), as the script says', async () => {
    expect(await byScript('203.0.113.9', 'start')).toBe(6);
    const result = await byHelper('203.0.113.9', 'start');
    expect(result).toMatchObject({ ok: false, detail: 'exit 6: program is not configured' });
    expect(logged.at(-1)?.text).toContain('no interface has a subnet that contains 203.0.113.9');
  });

  it("its gratuitous ARP moves the client's neighbour entry to alpha, again and again until a stop", async () => {
    const client = lab.node('client').ns;
    const { stdout } = await execa('ip', [
      '-n',
      lab.node('alpha').ns,
      '-j',
      'link',
      'show',
      'eth0',
    ]);
    const alphaMac = (JSON.parse(stdout) as { address: string }[])[0]?.address;
    const FAKE = '02:00:00:00:00:01';
    const misdirect = () =>
      execa('ip', [
        '-n',
        client,
        'neigh',
        'replace',
        '192.0.2.100',
        'lladdr',
        FAKE,
        'dev',
        'eth0',
        'nud',
        'stale',
      ]);
    const neighbour = async (): Promise<string | undefined> => {
      const shown = await execa('ip', ['-n', client, '-j', 'neigh', 'show', '192.0.2.100']);
      return (JSON.parse(shown.stdout || '[]') as { lladdr?: string }[])[0]?.lladdr;
    };
    await misdirect();
    expect(await byHelper('192.0.2.100/24/eth0', 'start')).toMatchObject({ ok: true });
    await waitFor(async () => (await neighbour()) === alphaMac, 'the client to learn alpha', 2000);
    // The rhythm goes on: a later packet corrects the entry again.
    await misdirect();
    await waitFor(async () => (await neighbour()) === alphaMac, 'a later announcement', 2000);
    expect(await byHelper('192.0.2.100/24/eth0', 'stop')).toMatchObject({ ok: true });
    // After the stop nothing is announced: over two rounds (1 s) the entry stays misdirected.
    await misdirect();
    const quietUntil = performance.now() + 1000;
    while (performance.now() < quietUntil) {
      expect(await neighbour()).toBe(FAKE);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  it('a helper that dies is logged and replaced; meanwhile the script runs instead', async () => {
    const first = helper.pid;
    expect(first).toBeGreaterThan(0);
    expect(await readFile(`/proc/${first ?? 0}/cmdline`, 'utf8')).toMatch(
      /^heartbeat: address helper/,
    );
    process.kill(first ?? 0, 'SIGKILL');
    await waitFor(
      () => logged.some((l) => /address helper \(pid \d+\) ended \(SIGKILL\)/.test(l.text)),
      'the death logged',
    );
    expect(await ipaddr.run(spec('192.0.2.100/24/eth0'), 'status', 5000, IPADDR)).toBeUndefined();
    // The executor then runs the script (here in this test's own namespace, where the VIP is not).
    const byScriptResult = await statusThrough(BUNDLED_IPADDR);
    expect(byScriptResult).toEqual({
      operation: 'status',
      state: 'stopped',
      detail: 'exit 3: program is not running',
    });
    await waitFor(() => helper.pid !== undefined, 'another helper', 5000);
    expect(helper.pid).not.toBe(first);
    const byHelperAgain = await statusThrough(BUNDLED_IPADDR);
    expect(byHelperAgain).toMatchObject({
      detail: 'exit 3: program is not running (address helper)',
    });
  });

  it('an IPaddr of your own in <ha.d>/resource.d runs as a script, never through the helper', async () => {
    const own = join(root, 'IPaddr');
    await writeFile(
      own,
      `#!/bin/sh\necho "$@" >>"${root}/own-calls"\necho "not running"\nexit 3\n`,
    );
    await chmod(own, 0o755);
    const result = await statusThrough(own);
    expect(result).toEqual({
      operation: 'status',
      state: 'stopped',
      detail: 'exit 3: program is not running',
    });
    expect(await readFile(join(root, 'own-calls'), 'utf8')).toBe('192.0.2.100/24/eth0 status\n');
  });
});

describe('an address helper that does not answer', () => {
  it('is killed at the timeout, logged and replaced; the caller gets no answer', async () => {
    const logged: string[] = [];
    // A "perl" that reads nothing and says nothing.
    const helper = new AddressHelper(
      (_, text) => void logged.push(text),
      ['sh', '-c', 'exec sleep 60', 'mute'],
    );
    try {
      const first = helper.pid;
      expect(await helper.ask(['list'], 200)).toBeUndefined();
      expect(logged).toContain(`address helper (pid ${first ?? 0}) did not answer within 200 ms`);
      await waitFor(
        () =>
          logged.some((line) =>
            line.startsWith(`address helper (pid ${first ?? 0}) ended (SIGKILL)`),
          ),
        'its end logged',
      );
      await waitFor(() => helper.pid !== undefined && helper.pid !== first, 'another helper', 5000);
    } finally {
      helper.close();
    }
  });
});
