// loadAndCheck: the files loaded, then checked against this machine, strict or not.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAndCheck } from '../../src/preflight/load-and-check.js';
import { messages, tempConfigDirs, type ConfigFiles } from '../helpers/config-dir.js';

const tempDir = tempConfigDirs();

/** A config directory whose resource.d holds the given (trivial, executable) agents. */
async function configDir(
  files: ConfigFiles = {},
  agents: readonly string[] = ['IPaddr', 'IPaddr2', 'httpd'],
): Promise<string> {
  const dir = await tempDir(files);
  await mkdir(join(dir, 'resource.d'));
  for (const agent of agents) {
    await writeFile(join(dir, 'resource.d', agent), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  }
  return dir;
}

describe('loadAndCheck', () => {
  it('checks a listed node strictly and finds its agents', async () => {
    const dir = await configDir();
    const loaded = await loadAndCheck({ dir, hostChecks: 'auto' });
    expect(messages(loaded)).toEqual([]);
    expect(loaded.config?.localNode).toBe('alpha');
    expect(loaded.config?.fenceDevices).toEqual([]);
    expect(loaded.host?.agents.get('IPaddr')).toBe(`${dir}/resource.d/IPaddr`);
    expect(loaded.host?.strict).toBe(true);
  });

  it('is not strict for a node given as an option', async () => {
    const dir = await configDir({ nodeinfo: 'alpha\n' });
    const loaded = await loadAndCheck({ dir, node: 'BETA', hostChecks: 'auto' });
    expect(loaded.host?.localNode).toBe('beta');
    expect(loaded.host?.strict).toBe(false);
  });

  it('checks the machine even when the files have errors, and gives no config', async () => {
    const dir = await configDir({ haresources: 'gamma 192.0.2.10\n' });
    const loaded = await loadAndCheck({ dir, hostChecks: 'auto' });
    expect(loaded.config).toBeUndefined();
    expect(loaded.host).toBeDefined();
  });

  it('reports a missing ha.cf alone', async () => {
    const dir = await configDir();
    await rm(join(dir, 'ha.cf'));
    const loaded = await loadAndCheck({ dir, hostChecks: 'strict' });
    expect(loaded.host).toBeUndefined();
    expect(messages(loaded)).toEqual(['cannot read the main configuration file: no such file']);
  });
});

describe('checks against this machine', () => {
  const withAgent = 'alpha 192.0.2.10/24 no-such-agent-xyz\n';

  it('a missing agent is an error when this machine is a listed node', async () => {
    const dir = await configDir({ haresources: withAgent });
    const loaded = await loadAndCheck({ dir, hostChecks: 'auto' });
    const errors = loaded.diagnostics.errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]?.file).toBe(`${dir}/haresources`);
    expect(errors[0]?.line).toBe(1);
    expect(errors[0]?.message).toContain('Cannot locate resource script no-such-agent-xyz');
    expect(loaded.host?.agents.get('no-such-agent-xyz')).toBeUndefined();
  });

  it('is only a warning when the node is forced with an option', async () => {
    const dir = await configDir({ haresources: withAgent });
    const loaded = await loadAndCheck({ dir, node: 'alpha', hostChecks: 'auto' });
    expect(messages(loaded)).toEqual([]);
    expect(messages(loaded, 'warning').join()).toContain('Cannot locate resource script');
    expect(loaded.config).toBeDefined();
  });

  it("warns when this machine's uname -n is not listed, naming the nodes and nodeinfo", async () => {
    const dir = await configDir({ haresources: withAgent });
    await rm(join(dir, 'nodeinfo'));
    const loaded = await loadAndCheck({ dir, hostChecks: 'auto' });
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
    const loaded = await loadAndCheck({ dir, hostChecks: 'auto' });
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
    const loaded = await loadAndCheck({ dir, hostChecks: 'strict' });
    expect(messages(loaded).join('\n')).toContain('Current node [gamma] not in configuration!');
    expect(messages(loaded).join('\n')).toContain('Cannot locate resource script');
  });

  it('lists diagnostics in file and line order, whichever check found them first', async () => {
    const dir = await configDir({
      hacf: 'node alpha beta\nbcast nosuchif0\nbogus_directive x\nucast lo 127.0.0.1\nauto_failback on\n',
      authkeys: '1 sha1 a-key-of-sixteen-chars\n',
    });
    const loaded = await loadAndCheck({ dir, hostChecks: 'auto' });
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
    const loaded = await loadAndCheck({ dir, hostChecks: 'auto' });
    const errors = loaded.diagnostics.errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]?.line).toBe(3);
    expect(errors[0]?.message).toContain('nosuchif0');
  });
});
