// The package as users get it: `npm pack`, a global install into a throw-away prefix, and the
// installed commands run from there, with only the package's own dependencies.
import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PROJECT = fileURLToPath(new URL('../..', import.meta.url));
const PKG = JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};
const INSTALL_NODE = join(PROJECT, 'scripts', 'install-node.sh');
const NPM_TIMEOUT_MS = 120_000;
const RUN_TIMEOUT_MS = 30_000;
const hasNpm =
  (await execa('npm', ['--version'], { reject: false, timeout: RUN_TIMEOUT_MS })).exitCode === 0;
// Quiet, and never a question or a report sent anywhere.
const NPM_FLAGS = ['--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=error'];

interface PackReport {
  filename: string;
  files: { path: string }[];
}

let work: string;
let prefix: string;
let installed: string;
let shipped: Set<string>;
let installRun: { stdout: string; stderr: string };

function bin(name: string, args: readonly string[]) {
  return execa(join(prefix, 'bin', name), [...args], {
    reject: false,
    timeout: RUN_TIMEOUT_MS,
    cwd: work,
  });
}

describe.skipIf(!hasNpm)('npm package (skipped when npm is not on PATH)', () => {
  beforeAll(
    async () => {
      work = await mkdtemp(join(tmpdir(), 'hbts-pack-'));
      prefix = join(work, 'prefix');
      installed = join(prefix, 'lib', 'node_modules', PKG.name);
      // The build is `npm test`'s own step; rebuilding dist/ here would rewrite it under the feet
      // of the suites running meanwhile. So prepack is skipped, and a missing build said plainly.
      if (!existsSync(join(PROJECT, 'dist', 'cli.js')))
        throw new Error('dist/cli.js is missing: run `npm run build` before this test');
      const pack = await execa(
        'npm',
        ['pack', '--json', '--ignore-scripts', '--pack-destination', work, ...NPM_FLAGS],
        { cwd: PROJECT, timeout: NPM_TIMEOUT_MS },
      );
      const [report] = JSON.parse(pack.stdout) as PackReport[];
      if (!report) throw new Error(`npm pack reported nothing: ${pack.stdout}`);
      shipped = new Set(report.files.map((f) => f.path));
      // Installed the way README says, by scripts/install-node.sh (its Debian packages are there
      // on a machine that runs the tests). Dependencies come from npm's cache when they are there
      // (after `npm ci`), else the registry.
      installRun = await execa(
        'bash',
        [INSTALL_NODE, '--prefix', prefix, join(work, report.filename)],
        {
          cwd: work,
          timeout: NPM_TIMEOUT_MS,
          env: { npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' },
        },
      );
    },
    2 * NPM_TIMEOUT_MS + 10_000,
  );

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('ships the agents, the example configuration and its system files, and no sources', () => {
    for (const path of [
      'dist/cli.js',
      'resource.d/IPaddr',
      'resource.d/SendArp',
      'resource.d/.agent-common.sh',
      'ha.d.example/ha.cf',
      'ha.d.example/haresources',
      'ha.d.example/authkeys',
      'ha.d.example/heartbeat.service',
      'ha.d.example/heartbeat.logrotate',
    ])
      expect(shipped, path).toContain(path);
    expect([...shipped].filter((p) => /^(src|test|bench)\//.test(p))).toEqual([]);
  });

  it('installs the agents executable', async () => {
    for (const agent of ['IPaddr', 'SendArp']) {
      const { mode } = await stat(join(installed, 'resource.d', agent));
      expect(mode & 0o111, agent).toBe(0o111);
    }
  });

  it('prints its version', async () => {
    const run = await bin('heartbeat', ['--version']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(`heartbeat ${PKG.version}`);
    // Nothing on stderr: under systemd it would land in the journal at every start.
    expect(run.stderr).toBe('');
  });

  it('lists its commands', async () => {
    const run = await bin('heartbeat', ['--help']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^Usage: heartbeat <command>/);
    for (const command of ['start', 'stop', 'status', 'reload', 'cl-status', 'check-config'])
      expect(run.stdout, command).toMatch(new RegExp(`^ {2}${command} +\\S`, 'm'));
  });

  it('accepts the example configuration and finds the agents inside the package', async () => {
    const dir = join(work, 'ha.d');
    await cp(join(installed, 'ha.d.example'), dir, { recursive: true });
    await chmod(join(dir, 'authkeys'), 0o600);
    // As a workstation reviewing the files, whatever this machine is called.
    const run = await bin('heartbeat', ['check-config', '-d', dir, '-n', 'workstation']);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain(`-> ${join(installed, 'resource.d', 'IPaddr')}`);
  });

  it('installs cl_status', async () => {
    expect(existsSync(join(prefix, 'bin', 'cl_status')), 'package.json "bin" has cl_status').toBe(
      true,
    );
    const run = await bin('cl_status', ['--help']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('hbstatus');
    expect(run.stderr).toBe('');
  });

  it('install-node.sh says where it put things, and every package path README names exists', () => {
    expect(installRun.stderr).toBe('');
    expect(installRun.stdout).toContain(`heartbeat ${PKG.version}`);
    expect(installRun.stdout).toContain(`package:  ${installed} `);
    const readme = readFileSync(join(PROJECT, 'README.md'), 'utf8');
    const home = `/usr/local/lib/node_modules/${PKG.name}`;
    // `pkg=HOME` and then "$pkg/..." in the systemd section; HOME/... and the commands elsewhere.
    expect(readme).toContain(`pkg=${home}\n`);
    const named = [
      ...[...readme.matchAll(/"\$pkg(\/[\w./-]+)"/g)].map((m) => `${home}${m[1] ?? ''}`),
      ...[...readme.matchAll(new RegExp(`${home}(/[\\w./-]*\\w)?`, 'g'))].map((m) => m[0]),
      ...[...readme.matchAll(/\/usr\/local\/bin\/(\w+)/g)].map((m) => m[0]),
    ];
    expect(named.length).toBeGreaterThanOrEqual(5);
    for (const path of new Set(named)) {
      expect(existsSync(join(prefix, path.slice('/usr/local'.length))), path).toBe(true);
    }
  });
});

const debianHeartbeat = await execa('dpkg', ['-L', 'heartbeat'], { reject: false });

describe.skipIf(debianHeartbeat.exitCode !== 0)("beside Debian's heartbeat package", () => {
  it('owns nothing under /usr/local, where install-node.sh puts our commands', () => {
    const files = debianHeartbeat.stdout.split('\n');
    // The clash README describes for a /usr prefix is real...
    expect(files).toContain('/usr/bin/cl_status');
    // ...and /usr/local, the prefix README and install-node.sh use, is free of it.
    expect(files.filter((f) => f.startsWith('/usr/local/'))).toEqual([]);
    expect(readFileSync(INSTALL_NODE, 'utf8')).toMatch(/^prefix=\/usr\/local$/m);
  });
});
