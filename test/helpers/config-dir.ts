// Writes a throw-away configuration directory (ha.cf, authkeys, haresources, nodeinfo) for a test.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { Diagnostics, Severity } from '../../src/config/diagnostics.js';

export interface ConfigFiles {
  hacf?: string;
  authkeys?: string;
  haresources?: string;
  /** Written to `nodeinfo` so the directory's node name does not depend on this machine. */
  nodeinfo?: string;
  /** Mode of authkeys; 0o600 unless given. */
  authMode?: number;
}

export const MINIMAL_HACF =
  'keepalive 1\ndeadtime 10\nudpport 694\nucast lo 127.0.0.1\nauto_failback on\nnode alpha beta\n';
export const MINIMAL_AUTHKEYS = 'auth 1\n1 sha1 test-secret-of-20-chars\n';
export const MINIMAL_HARESOURCES = 'alpha 192.0.2.10/24\n';

export interface ConfigDir {
  readonly dir: string;
  cleanup(): Promise<void>;
}

/** Omitted files get the minimal valid ones above; pass null-ish via `files` keys to change them. */
export async function makeConfigDir(files: ConfigFiles = {}): Promise<ConfigDir> {
  const dir = await mkdtemp(join(tmpdir(), 'hbts-config-'));
  const write = async (name: string, text: string | undefined): Promise<void> => {
    if (text !== undefined) await writeFile(join(dir, name), text);
  };
  await write('ha.cf', files.hacf ?? MINIMAL_HACF);
  await write('authkeys', files.authkeys ?? MINIMAL_AUTHKEYS);
  await chmod(join(dir, 'authkeys'), files.authMode ?? 0o600);
  await write('haresources', files.haresources ?? MINIMAL_HARESOURCES);
  await write('nodeinfo', files.nodeinfo ?? 'alpha\n');
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** makeConfigDir for a test file: each directory made is removed after its test. */
export function tempConfigDirs(): (files?: ConfigFiles) => Promise<string> {
  const dirs: ConfigDir[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => d.cleanup()));
  });
  return async (files) => {
    const made = await makeConfigDir(files);
    dirs.push(made);
    return made.dir;
  };
}

/** The messages of one severity that loading (or loading and preflight) reported, in order. */
export function messages(
  loaded: { readonly diagnostics: Diagnostics },
  severity: Severity = 'error',
): string[] {
  return loaded.diagnostics.all.filter((d) => d.severity === severity).map((d) => d.message);
}
