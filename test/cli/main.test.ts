// The `heartbeat` command's front door: help, version, usage errors, and the built binary.
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runCli } from '../helpers/run-cli.js';

describe('heartbeat command', () => {
  it('lists its commands with --help and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^Usage: heartbeat <command>/);
    expect(run.out).toMatch(/^ {2}check-config +validate/m);
    expect(run.err).toBe('');
  });

  it('shows a subcommand help through "help NAME" and "NAME --help"', async () => {
    const viaHelp = await runCli(['help', 'check-config']);
    const viaFlag = await runCli(['check-config', '--help']);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.out).toContain('Usage: heartbeat check-config [-d DIR] [-n NODE]');
    expect(viaFlag.out).toBe(viaHelp.out);
  });

  it('prints the package version', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const run = await runCli(['--version']);
    expect(run.out).toBe(`heartbeat ${pkg.version}\n`);
  });

  it.each([
    [['bogus'], /^heartbeat: unknown command "bogus"\nTry 'heartbeat --help'\.\n$/],
    [['statsu'], /^heartbeat: unknown command "statsu"; did you mean "status"\?\nTry /],
    [[], /^heartbeat: no command given\nUsage: heartbeat <command> \[options\]\n/],
    [['help', 'bogus'], /^heartbeat help: no command "bogus"\n$/],
    [['check-config', '--bogus'], /^heartbeat check-config: Unknown option '--bogus'\n/],
    [['check-config', 'extra'], /^heartbeat check-config: unexpected argument "extra"\n/],
    [
      ['check-config', '-d'],
      /^heartbeat check-config: Option '-d, --dir <value>' argument missing\n/,
    ],
    [['check-config', '-d', ''], /^heartbeat check-config: -d needs a directory\n/],
  ])('rejects %j with exit 2 and a one-line reason', async (argv, message) => {
    const run = await runCli(argv);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(message);
    expect(run.err).not.toMatch(/\n\s+at /);
    expect(run.out).toBe('');
  });

  it('reports a missing configuration directory once, exit 6', async () => {
    const run = await runCli(['check-config', '-d', '/nonexistent/ha.d']);
    expect(run.code).toBe(6);
    expect(run.err.split('\n')[0]).toBe('/nonexistent/ha.d: no such configuration directory');
  });

  it('takes the directory from HA_DIR when -d is absent', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['check-config'], {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      env: { HA_DIR: '/nonexistent/from-env' },
    });
    expect(code).toBe(6);
    expect(err.join('')).toContain('/nonexistent/from-env: no such configuration directory');
  });

  it('runs as the built binary, its #! line included: dist/cli.js --help', async () => {
    // package.json's bin points here; test/packaging installs it and runs it by name.
    const result = await execa('dist/cli.js', ['--help'], { reject: false });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('check-config');
  });
});
