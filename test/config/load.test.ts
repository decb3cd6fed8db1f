// loadConfig on real directories: node name, missing files, permissions, STONITH files, all errors.
import { rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/config/diagnostics.js';
import { loadConfig } from '../../src/config/load.js';
import { messages, MINIMAL_HACF, tempConfigDirs } from '../helpers/config-dir.js';

const configDir = tempConfigDirs();

describe('loadConfig', () => {
  it('loads the minimal directory without errors', async () => {
    const dir = await configDir();
    const loaded = await loadConfig({ dir });
    expect(messages(loaded)).toEqual([]);
    expect(loaded.config?.localNode).toBe('alpha');
    expect(loaded.config?.localNodeSource).toBe('nodeinfo');
    expect(loaded.config?.hacf.nodes).toEqual(['alpha', 'beta']);
    expect(loaded.config?.auth.active.method).toBe('sha1');
    expect(loaded.config?.groups.map((g) => g.name)).toEqual(['192.0.2.10/24']);
  });

  it('lower-cases the name in nodeinfo and uses only its first line', async () => {
    const dir = await configDir({ nodeinfo: 'ALPHA\nbeta\n' });
    const loaded = await loadConfig({ dir });
    expect(loaded.config?.localNode).toBe('alpha');
  });

  it('a node given as an option wins over nodeinfo', async () => {
    const dir = await configDir({ nodeinfo: 'alpha\n' });
    const loaded = await loadConfig({ dir, node: 'BETA' });
    expect(loaded.config?.localNode).toBe('beta');
    expect(loaded.config?.localNodeSource).toBe('option');
  });

  it('falls back to the host name without nodeinfo', async () => {
    const dir = await configDir();
    await rm(join(dir, 'nodeinfo'));
    const loaded = await loadConfig({ dir });
    expect(loaded.setup?.localNode).toBe(hostname().toLowerCase());
  });

  it.each(['ha.cf', 'authkeys', 'haresources'])(
    'reports a missing %s as an error on that path',
    async (name) => {
      const dir = await configDir();
      await rm(join(dir, name));
      const loaded = await loadConfig({ dir });
      expect(loaded.config).toBeUndefined();
      const errors = loaded.diagnostics.errors.filter((d) => d.file === `${dir}/${name}`);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toContain('cannot read');
    },
  );

  it('reports a missing directory as an error', async () => {
    const dir = await configDir();
    const missing = join(dir, 'no-such-dir');
    const loaded = await loadConfig({ dir: missing });
    expect(loaded.config).toBeUndefined();
    expect(loaded.diagnostics.errors.length).toBeGreaterThan(0);
    expect(loaded.diagnostics.errors.map((d) => d.file).join()).toContain(missing);
  });

  it.each([0o644, 0o640, 0o604])('refuses authkeys with mode %o', async (mode) => {
    const dir = await configDir({ authMode: mode });
    const loaded = await loadConfig({ dir });
    expect(loaded.config).toBeUndefined();
    expect(messages(loaded)).toEqual([
      `Bad permissions on keyfile [${dir}/authkeys], 600 recommended.`,
    ]);
  });

  it.each([0o600, 0o400, 0o700, 0o620])('accepts authkeys with mode %o', async (mode) => {
    const dir = await configDir({ authMode: mode });
    const loaded = await loadConfig({ dir });
    expect(messages(loaded)).toEqual([]);
    expect(loaded.config).toBeDefined();
  });

  it('reports the errors of every file together, with their lines', async () => {
    const dir = await configDir({
      hacf: 'node alpha beta\nucast lo 127.0.0.1\nauto_failback on\nkeepalive x\nfoo 1\n',
      authkeys: 'auth 1\n1 sha1 k\n2 sha256 k\n',
      haresources: 'alpha 192.0.2.10\ngamma 192.0.2.11\n',
    });
    const loaded = await loadConfig({ dir });
    expect(loaded.config).toBeUndefined();
    const found = loaded.diagnostics.errors.map(
      (d) => `${d.file.slice(dir.length + 1)}:${d.line ?? ''}`,
    );
    expect(found.sort()).toEqual(['authkeys:3', 'ha.cf:4', 'ha.cf:5', 'haresources:2']);
  });

  it('gives no config when there are errors, but what preflight needs', async () => {
    const dir = await configDir({ haresources: 'gamma 192.0.2.10\n' });
    const loaded = await loadConfig({ dir });
    expect(loaded.config).toBeUndefined();
    expect(loaded.setup?.hacf.nodes).toEqual(['alpha', 'beta']);
  });

  it('does not look at this machine: interfaces and agents are left to preflight', async () => {
    const dir = await configDir({
      hacf: 'node alpha beta\nbcast nosuchif0\nauto_failback on\nlogfacility local0\n',
      haresources: 'alpha 192.0.2.10/24 no-such-agent-xyz\n',
      nodeinfo: 'gamma\n',
    });
    const loaded = await loadConfig({ dir });
    expect(loaded.diagnostics.all).toEqual([]);
    expect(loaded.config?.localNode).toBe('gamma');
  });
});

describe('STONITH parameter files', () => {
  const hacf = `${MINIMAL_HACF}logfacility local0\n`;

  it('reads the file of each stonith line, with no plugin needed', async () => {
    const dir = await configDir();
    const file = join(dir, 'fence.conf');
    await writeFile(file, 'hostlist = beta\npasswd = "x;y"\n', { mode: 0o600 });
    await writeFile(join(dir, 'ha.cf'), `${hacf}stonith external/none-here ${file}\n`);
    const loaded = await loadConfig({ dir });
    expect(loaded.diagnostics.all).toEqual([]);
    expect(loaded.config?.stonith).toEqual([
      {
        kind: 'stonith',
        type: 'external/none-here',
        file,
        at: { file: join(dir, 'ha.cf'), line: 8 },
        params: {
          form: 'ini',
          params: new Map([
            ['hostlist', { value: 'beta', line: 1 }],
            ['passwd', { value: 'x;y', line: 2 }],
          ]),
          lastLine: 2,
        },
      },
    ]);
  });

  it("reports a missing file at its ha.cf line, a file's own problems after ha.cf's files", async () => {
    const dir = await configDir();
    const open = join(dir, 'open.conf');
    await writeFile(open, '[device]\nhostlist = beta\n', { mode: 0o644 });
    await writeFile(
      join(dir, 'ha.cf'),
      `${hacf}stonith external/a ${open}\nstonith external/b ${dir}/absent.conf\n`,
    );
    const loaded = await loadConfig({ dir });
    expect(loaded.config).toBeUndefined();
    expect(loaded.diagnostics.all.map(formatDiagnostic)).toEqual([
      `${dir}/ha.cf:9: Invalid Stonith config file [${dir}/absent.conf]: it does not exist`,
      `${open}: warning: [${open}] can be read by group or others (mode 644), and it may hold ` +
        `device passwords\n    hint: chmod 600 ${open}`,
      `${open}:1: sections are not used in a STONITH parameter file\n    hint: remove it`,
    ]);
    expect(loaded.setup?.stonith.map((s) => s.kind === 'stonith' && s.params)).toEqual([
      undefined,
      undefined,
    ]);
  });
});
