// Finds the executable behind a resource name: <ha.d>/resource.d, our resource.d, then /etc/init.d.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The resource.d folder shipped with this package (IPaddr, SendArp, ...). */
export const BUNDLED_RESOURCE_DIR = fileURLToPath(new URL('../../resource.d', import.meta.url));

export function agentSearchPath(haDir: string): string[] {
  return [`${haDir}/resource.d`, BUNDLED_RESOURCE_DIR, '/etc/init.d'];
}

/** The first regular executable file named `script` along the search path, or undefined. */
export async function findAgent(
  script: string,
  searchPath: readonly string[],
): Promise<string | undefined> {
  if (script.includes('/')) return undefined;
  for (const dir of searchPath) {
    const candidate = `${dir}/${script}`;
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

export async function isExecutableFile(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
