// A throw-away ha.d folder whose stonith.d holds the fixture plugins of test/fixtures/stonith.
import { chmod, cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../fixtures/stonith', import.meta.url));

export interface StonithDir {
  readonly haDir: string;
  readonly pluginDir: string;
  /** The file the fixture plugins append their calls to (their `record` parameter). */
  readonly record: string;
  /** The calls recorded so far, one per line. */
  calls(): Promise<string[]>;
  /** Adds a plugin written by the test itself. */
  addPlugin(name: string, script: string, mode?: number): Promise<string>;
  cleanup(): Promise<void>;
}

export async function makeStonithDir(): Promise<StonithDir> {
  const haDir = await mkdtemp(join(tmpdir(), 'hbts-stonith-'));
  const pluginDir = join(haDir, 'stonith.d');
  await cp(FIXTURES, pluginDir, { recursive: true });
  // Explicit modes: cluster-glue's rules refuse plugins writable by group or others.
  for (const name of await readdir(pluginDir)) await chmod(join(pluginDir, name), 0o755);
  const record = join(haDir, 'calls.log');
  return {
    haDir,
    pluginDir,
    record,
    calls: async () => {
      const text = await readFile(record, 'utf8').catch(() => '');
      return text.split('\n').filter(Boolean);
    },
    addPlugin: async (name, script, mode = 0o755) => {
      const path = join(pluginDir, name);
      await writeFile(path, `#!/bin/bash\n${script}\n`);
      await chmod(path, mode);
      return path;
    },
    cleanup: () => rm(haDir, { recursive: true, force: true }),
  };
}
