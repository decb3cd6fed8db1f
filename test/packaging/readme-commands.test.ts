// The commands README gives to install, run the demo and run the tests: each names a script, an
// npm script, a package list or a package file that exists as written.
import { execa } from 'execa';
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PROJECT = fileURLToPath(new URL('../..', import.meta.url));
const README = readFileSync(join(PROJECT, 'README.md'), 'utf8');
const PKG = JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  scripts: Record<string, string>;
};
const SECTIONS = ['Install', 'See it fail over', 'Run the tests', 'Benchmarks'];

/** The commands of the `sh` blocks of a `## ` section: comments dropped, `&&` chains split. */
function commandsOf(section: string): string[] {
  const start = README.indexOf(`\n## ${section}\n`);
  if (start < 0) throw new Error(`README has no section "${section}"`);
  const end = README.indexOf('\n## ', start + 1);
  const text = README.slice(start, end < 0 ? undefined : end);
  const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks
    .flatMap((block) => block.split('\n'))
    .map((line) => line.replace(/\s#.*$/, '').trim())
    .filter((line) => line !== '')
    .flatMap((line) => line.split('&&').map((command) => command.trim()))
    .map((command) => command.replace(/^sudo /, '').replace(/^\w+=\S+ /, ''));
}

async function bashArray(name: string): Promise<string[]> {
  const { stdout } = await execa(
    'bash',
    ['-c', `source scripts/packages.sh; echo "\${${name}[@]}"`],
    {
      cwd: PROJECT,
    },
  );
  return stdout.split(' ');
}

describe('README commands', () => {
  it.each(SECTIONS)('%s: each command runs something that exists', async (section) => {
    const commands = commandsOf(section);
    expect(commands.length, section).toBeGreaterThan(0);
    for (const command of commands) {
      const [program = '', ...args] = command.split(/\s+/);
      if (program.startsWith('scripts/')) {
        accessSync(join(PROJECT, program), constants.X_OK);
        const syntax = await execa('bash', ['-n', program], { cwd: PROJECT, reject: false });
        expect(syntax.stderr, command).toBe('');
      } else if (program === 'npm' && args[0] === 'run') {
        expect(Object.keys(PKG.scripts), command).toContain(args[1]);
      } else if (program === 'npm' && args[0] === 'test') {
        expect(PKG.scripts.test, command).toMatch(/vitest run/);
      } else if (program === 'apt-get') {
        expect(args, command).toEqual(['install', ...(await bashArray('NODE_PACKAGES'))]);
      } else if (program === 'npm' && args[0] === 'install') {
        expect(args, command).toEqual([
          'install',
          '--global',
          '--prefix',
          '/usr/local',
          `./${PKG.name}-${PKG.version}.tgz`,
        ]);
      } else {
        throw new Error(`README command not checked here: ${command}`);
      }
    }
  });

  it("CI runs README's set-up and test commands", () => {
    const ci = readFileSync(join(PROJECT, '.ci', 'run'), 'utf8');
    const install = commandsOf('Install').filter((c) => c.includes('install-dev'));
    expect(install).toEqual(['scripts/install-dev.sh']);
    expect(ci).toMatch(/^bash scripts\/install-dev\.sh$/m);
    // Beside it only npm scripts (checked above to exist), such as the fuzzer's longer runs.
    const tests = commandsOf('Run the tests');
    expect(tests.filter((c) => !c.startsWith('npm run '))).toEqual(['npm test']);
    expect(ci).toMatch(/^npm test$/m);
  });

  it('the development machine gets every package a node gets', async () => {
    const node = await bashArray('NODE_PACKAGES');
    expect(node).toEqual(expect.arrayContaining(['iproute2', 'iputils-arping', 'fping']));
    const dev = readFileSync(join(PROJECT, 'scripts', 'install-dev.sh'), 'utf8');
    expect(dev).toContain('install_packages "${NODE_PACKAGES[@]}" "${TEST_PACKAGES[@]}"');
  });
});
