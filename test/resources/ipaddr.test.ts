// The shipped IPaddr and SendArp agents, run as root inside network namespaces: address, label,
// status text and exit codes, argument and tool errors, and gratuitous ARP that moves a client.
import { execa } from 'execa';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../helpers/netns.js';
import { waitFor } from '../helpers/wait-for.js';

const IPADDR = fileURLToPath(new URL('../../resource.d/IPaddr', import.meta.url));
const SENDARP = fileURLToPath(new URL('../../resource.d/SendArp', import.meta.url));
const VIP = '192.0.2.100';

interface Outcome {
  readonly exitCode: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

interface Address {
  readonly local: string;
  readonly prefixlen: number;
  readonly broadcast?: string;
  readonly label?: string;
}

/** Alive and not a zombie (orphans may never be reaped here). */
async function isAlive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && !/^\d+ \(.*\) Z /.test(stat);
}

describe.skipIf(process.getuid?.() !== 0)('IPaddr and SendArp in network namespaces', () => {
  let lab: Lab;
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hbts-ipaddr-'));
    lab = await Lab.create(['alpha', 'beta', 'client']);
  });

  afterAll(async () => {
    await lab.destroy();
    await rm(root, { recursive: true, force: true });
  });

  /** Each node keeps its pid files apart, as separate machines would. */
  const runDir = (node: string): string => join(root, 'run', node);

  const run = async (node: string, agent: string, ...args: string[]): Promise<Outcome> => {
    const result = await execa('ip', ['netns', 'exec', lab.node(node).ns, agent, ...args], {
      reject: false,
      env: { HA_RSCTMP: runDir(node) },
      timeout: 10_000,
    });
    return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  };

  const addresses = async (node: string, dev: string): Promise<Address[]> => {
    const { stdout } = await execa('ip', [
      '-n',
      lab.node(node).ns,
      '-j',
      '-4',
      'addr',
      'show',
      dev,
    ]);
    const links = JSON.parse(stdout) as { addr_info: Address[] }[];
    return links.flatMap((link) => link.addr_info);
  };

  const addressOf = async (node: string, dev: string, ip: string): Promise<Address | undefined> =>
    (await addresses(node, dev)).find((a) => a.local === ip);

  const mac = async (node: string): Promise<string> => {
    const { stdout } = await execa('ip', ['-n', lab.node(node).ns, '-j', 'link', 'show', 'eth0']);
    const [link] = JSON.parse(stdout) as { address: string }[];
    if (!link) throw new Error(`no eth0 in ${node}`);
    return link.address;
  };

  /** The MAC address the client would send VIP's packets to, if it has an entry. */
  const clientNeighbour = async (): Promise<string | undefined> => {
    const { stdout } = await execa('ip', [
      ...['-n', lab.node('client').ns, '-j', 'neigh', 'show', VIP, 'dev', 'eth0'],
    ]);
    const [entry] = JSON.parse(stdout) as { lladdr?: string }[];
    return entry?.lladdr;
  };

  const senderPid = async (node: string): Promise<number> =>
    Number(await readFile(join(runDir(node), `send_arp-${VIP}`), 'utf8'));

  it('start adds the address with a heartbeat label; status says running', async () => {
    const started = await run('alpha', IPADDR, `${VIP}/24/eth0`, 'start');
    expect(started).toMatchObject({ exitCode: 0, stderr: '' });
    expect(started.stdout).toBe('INFO:  Success');
    expect(await addressOf('alpha', 'eth0', VIP)).toMatchObject({
      prefixlen: 24,
      broadcast: '192.0.2.255',
      label: 'eth0:0',
    });

    const status = await run('alpha', IPADDR, `${VIP}/24/eth0`, 'status');
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toMatch(/^INFO: {2}Running OK\b.*\brunning on eth0:0$/);
    expect(status.stdout).not.toMatch(/not running/);
    expect((await run('alpha', IPADDR, VIP, 'monitor')).exitCode).toBe(0);
  });

  it('a second start only announces again', async () => {
    const again = await run('alpha', IPADDR, `${VIP}/24/eth0`, 'start');
    expect(again).toMatchObject({ exitCode: 0, stderr: '' });
    expect(again.stdout).toMatch(/already on eth0:0\nINFO: {2}Success$/);
    const mine = (await addresses('alpha', 'eth0')).filter((a) => a.local === VIP);
    expect(mine).toHaveLength(1);
  });

  it('finds the nic from the connected subnets and takes its prefix, labelling eth0:1 next', async () => {
    const started = await run('alpha', IPADDR, '192.0.2.101', 'start');
    expect(started).toMatchObject({ exitCode: 0, stderr: '' });
    expect(await addressOf('alpha', 'eth0', '192.0.2.101')).toMatchObject({
      prefixlen: 24,
      broadcast: '192.0.2.255',
      label: 'eth0:1',
    });
    expect(await run('alpha', IPADDR, '192.0.2.101', 'stop')).toMatchObject({ exitCode: 0 });
    expect(await addressOf('alpha', 'eth0', '192.0.2.101')).toBeUndefined();
  });

  it('stop removes the address; a second stop succeeds; status then says not running', async () => {
    const stopped = await run('alpha', IPADDR, `${VIP}/24/eth0`, 'stop');
    expect(stopped).toMatchObject({ exitCode: 0, stdout: 'INFO:  Success', stderr: '' });
    expect(await addressOf('alpha', 'eth0', VIP)).toBeUndefined();
    expect(await run('alpha', IPADDR, `${VIP}/24/eth0`, 'stop')).toMatchObject({
      exitCode: 0,
      stdout: 'INFO:  Success',
    });

    const status = await run('alpha', IPADDR, `${VIP}/24/eth0`, 'status');
    expect(status.exitCode).toBe(3);
    expect(status.stdout).toMatch(/^INFO: {2}Resource is stopped\b.*\bnot running$/);
    expect(status.stdout).not.toMatch(/OK/);
  });

  it('picks the most specific connected subnet, and warns when the nic cannot do ARP', async () => {
    await lab.ip('alpha', 'link', 'add', 'side0', 'type', 'veth', 'peer', 'name', 'side1');
    try {
      await lab.ip('alpha', 'addr', 'add', '192.0.2.129/25', 'dev', 'side0');
      await lab.ip('alpha', 'link', 'set', 'side0', 'arp', 'off', 'up');
      await lab.ip('alpha', 'link', 'set', 'side1', 'up');
      const started = await run('alpha', IPADDR, '192.0.2.200', 'start');
      expect(started.exitCode).toBe(0);
      expect(started.stdout).toBe('INFO:  Success');
      // Heartbeat, too, only lost its background ARP on such an interface.
      expect(started.stderr).toBe(
        'WARN: gratuitous ARP for 192.0.2.200 on side0 failed: Interface "side0" is not ARPable',
      );
      expect(await addressOf('alpha', 'side0', '192.0.2.200')).toMatchObject({
        prefixlen: 25,
        label: 'side0:0',
      });
      expect(await run('alpha', IPADDR, '192.0.2.200', 'stop')).toMatchObject({ exitCode: 0 });
      expect(await addressOf('alpha', 'side0', '192.0.2.200')).toBeUndefined();
    } finally {
      await lab.ip('alpha', 'link', 'del', 'side0');
    }
  });

  it('refuses an address outside every connected subnet', async () => {
    // Shrink the client's subnet so that 192.0.2.200 is not directly connected there.
    await lab.ip('client', 'addr', 'add', '192.0.2.12/25', 'dev', 'eth0');
    await lab.ip('client', 'addr', 'del', '192.0.2.12/24', 'dev', 'eth0');
    try {
      const result = await run('client', IPADDR, '192.0.2.200', 'start');
      expect(result.exitCode).toBe(6);
      expect(result.stderr).toBe(
        'ERROR: no interface has a subnet that contains 192.0.2.200: give it as 192.0.2.200/cidr/nic',
      );
    } finally {
      await lab.ip('client', 'addr', 'add', '192.0.2.12/24', 'brd', '+', 'dev', 'eth0');
      await lab.ip('client', 'addr', 'del', '192.0.2.12/25', 'dev', 'eth0');
    }
  });

  it.each([
    ['192.0.2.300', 'ERROR: "192.0.2.300" is not an IPv4 address'],
    ['eth0', 'ERROR: "eth0" is not an IPv4 address'],
    ['127.0.0.2', 'ERROR: 127.0.0.2 cannot be a service address'],
    ['192.0.2.100/33', 'ERROR: netmask "33" must be a prefix length from 1 to 32'],
    ['192.0.2.100/', 'ERROR: netmask "" must be a prefix length from 1 to 32'],
    ['192.0.2.100/24/eth0/192.0.2.999', 'ERROR: broadcast "192.0.2.999" is not an IPv4 address'],
    ['192.0.2.100/24/eth0;reboot', 'ERROR: "eth0;reboot" is not an interface name'],
    ['192.0.2.100/24/$(touch x)', 'ERROR: "$(touch x)" is not an interface name'],
    ['192.0.2.100/24/192.0.2.255/eth0', 'ERROR: "eth0" is not an interface name'],
    [
      '192.0.2.100/24/eth0/192.0.2.255/x',
      'ERROR: too many "/" fields in "192.0.2.100/24/eth0/192.0.2.255/x"',
    ],
  ])('rejects the argument %j with exit 2', async (argument, message) => {
    const result = await run('alpha', IPADDR, argument, 'start');
    expect(result).toMatchObject({ exitCode: 2, stdout: '', stderr: message });
  });

  it('rejects an unknown operation or a missing argument with a usage line and exit 2', async () => {
    for (const args of [[VIP, 'restart'], [VIP], []]) {
      const result = await run('alpha', IPADDR, ...args);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toBe(
        'usage: IPaddr ip[/cidr[/nic[/broadcast]]] {start|stop|status|monitor}',
      );
    }
    const sendArp = await run('alpha', SENDARP, '-r', 'many', `${VIP}/eth0`, 'start');
    expect(sendArp).toMatchObject({
      exitCode: 2,
      stderr: 'ERROR: repeat "many" must be a count from 1 to 999999',
    });
    expect((await run('alpha', SENDARP, VIP, 'start')).stderr).toBe(
      `ERROR: "${VIP}" must be ip/nic`,
    );
  });

  it('names the package of a missing ip or arping (exit 5) and changes nothing', async () => {
    const which = async (tool: string): Promise<string> =>
      (await execa('sh', ['-c', `command -v ${tool}`])).stdout;
    const onlyIp = join(root, 'only-ip');
    const onlyArping = join(root, 'only-arping');
    await mkdir(onlyIp);
    await mkdir(onlyArping);
    await symlink(await which('ip'), join(onlyIp, 'ip'));
    await symlink(await which('arping'), join(onlyArping, 'arping'));
    // `env` sets the agent's PATH after `ip netns exec` has been found on ours.
    const withPath = (path: string, agent: string, ...args: string[]): Promise<Outcome> =>
      run('alpha', 'env', `PATH=${path}`, agent, ...args);

    expect(await withPath(onlyArping, IPADDR, VIP, 'status')).toMatchObject({
      exitCode: 5,
      stderr: 'ERROR: ip not found: install the iproute2 package',
    });
    expect(await withPath(onlyIp, IPADDR, VIP, 'start')).toMatchObject({
      exitCode: 5,
      stderr: 'ERROR: arping not found: install the iputils-arping package',
    });
    expect(await addressOf('alpha', 'eth0', VIP)).toBeUndefined();
    expect(await withPath(onlyIp, SENDARP, `${VIP}/eth0`, 'start')).toMatchObject({
      exitCode: 5,
      stderr: 'ERROR: arping not found: install the iputils-arping package',
    });
  });

  it('moves the VIP: gratuitous ARP alone repoints the client; stop cancels the sender', async () => {
    const [alphaMac, betaMac] = [await mac('alpha'), await mac('beta')];
    expect(await run('alpha', IPADDR, `${VIP}/24`, 'start')).toMatchObject({ exitCode: 0 });
    // The client talks to the VIP once, so that it has a neighbour entry (Linux only updates
    // existing entries from gratuitous ARP).
    await execa('ip', [
      ...['netns', 'exec', lab.node('client').ns, 'bash', '-c', `echo hello >/dev/udp/${VIP}/9`],
    ]);
    await waitFor(async () => (await clientNeighbour()) === alphaMac, 'client learns alpha');

    expect(await run('alpha', IPADDR, `${VIP}/24`, 'stop')).toMatchObject({ exitCode: 0 });
    const begin = performance.now();
    const started = await run('beta', IPADDR, `${VIP}/24`, 'start');
    const took = performance.now() - begin;
    console.info(`IPaddr start on beta took ${took.toFixed(1)} ms (node spawn + ip netns exec)`);
    expect(started).toMatchObject({ exitCode: 0, stdout: 'INFO:  Success', stderr: '' });
    // The rounds run for seconds after start returned: start held neither itself nor our pipes.
    const pid = await senderPid('beta');
    expect(await isAlive(pid)).toBe(true);

    await waitFor(async () => (await clientNeighbour()) === betaMac, 'client repointed to beta');

    expect(await run('beta', IPADDR, `${VIP}/24`, 'stop')).toMatchObject({ exitCode: 0 });
    expect(await isAlive(pid)).toBe(false);
    await expect(senderPid('beta')).rejects.toThrow(/ENOENT/);
  });

  it('SendArp announces with either ARP form, and its background sender can be stopped', async () => {
    const [alphaMac, betaMac] = [await mac('alpha'), await mac('beta')];
    const moveTo = async (node: string, from: string): Promise<void> => {
      await lab.ip(from, 'addr', 'del', `${VIP}/24`, 'dev', 'eth0');
      await lab.ip(node, 'addr', 'add', `${VIP}/24`, 'dev', 'eth0');
    };
    // After the last test the client points at beta; alpha answers with a reply only.
    await lab.ip('alpha', 'addr', 'add', `${VIP}/24`, 'dev', 'eth0');
    const reply = await run('alpha', SENDARP, '-a', 'reply', '-r', '1', `${VIP}/eth0`, 'start');
    expect(reply).toMatchObject({ exitCode: 0, stdout: 'INFO:  Success', stderr: '' });
    await waitFor(async () => (await clientNeighbour()) === alphaMac, 'a reply repoints');

    await moveTo('beta', 'alpha');
    const request = await run('beta', SENDARP, '-a', 'request', '-r', '1', `${VIP}/eth0`, 'start');
    expect(request).toMatchObject({ exitCode: 0, stdout: 'INFO:  Success' });
    await waitFor(async () => (await clientNeighbour()) === betaMac, 'a request repoints');

    // Heartbeat's form: ip/nic and the operation, 10 rounds in the background.
    expect(await run('beta', SENDARP, `${VIP}/eth0`, 'start')).toMatchObject({ exitCode: 0 });
    const pid = await senderPid('beta');
    const running = await run('beta', SENDARP, `${VIP}/eth0`, 'status');
    expect(running.exitCode).toBe(0);
    expect(running.stdout).toMatch(/^INFO: {2}Running OK\b.*\brunning$/);
    expect(await run('beta', SENDARP, `${VIP}/eth0`, 'stop')).toMatchObject({
      exitCode: 0,
      stdout: 'INFO:  Success',
    });
    expect(await isAlive(pid)).toBe(false);
    const stopped = await run('beta', SENDARP, `${VIP}/eth0`, 'status');
    expect(stopped.exitCode).toBe(3);
    expect(stopped.stdout).toMatch(/not running$/);

    // arping can only speak for an address this host has.
    const foreign = await run('alpha', SENDARP, `${VIP}/eth0`, 'start');
    expect(foreign.exitCode).toBe(1);
    expect(foreign.stderr).toMatch(
      /^ERROR: gratuitous ARP for 192\.0\.2\.100 on eth0 failed: .*Cannot assign requested address$/,
    );
    await lab.ip('beta', 'addr', 'del', `${VIP}/24`, 'dev', 'eth0');
  });
});
