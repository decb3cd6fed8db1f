// Reads and parses a configuration directory without checking the machine: FILE:LINE diagnostics.
import { readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import {
  DEFAULT_AGENT_TIMEOUTS,
  parseAgentTimeouts,
  type AgentTimeouts,
} from './agent-timeouts.js';
import { parseAuthkeys } from './authkeys.js';
import {
  CONFIG_FILES,
  configPath,
  type NodeNameSource,
  type NodeSetup,
  type ParsedConfig,
} from './config.js';
import { Diagnostics } from './diagnostics.js';
import { parseHaresources } from './haresources.js';
import { parseHaCf } from './hacf/parse.js';
import { readStonithFiles } from './stonith-files.js';

export interface LoadOptions {
  readonly dir: string;
  /** Load as this node instead of the one named by nodeinfo or `uname -n`. */
  readonly node?: string;
  /** Leave authkeys unread (an export needs no keys): only `setup` is returned then. */
  readonly withoutKeys?: boolean;
}

export interface Loaded {
  /** Whenever ha.cf could be read, even when files have errors: what preflight checks. */
  readonly setup?: NodeSetup;
  /** When every file is read and valid. */
  readonly config?: ParsedConfig;
  /** timeouts.ini as read (its defaults when absent), whenever ha.cf could be read. */
  readonly timeouts?: AgentTimeouts;
  readonly diagnostics: Diagnostics;
}

/** Reads the configuration files, each stonith line's FILE, nodeinfo or the host name: no more. */
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
  const path = (name: string): string => configPath(options.dir, name);
  const hacfPath = path(CONFIG_FILES.hacf);
  const authPath = path(CONFIG_FILES.authkeys);
  const resPath = path(CONFIG_FILES.haresources);
  const timeoutsPath = path(CONFIG_FILES.timeouts);
  const nodeinfoPath = path(CONFIG_FILES.nodeinfo);
  diag.readingOrder(hacfPath, authPath, resPath, timeoutsPath, nodeinfoPath);
  const [hacfText, authText, resText, authMode, node, timeoutsText] = await Promise.all([
    readText(hacfPath, diag, 'the main configuration file'),
    options.withoutKeys ? undefined : readText(authPath, diag, 'the key file (mode 600)'),
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
  const stonith = await readStonithFiles(hacf.stonith, diag);
  const setup: NodeSetup = {
    dir: options.dir,
    localNode: node.name,
    localNodeSource: node.source,
    hacf,
    groups,
    stonith,
  };
  if (!auth || resText === undefined || diag.hasErrors)
    return { setup, timeouts, diagnostics: diag };
  return { setup, timeouts, config: { ...setup, auth, timeouts }, diagnostics: diag };
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
