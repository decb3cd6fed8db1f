// Reads a configuration directory and validates it; every problem lands in one Diagnostics list.
import { readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { parseAuthkeys } from './authkeys.js';
import { CONFIG_FILES, type Config, type NodeNameSource } from './config.js';
import { Diagnostics } from './diagnostics.js';
import { parseHaresources } from './haresources.js';
import { parseHaCf } from './hacf/parse.js';
import { checkHost, type HostView } from './host-checks.js';
import { resolveFenceDevices } from '../fencing/devices.js';
import { DEFAULT_AGENT_TIMEOUTS, parseAgentTimeouts } from '../resources/agent-timeouts.js';

export interface LoadOptions {
  readonly dir: string;
  /** Check as this node instead of the one named by nodeinfo or `uname -n`. */
  readonly node?: string;
  /**
   * 'strict': facts about this machine (interfaces, agents, own name listed) are errors, as at
   * start. 'auto': strict only when this machine is a listed node and no node was forced.
   */
  readonly hostChecks: 'strict' | 'auto';
}

export interface Loaded {
  readonly config?: Config;
  readonly host?: HostView;
  readonly diagnostics: Diagnostics;
}

export async function loadConfig(options: LoadOptions): Promise<Loaded> {
  const diag = new Diagnostics();
  if (!(await isDirectory(options.dir))) {
    diag.error(
      options.dir,
      'no such configuration directory',
      'name it with -d DIR or HA_DIR (default /etc/ha.d)',
    );
    return { diagnostics: diag };
  }
  const path = (name: string): string => `${options.dir.replace(/\/+$/, '') || '/'}/${name}`;
  const hacfPath = path(CONFIG_FILES.hacf);
  const authPath = path(CONFIG_FILES.authkeys);
  const resPath = path(CONFIG_FILES.haresources);

  const timeoutsPath = path(CONFIG_FILES.timeouts);
  const nodeinfoPath = path(CONFIG_FILES.nodeinfo);
  diag.readingOrder(hacfPath, authPath, resPath, timeoutsPath, nodeinfoPath);
  const [hacfText, authText, resText, authMode, node, timeoutsText] = await Promise.all([
    readText(hacfPath, diag, 'the main configuration file'),
    readText(authPath, diag, 'the key file (mode 600)'),
    readText(resPath, diag, 'the resource groups file'),
    fileMode(authPath),
    localNodeName(nodeinfoPath, options.node),
    readOptionalText(timeoutsPath, diag, 'the agent timeouts file'),
  ]);
  if (hacfText === undefined) return { diagnostics: diag };
  const hacf = parseHaCf(hacfText, hacfPath, diag);
  const auth =
    authText === undefined ? undefined : parseAuthkeys(authText, authPath, authMode ?? 0, diag);
  const groups = resText === undefined ? [] : parseHaresources(resText, resPath, hacf.nodes, diag);
  const timeouts =
    timeoutsText === undefined
      ? DEFAULT_AGENT_TIMEOUTS
      : parseAgentTimeouts(timeoutsText, timeoutsPath, diag);
  const listed = hacf.nodes.includes(node.name);
  const strict = options.hostChecks === 'strict' || (listed && node.source !== 'option');
  const host = await checkHost(
    {
      dir: options.dir,
      hacfPath,
      localNode: node.name,
      localNodeSource: node.source,
      nodeinfoPath,
      hacf,
      groups,
    },
    strict,
    diag,
  );
  const fenceDevices = await resolveFenceDevices(hacf.stonith, {
    haDir: options.dir,
    localNode: node.name,
    diag,
  });
  if (!auth || resText === undefined || diag.hasErrors) return { host, diagnostics: diag };
  const config: Config = {
    dir: options.dir,
    localNode: node.name,
    localNodeSource: node.source,
    hacf,
    auth,
    groups,
    timeouts,
    fenceDevices,
  };
  return { config, host, diagnostics: diag };
}

async function readText(
  path: string,
  diag: Diagnostics,
  what: string,
): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'is a directory'
            : String(code);
    diag.error(path, `cannot read ${what}: ${reason}`, 'copy it from ha.d.example/ and adapt it');
    return undefined;
  }
}

/** A file that may be absent: undefined then, and no complaint. */
async function readOptionalText(
  path: string,
  diag: Diagnostics,
  what: string,
): Promise<string | undefined> {
  try {
    await stat(path);
  } catch {
    return undefined;
  }
  return readText(path, diag, what);
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function fileMode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o777;
  } catch {
    return undefined;
  }
}

/** `<dir>/nodeinfo` names the node when present (first line), else `uname -n`; lower-cased. */
async function localNodeName(
  nodeinfo: string,
  forced: string | undefined,
): Promise<{ name: string; source: NodeNameSource }> {
  if (forced !== undefined) return { name: forced.toLowerCase(), source: 'option' };
  try {
    const first = (await readFile(nodeinfo, 'utf8')).split('\n')[0]?.trim() ?? '';
    if (first !== '') return { name: first.toLowerCase(), source: 'nodeinfo' };
  } catch {
    // No nodeinfo: the usual case.
  }
  return { name: hostname().toLowerCase(), source: 'uname' };
}
