// Checks the configuration against this machine: own name listed, interfaces, agents, programs.
import { execa } from 'execa';
import { CONFIG_FILES, configPath, type NodeSetup } from '../config/config.js';
import type { Diagnostics, Origin } from '../config/diagnostics.js';
import type { HaCf, Medium } from '../config/hacf/types.js';
import { inspectInterface, localIpv4Addresses, type InterfaceInfo } from '../net/interfaces.js';
import { FPING } from '../net/pinger.js';
import { lookUpUser, type UserIds } from '../process/users.js';
import { agentSearchPath, findAgent, isExecutableFile } from '../resources/agent-path.js';
import { resolvePingHosts } from './ping-hosts.js';

export interface HostView {
  readonly localNode: string;
  /** True when problems found here are errors (at start, or on a listed node). */
  readonly strict: boolean;
  readonly interfaces: ReadonlyMap<string, InterfaceInfo | undefined>;
  /** Resolved path of every resource script, undefined when not found. */
  readonly agents: ReadonlyMap<string, string | undefined>;
  readonly agentSearchPath: readonly string[];
  readonly localAddresses: ReadonlySet<string>;
  /** Each ping host as written -> its IPv4 address (an address maps to itself). */
  readonly pingAddresses: ReadonlyMap<string, string>;
  /** uid and primary gid of each respawn client's user. */
  readonly clientUsers: ReadonlyMap<string, UserIds>;
}

export async function checkHost(
  setup: NodeSetup,
  strict: boolean,
  diag: Diagnostics,
): Promise<HostView> {
  const report = (at: Origin | string, message: string, hint?: string): void => {
    if (strict) diag.error(at, message, hint);
    else diag.warn(at, message, hint);
  };
  checkLocalNodeListed(setup, report, diag);
  const names = [...new Set(setup.hacf.media.map((m) => m.iface))];
  const infos = await Promise.all(names.map((name) => inspectInterface(name)));
  const interfaces = new Map(names.map((name, i) => [name, infos[i]]));
  for (const medium of setup.hacf.media) checkMedium(medium, interfaces.get(medium.iface), report);

  const searchPath = agentSearchPath(setup.dir);
  const scripts = [...new Set(setup.groups.flatMap((g) => g.resources.map((r) => r.script)))];
  const paths = await Promise.all(scripts.map((script) => findAgent(script, searchPath)));
  const agents = new Map(scripts.map((script, i) => [script, paths[i]]));
  for (const group of setup.groups) {
    const missing = new Set(
      group.resources.map((r) => r.script).filter((s) => agents.get(s) === undefined),
    );
    for (const script of missing) {
      report(
        group.at,
        `Cannot locate resource script ${script}`,
        `looked in ${searchPath.join(', ')}`,
      );
    }
  }
  const clientUsers = await checkPrograms(setup.hacf, report);
  const ping = await resolvePingHosts(setup.hacf.ping);
  for (const problem of ping.problems) {
    if (problem.warning) diag.warn(problem.at, problem.message);
    else
      report(problem.at, problem.message, 'use an address, or a name /etc/hosts or DNS resolves');
  }
  await checkPingHelper(setup.hacf, report);
  return {
    localNode: setup.localNode,
    strict,
    interfaces,
    agents,
    agentSearchPath: searchPath,
    localAddresses: localIpv4Addresses(),
    clientUsers,
    pingAddresses: ping.addresses,
  };
}

type Report = (at: Origin | string, message: string, hint?: string) => void;

/** This machine's name must be on a node line; a name nodeinfo gives on purpose is always an error. */
function checkLocalNodeListed(setup: NodeSetup, report: Report, diag: Diagnostics): void {
  const { nodes, origins } = setup.hacf;
  if (nodes.length === 0 || nodes.includes(setup.localNode)) return;
  const hacfPath = configPath(setup.dir, CONFIG_FILES.hacf);
  const nodeinfoPath = configPath(setup.dir, CONFIG_FILES.nodeinfo);
  const nodeLine = origins.get('node') ?? hacfPath;
  const listed = `the node lines list ${nodes.join(', ')}`;
  const where =
    typeof nodeLine === 'string' ? hacfPath : `${nodeLine.file}:${String(nodeLine.line)}`;
  if (setup.localNodeSource === 'nodeinfo') {
    diag.error(
      { file: nodeinfoPath, line: 1 },
      `Current node [${setup.localNode}] not in configuration! nodeinfo names it; ${listed}`,
      `correct ${nodeinfoPath}, or add ${setup.localNode} to the node line at ${where}`,
    );
    return;
  }
  const named = setup.localNodeSource === 'option' ? 'given with -n' : "this machine's `uname -n`";
  report(
    nodeLine,
    `Current node [${setup.localNode}] not in configuration! It is ${named}; ${listed}`,
    `add ${setup.localNode} to this node line, or write this machine's cluster name on the first ` +
      `line of ${nodeinfoPath}`,
  );
}

function checkMedium(medium: Medium, info: InterfaceInfo | undefined, report: Report): void {
  const label = `${medium.kind} ${medium.iface}`;
  if (!info)
    return report(medium.at, `${label}: no such interface on this machine`, 'check `ip link`');
  if (!info.up)
    report(
      medium.at,
      `${label}: interface ${medium.iface} is down`,
      `ip link set ${medium.iface} up`,
    );
  if (medium.kind === 'bcast' && (!info.canBroadcast || !info.ipv4.some((a) => a.broadcast))) {
    report(
      medium.at,
      `${label}: the interface has no IPv4 broadcast address`,
      'heartbeat would send nothing here and both nodes would take the resources; give it an IPv4 address or use ucast',
    );
  }
  if (medium.kind === 'mcast' && info.ipv4.length === 0) {
    report(
      medium.at,
      `mcast device [${medium.iface}] is invalid or not set up properly: no IPv4 address`,
    );
  }
}

/** Each respawn client's program and user; the users' ids for running them. */
async function checkPrograms(hacf: HaCf, report: Report): Promise<Map<string, UserIds>> {
  const users = new Map<string, UserIds>();
  for (const entry of hacf.respawn) {
    // An ipfail line names no program we run: the old /usr/lib/heartbeat path must not stop a start.
    if (entry.ipfail) continue;
    const [program = ''] = entry.command;
    if (!(await isExecutableFile(program)))
      report(entry.at, `Client child command [${program}] is not executable`);
    const ids = users.get(entry.user) ?? (await lookUpUser(entry.user));
    if (ids) users.set(entry.user, ids);
    else report(entry.at, `Invalid uid [${entry.user}] specified for client child`);
  }
  return users;
}

/**
 * Ping nodes need fping, and fping needs to send ICMP (root, or its cap_net_raw): one echo to
 * loopback shows both, as heartbeat's own start fails without a raw socket.
 */
async function checkPingHelper(hacf: HaCf, report: Report): Promise<void> {
  const [first] = hacf.ping;
  if (!first) return;
  const result = await execa(FPING, ['-c', '1', '-t', '500', '-q', '127.0.0.1'], {
    reject: false,
    timeout: 5000,
  });
  if (result.exitCode === 0) return;
  if ((result as { code?: string }).code === 'ENOENT') {
    report(
      first.at,
      `${first.name}: ping nodes need fping, which is not installed`,
      'sudo apt-get install fping',
    );
    return;
  }
  const said = result.stderr.split('\n').find(Boolean) ?? result.shortMessage ?? '';
  report(
    first.at,
    `${first.name}: cannot send ICMP echo requests: ${said}`,
    'run as root, or give fping the cap_net_raw capability (setcap cap_net_raw+ep $(command -v fping))',
  );
}
