// loadConfig on real directories: node name, missing files, permissions, host checks, all errors.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, type Loaded } from '../../src/config/load.js';
import { makeConfigDir, type ConfigDir, type ConfigFiles } from '../helpers/config-dir.js';

const dirs: ConfigDir[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => d.cleanup()));
});

/** A config directory whose resource.d holds the given (trivial, executable) agents. */
async function configDir(
  files: ConfigFiles = {},
  agents: readonly string[] = ['IPaddr', 'IPaddr2', 'httpd'],
): Promise<string> {
  const made = await makeConfigDir(files);
  dirs.push(made);
  await mkdir(join(made.dir, 'resource.d'));
  for (const agent of agents) {
    await writeFile(join(made.dir, 'resource.d', agent), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  }
  return made.dir;
}

function messages(loaded: Loaded, severity: 'error' | 'warning' = 'error'): string[] {
  return loaded.diagnostics.all.filter((d) => d.severity === severity).map((d) => d.message);
}

describe('loadConfig', () => {
  it('loads the minimal directory without errors', async () => {
    const dir = await configDir();
    const loaded = await loadConfig({ dir, hostChecks: 'auto' });
    expect(messages(loaded)).toEqual([]);
    expect(loaded.config?.localNode).toBe('alpha');
    expect(loaded.config?.localNodeSource).toBe('nodeinfo');
    expect(loaded.config?.hacf.nodes).toEqual(['alpha', 'beta']);
    expect(loaded.config?.auth.active.method).toBe('sha1');
    expect(loaded.config?.groups.map((g) => g.name)).toEqual(['192.0.2.10/24']);
    expect(loaded.host?.agents.get('IPaddr')).toBe(`${dir}/resource.d/IPaddr`);
    expect(loaded.host?.strict).toBe(true);
  });

  it('lower-cases the name in nodeinfo and uses only its first line', async () => {
    const dir = await configDir({ nodeinfo: 'ALPHA\nbeta\n' });
    const loaded = await loadConfig({ dir, hostChecks: 'auto' });
    expect(loaded.config?.localNode).toBe('alpha');
  });

  it('a node given as an option wins over nodeinfo', async () => {
    const dir = await configDir({ nodeinfo: 'alpha\n' });
    const loaded = await loadConfig({ dir, node: 'BETA', hostChecks: 'auto' });
    expect(loaded.config?.localNode).toBe('beta');
    expect(loaded.config?.localNodeSource).toBe('option');
    expect(loaded.host?.strict).toBe(false);
  });

  it('falls back to the host name without nodeinfo', async () => {
    const dir = await configDir();
    await rm(join(dir, 'nodeinfo'));
    const loaded = await loadConfig({ dir, hostChecks: 'auto' });
    expect(loaded.host?.localNode).toBe(hostname().toLowerCase());
  });

  it.each(['ha.cf', 'authkeys', 'haresources'])(
    'reports a missing %s as an error on that path',
    async (name) => {
      const dir = await configDir();
      await rm(join(dir, name));
      const loaded = await loadConfig({ dir, hostChecks: 'auto' });
      expect(loaded.config).toBeUndefined();
      const errors = loaded.diagnostics.errors.filter((d) => d.file === `${dir}/${name}`);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toContain('cannot read');
    },
  );

  it('reports a missing directory as an error', async () => {
    const dir = await configDir();
    const missing = join(dir, 'no-such-dir');
    const loaded = await loadConfig({ dir: missing, hostChecks: 'auto' });
    expect(loaded.config).toBeUndefined();
    expect(loaded.diagnostics.errors.length).toBeGreaterThan(0);
    expect(loaded.diagnostics.errors.map((d) => d.file).join()).toContain(missing);
  });

  it.each([0o644, 0o640, 0o604])('refuses authkeys with mode %o', async (mode) => {
    const dir = await configDir({ authMode: mode });
    const loaded = await loadConfig({ dir, hostChecks: 'auto' });
    expect(loaded.config).toBeUndefined();
    expect(messages(loaded)).toEqual([
      `Bad permissions on keyfile [${dir}/authkeys], 600 recommended.`,
    ]);
  });

  it.each([0o600, 0o400, 0o700, 0o620])('accepts authkeys with mode %o', async (mode) => {
    const dir = await configDir({ authMode: mode });
    const loaded = await loadConfig({ dir, hostChecks: 'auto' });
    expect(messages(loaded)).toEqual([]);
    expect(loaded.config).toBeDefined();
  });

  it('reports the errors of every file together, with their lines', async () => {
    const dir = await configDir({
      hacf: 'node alpha beta\nucast lo 127.0.0.1\nauto_failback on\nkeepalive x\nfoo 1\n',
      authkeys: 'auth 1\n1 sha1 k\n2 sha256 k\n',
      haresources: 'alpha 192.0.2.10\ngamma 192.0.2.11\n',
    });
    const loaded = await loadConfig({ dir, hostChecks: 'auto' });
    expect(loaded.config).toBeUndefined();
    const found = loaded.diagnostics.errors.map(
      (d) => `${d.file.slice(dir.length + 1)}:${d.line ?? ''}`,
    );
    expect(found.sort()).toEqual(['authkeys:3', 'ha.cf:4', 'ha.cf:5', 'haresources:2']);
  });

  it('gives no config when there are errors, even if every file was read', async () => {
    const dir = await configDir({ haresources: 'gamma 192.0.2.10\n' });
    const loaded = await loadConfig({ dir, hostChecks: 'auto' });
    expect(loaded.config).toBeUndefined();
    expect(loaded.host).toBeDefined();
  });
});

describe('checks against this machine', () => {
  const withAgent = 'alpha 192.0.2.10/24 no-such-agent-xyz\n';

  it('a missing agent is an error when this machine is a listed node', async () => {
    const dir = await configDir({ haresources: withAgent });
    const loaded = await loadConfig({ dir, hostChecks: 'auto' });
    const errors = loaded.diagnostics.errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]?.file).toBe(`${dir}/haresources`);
    expect(errors[0]?.line).toBe(1);
    expect(errors[0]?.message).toContain('Cannot locate resource script no-such-agent-xyz');
    expect(loaded.host?.agents.get('no-such-agent-xyz')).toBeUndefined();
  });

  it('is only a warning when the node is forced with an option', async () => {
    const dir = await configDir({ haresources: withAgent });
    const loaded = await loadConfig({ dir, node: 'alpha', hostChecks: 'auto' });
    expect(messages(loaded)).toEqual([]);
    expect(messages(loaded, 'warning').join()).toContain('Cannot locate resource script');
    expect(loaded.config).toBeDefined();
  });

  it("warns when this machine's uname -n is not listed, naming the nodes and nodeinfo", async () => {
    const dir = await configDir({ haresources: withAgent });
    await rm(join(dir, 'nodeinfo'));
    const loaded = await loadConfig({ dir, hostChecks: 'auto' });
    expect(messages(loaded)).toEqual([]);
    const named = loaded.diagnostics.warnings.find((d) => d.message.includes('not in config'));
    expect(named?.message).toBe(
      `Current node [${hostname().toLowerCase()}] not in configuration! It is this machine's ` +
        '`uname -n`; the node lines list alpha, beta',
    );
    expect({ file: named?.file, line: named?.line }).toEqual({ file: `${dir}/ha.cf`, line: 6 });
    expect(named?.hint).toContain(`${dir}/nodeinfo`);
    expect(messages(loaded, 'warning').join('\n')).toContain('Cannot locate resource script');
  });

  it('is an error at nodeinfo:1 when nodeinfo names a node no node line lists', async () => {
    const dir = await configDir({ haresources: withAgent, nodeinfo: 'gamma\n' });
    const loaded = await loadConfig({ dir, hostChecks: 'auto' });
    const [named, ...others] = loaded.diagnostics.errors;
    expect(others).toEqual([]);
    expect(named).toMatchObject({ file: `${dir}/nodeinfo`, line: 1 });
    expect(named?.message).toBe(
      'Current node [gamma] not in configuration! nodeinfo names it; the node lines list alpha, beta',
    );
    expect(named?.hint).toBe(
      `correct ${dir}/nodeinfo, or add gamma to the node line at ${dir}/ha.cf:6`,
    );
    // The rest is checked as for a machine outside the cluster.
    expect(messages(loaded, 'warning').join('\n')).toContain('Cannot locate resource script');
    expect(loaded.config).toBeUndefined();
  });

  it("is an error in 'strict' mode whoever the node is", async () => {
    const dir = await configDir({ haresources: withAgent, nodeinfo: 'gamma\n' });
    const loaded = await loadConfig({ dir, hostChecks: 'strict' });
    expect(messages(loaded).join('\n')).toContain('Current node [gamma] not in configuration!');
    expect(messages(loaded).join('\n')).toContain('Cannot locate resource script');
  });

  it('lists diagnostics in file and line order, whichever check found them first', async () => {
    const dir = await configDir({
      hacf: 'node alpha beta\nbcast nosuchif0\nbogus_directive x\nucast lo 127.0.0.1\nauto_failback on\n',
      authkeys: '1 sha1 a-key-of-sixteen-chars\n',
    });
    const loaded = await loadConfig({ dir, hostChecks: 'auto' });
    // Found in this order: ha.cf:3 (parsing), authkeys:1, then ha.cf:2 (this machine's interfaces).
    expect(loaded.diagnostics.errors.map((d) => `${d.file}:${String(d.line)}`)).toEqual([
      `${dir}/ha.cf:2`,
      `${dir}/ha.cf:3`,
      `${dir}/authkeys:1`,
    ]);
  });

  it('reports a medium on an interface this machine does not have', async () => {
    const dir = await configDir({
      hacf: 'node alpha beta\nucast lo 127.0.0.1\nbcast nosuchif0\nauto_failback on\n',
    });
    const loaded = await loadConfig({ dir, hostChecks: 'auto' });
    const errors = loaded.diagnostics.errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]?.line).toBe(3);
    expect(errors[0]?.message).toContain('nosuchif0');
  });
});
