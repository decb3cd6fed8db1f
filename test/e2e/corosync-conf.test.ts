// End to end, as root in network namespaces: the corosync.conf that `export-cib --corosync`
// writes passes corosync's own check (`corosync -t`) on each node of the pair, each with its
// address and the two names in its /etc/hosts, and fails it where a node's name does not resolve.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../helpers/netns.js';
import { runCli } from '../helpers/run-cli.js';

const isRoot = process.getuid?.() === 0;
const EXAMPLE = new URL('../../ha.d.example', import.meta.url).pathname;

describe.skipIf(!isRoot)('export-cib --corosync', () => {
  let lab: Lab;
  let root: string;
  let conf: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hbts-corosync-'));
    lab = await Lab.create(['alpha', 'beta']);
    conf = join(root, 'corosync.conf');
    const run = await runCli(['export-cib', '-d', EXAMPLE, '--corosync', conf]);
    expect(run.code, run.err).toBe(0);
    // corosync reads its key from /etc/corosync: each node gets its own view of that folder.
    await mkdir(join(root, 'etc-corosync'));
    await writeFile(join(root, 'etc-corosync', 'authkey'), randomBytes(256));
    await chmod(join(root, 'etc-corosync', 'authkey'), 0o400);
  });

  afterAll(async () => {
    await lab.destroy();
    await rm(root, { recursive: true, force: true });
  });

  /** `corosync -t` on NODE, its /etc/hosts saying HOSTS. */
  async function check(node: string, hosts: string): Promise<{ code: number; output: string }> {
    const hostsFile = join(root, `hosts-${node}`);
    await writeFile(hostsFile, `127.0.0.1 localhost\n${hosts}`);
    const binds = `mount --bind ${hostsFile} /etc/hosts && mount --bind ${root}/etc-corosync /etc/corosync`;
    const child = lab.spawn(node, 'unshare', [
      '--mount',
      '--propagation',
      'private',
      'sh',
      '-c',
      `${binds} && exec timeout 20 corosync -t -c ${conf} 2>&1`,
    ]);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const result = await child;
    return { code: result.exitCode ?? -1, output };
  }

  it('passes corosync -t on both nodes when their names resolve to their addresses', async () => {
    const hosts = ['alpha', 'beta'].map((name) => `${lab.node(name).address} ${name}\n`).join('');
    for (const node of ['alpha', 'beta']) {
      const result = await check(node, hosts);
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain('Corosync Cluster Engine exiting normally');
    }
  });

  it('fails corosync -t where the node cannot find itself in the nodelist', async () => {
    const result = await check('alpha', `203.0.113.99 alpha\n${lab.node('beta').address} beta\n`);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('No valid name found for local host');
  });
});
