// `heartbeat check-config` via the CLI entry: summary, errors, permissions, usage, exit codes.
import { chmod, cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { makeConfigDir, type ConfigFiles } from '../helpers/config-dir.js';

const IP = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip'].find((p) => existsSync(p)) ?? 'ip';
const EXAMPLE_DIR = fileURLToPath(new URL('../../ha.d.example', import.meta.url));

const temporary: string[] = [];

afterEach(async () => {
  await Promise.all(temporary.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIO = {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    env,
  };
  const code = await main(args, io);
  return { code, out, err };
}

async function configDir(files: ConfigFiles, agents: readonly string[]): Promise<string> {
  const made = await makeConfigDir(files);
  temporary.push(made.dir);
  await mkdir(join(made.dir, 'resource.d'));
  for (const agent of agents) {
    await writeFile(join(made.dir, 'resource.d', agent), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  }
  return made.dir;
}

const VALID: ConfigFiles = {
  hacf: [
    'node alpha beta',
    'udpport 7000',
    'ucast lo 127.0.0.1',
    'keepalive 500ms',
    'deadtime 5',
    'auto_failback on',
    'logfile /var/log/ha-log',
    '',
  ].join('\n'),
  authkeys: 'auth 2\n1 md5 Qx-the-first-key-Qx\n2 sha1 Qx-second-key-Qx\n',
  haresources: 'alpha 192.0.2.10/24 httpd\nbeta IPaddr2::192.0.2.11/24/lo\n',
};

describe('check-config on a valid directory', () => {
  it('exits 0 and summarises node, media, timings, auth and groups', async () => {
    const dir = await configDir(VALID, ['IPaddr', 'IPaddr2', 'httpd']);
    const { code, out, err } = await run(['check-config', '-d', dir]);
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out.split('\n');
    const row = (label: string): string => lines.find((l) => l.startsWith(label)) ?? '';
    expect(row('Local node')).toContain('alpha');
    expect(row('Local node')).toContain('nodeinfo');
    expect(out).toMatch(/ucast lo -> 127\.0\.0\.1:7000/);
    // keepalive as given; warntime = deadtime/2; initdead 12 s because deadtime < 6 s.
    expect(row('Timing')).toContain('keepalive 500ms');
    expect(row('Timing')).toContain('deadtime 5s');
    expect(row('Timing')).toContain('warntime 2.5s');
    expect(row('Timing')).toContain('initdead 12s');
    expect(row('Auth')).toContain('2 (sha1)');
    expect(row('Auth')).toContain('1 (md5)');
    expect(out).toContain('192.0.2.10/24 (home alpha');
    expect(out).toContain(`${dir}/resource.d/IPaddr`);
    expect(out).toContain(`${dir}/resource.d/httpd`);
    expect(out).toContain(`${dir}/resource.d/IPaddr2`);
    expect(out).not.toContain('NOT FOUND');
  });

  it('never prints a key', async () => {
    const dir = await configDir(VALID, ['IPaddr', 'IPaddr2', 'httpd']);
    const { out, err } = await run(['check-config', '-d', dir]);
    expect(out + err).not.toContain('Qx-');
  });

  it('shows NOT FOUND for a missing agent when the checks are warnings only', async () => {
    const dir = await configDir(
      { ...VALID, haresources: 'alpha 192.0.2.10/24 no-such-agent-xyz\n' },
      ['IPaddr'],
    );
    const { code, out, err } = await run(['check-config', '-d', dir, '-n', 'alpha']);
    expect(code).toBe(0);
    expect(out).toMatch(/no-such-agent-xyz -> NOT FOUND/);
    expect(err).toContain(`${dir}/haresources:1: warning: Cannot locate resource script`);
  });

  it('summarises ping nodes; without fping they stop a start at their first line', async () => {
    const hacf = `${VALID.hacf}ping 127.0.0.1\nping_group uplinks 127.0.0.2 127.0.0.3\n`;
    const dir = await configDir({ ...VALID, hacf }, ['IPaddr', 'IPaddr2', 'httpd']);
    const ok = await run(['check-config', '-d', dir]);
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/Ping nodes\s+127\.0\.0\.1: 127\.0\.0\.1/);
    expect(ok.out).toContain('uplinks: 127.0.0.2 127.0.0.3');
    // A PATH with `ip` alone.
    const noFping = await mkdtemp(join(tmpdir(), 'no-fping-'));
    temporary.push(noFping);
    await symlink(IP, join(noFping, 'ip'));
    const path = process.env.PATH;
    process.env.PATH = noFping;
    try {
      const missing = await run(['check-config', '-d', dir]);
      expect(missing.code).toBe(6);
      expect(missing.err).toContain(
        `${dir}/ha.cf:8: 127.0.0.1: ping nodes need fping, which is not installed`,
      );
    } finally {
      process.env.PATH = path;
    }
  });

  it('reads the directory from HA_DIR when -d is not given', async () => {
    const dir = await configDir(VALID, ['IPaddr', 'IPaddr2', 'httpd']);
    const { code, out } = await run(['check-config'], { HA_DIR: dir });
    expect(code).toBe(0);
    expect(out).toContain(dir);
  });
});

describe('check-config on a broken directory', () => {
  it('exits 6 and prints every error as PATH:LINE: message', async () => {
    const dir = await configDir(
      {
        hacf: 'node alpha beta\nucast lo 127.0.0.1\nkeepalive 1x\nauto_failback on\nfoo\n',
        authkeys: 'auth 1\n1 sha1 k\n\n2 sha256 k\n',
        haresources: '# groups\nalpha 192.0.2.10/24 httpd\ngamma 192.0.2.11\n',
      },
      ['IPaddr', 'httpd'],
    );
    const { code, out, err } = await run(['check-config', '-d', dir]);
    expect(code).toBe(6);
    expect(out).toBe('');
    expect(err).toContain(`${dir}/ha.cf:3: keepalive "1x"`);
    expect(err).toContain(`${dir}/ha.cf:5: Illegal directive [foo]`);
    expect(err).toContain(`${dir}/authkeys:4: Invalid authtype [sha256]`);
    expect(err).toContain(`${dir}/haresources:3: Bad nodename`);
    expect(err).toMatch(/4 errors/);
  });

  it('refuses the shipped example when authkeys is mode 0644, accepts it at 0600', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hbts-example-'));
    temporary.push(dir);
    await cp(EXAMPLE_DIR, dir, { recursive: true });
    const keyfile = join(dir, 'authkeys');

    await chmod(keyfile, 0o644);
    const open = await run(['check-config', '-d', dir, '-n', 'alpha']);
    expect(open.code).toBe(6);
    expect(open.err).toContain(
      `${keyfile}: Bad permissions on keyfile [${keyfile}], 600 recommended.`,
    );
    const errorLines = open.err
      .split('\n')
      .filter((l) => l.startsWith(`${dir}/`) && !l.includes('warning:'));
    expect(errorLines).toHaveLength(1);

    await chmod(keyfile, 0o600);
    const closed = await run(['check-config', '-d', dir, '-n', 'alpha']);
    expect(closed.err).not.toContain('Bad permissions');
    // Its key is in this repository for all to read: accepted, with a warning at its line.
    expect(closed.err).toContain(`${keyfile}:9: warning: entry 1 holds a published example key`);
    expect(closed.code).toBe(0);
    expect(closed.out).toContain('alpha');
  });

  it('exits 6 when nodeinfo names a node no node line lists', async () => {
    const dir = await configDir({ ...VALID, nodeinfo: 'gamma\n' }, ['IPaddr', 'IPaddr2', 'httpd']);
    const { code, err } = await run(['check-config', '-d', dir]);
    expect(code).toBe(6);
    expect(err).toContain(
      `${dir}/nodeinfo:1: Current node [gamma] not in configuration! nodeinfo names it; ` +
        'the node lines list alpha, beta',
    );
  });

  it('exits 6 with one message naming a missing directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hbts-missing-'));
    temporary.push(dir);
    const missing = join(dir, 'nowhere');
    const { code, err } = await run(['check-config', '-d', missing]);
    expect(code).toBe(6);
    expect(err.split('\n')[0]).toBe(`${missing}: no such configuration directory`);
  });
});

describe('check-config usage errors', () => {
  function expectUsage(result: Run, fragment: string): void {
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    const lines = result.err.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^heartbeat check-config: /);
    expect(lines[0]).toContain(fragment);
    // One line saying what is wrong, then at most a pointer to --help; no stack trace.
    expect(lines.length).toBeLessThanOrEqual(2);
    if (lines[1] !== undefined) expect(lines[1]).toContain('--help');
    expect(result.err).not.toMatch(/^\s+at /m);
    expect(result.err).not.toContain('Error:');
  }

  it('an unknown option exits 2', async () => {
    expectUsage(await run(['check-config', '--bogus']), '--bogus');
  });

  it('an extra argument exits 2', async () => {
    expectUsage(await run(['check-config', '-d', '/etc/ha.d', 'extra']), 'extra');
  });

  it('a missing option value exits 2', async () => {
    expectUsage(await run(['check-config', '-d']), '-d');
  });

  it('an unknown command exits 2', async () => {
    const result = await run(['check-konfig']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('check-konfig');
    expect(result.err).not.toMatch(/^\s+at /m);
  });
});
