// `heartbeat export-cib`: prints the configuration as a Pacemaker CIB, for a pair outgrowing
// heartbeat; what does not carry over is listed on stderr with its FILE:LINE.
import { writeFile } from 'node:fs/promises';
import { Diagnostics, formatDiagnostic } from '../config/diagnostics.js';
import { loadConfig } from '../config/load.js';
import type { StonithEntry } from '../config/stonith-files.js';
import { exportCib, inFileOrder } from '../export/cib.js';
import { corosyncConf } from '../export/corosync.js';
import type { NamedParams } from '../export/fencing.js';
import { resolveFenceDevices } from '../fencing/devices.js';
import type { AgentHome } from '../export/primitives.js';
import { agentSearchPath, BUNDLED_RESOURCE_DIR, findAgent } from '../resources/agent-path.js';
import type { Command } from './command.js';
import { EXIT } from './exit-codes.js';
import { configDir, DIR_OPTION, parseOptions } from './options.js';

export const exportCibCommand: Command = {
  name: 'export-cib',
  summary: 'print the configuration as a Pacemaker 2.1 CIB (cibadmin --replace --xml-file)',
  help: [
    'Usage: heartbeat export-cib [-d DIR] [--show-secrets] [--corosync FILE]',
    '',
    'Reads ha.cf and haresources (authkeys is not needed) and prints a complete CIB for',
    'Pacemaker 2.1: the nodes, each haresources line as a group located on its home node,',
    'auto_failback as resource stickiness, and the STONITH devices. Load it with',
    '  cibadmin --replace --xml-file FILE',
    'What cannot be carried over is listed on stderr as FILE:LINE: not translated: ...',
    '',
    'Options:',
    '  -d, --dir DIR     configuration directory (default: $HA_DIR or /etc/ha.d)',
    '  --show-secrets    print STONITH passwords and keys (written as CHANGE-ME otherwise)',
    '  --corosync FILE   also write a corosync.conf for the pair to FILE (knet, two_node)',
    '  -h, --help        this help',
    '',
    'Exit status: 0 printed, 2 bad usage, 6 not configured (errors found).',
    '',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseOptions(args, {
      ...DIR_OPTION,
      'show-secrets': { type: 'boolean' },
      corosync: { type: 'string' },
    });
    const dir = configDir(values.dir, io);
    const loaded = await loadConfig({ dir, withoutKeys: true });
    const { setup, timeouts, diagnostics } = loaded;
    if (!setup || !timeouts || diagnostics.hasErrors) {
      for (const d of diagnostics.all) io.err(`${formatDiagnostic(d)}\n`);
      io.err(`${dir}: not exported: the configuration has errors\n`);
      return EXIT.notConfigured;
    }
    const homes = await agentHomes(
      dir,
      setup.groups.flatMap((g) => g.resources.map((r) => r.script)),
    );
    const named = await positionalNames(dir, setup.stonith);
    const result = exportCib(setup, {
      namedParams: (entry) => named.get(entry) ?? { problem: 'no parameters' },
      agentHome: (script) => homes.get(script),
      timeouts,
      showSecrets: values['show-secrets'] === true,
    });
    const corosync = values.corosync === undefined ? undefined : corosyncConf(setup);
    if (corosync && values.corosync !== undefined) {
      try {
        await writeFile(values.corosync, corosync.text);
      } catch (error) {
        io.err(`export-cib: cannot write ${values.corosync}: ${(error as Error).message}\n`);
        return EXIT.failure;
      }
    }
    io.out(result.xml);
    const untranslated = [...result.untranslated, ...(corosync?.untranslated ?? [])].sort(
      inFileOrder,
    );
    for (const item of untranslated)
      io.err(`${item.at.file}:${item.at.line}: not translated: ${item.text}\n`);
    for (const warning of result.warnings) io.err(`warning: ${warning}\n`);
    return EXIT.ok;
  },
};

/** Where each script is found: resource.d (ours or the configuration's) or /etc/init.d. */
async function agentHomes(dir: string, scripts: string[]): Promise<Map<string, AgentHome>> {
  const homes = new Map<string, AgentHome>();
  const searchPath = agentSearchPath(dir);
  for (const script of new Set(scripts)) {
    const path = await findAgent(script, searchPath);
    if (path === undefined) continue;
    const inResourceD =
      path.startsWith(`${dir}/resource.d/`) || path.startsWith(`${BUNDLED_RESOURCE_DIR}/`);
    homes.set(script, { kind: inResourceD ? 'resource.d' : 'init.d', path });
  }
  return homes;
}

/**
 * Names positional STONITH parameters (`stonith_host`, one-line files) as Pacemaker needs them:
 * by asking the device's plugin here for its parameter names (getconfignames), as heartbeat did.
 */
async function positionalNames(
  dir: string,
  stonith: readonly StonithEntry[],
): Promise<Map<StonithEntry, NamedParams>> {
  const named = new Map<StonithEntry, NamedParams>();
  for (const entry of stonith) {
    if (entry.kind === 'stonith' && entry.params?.form === 'ini') continue;
    const diag = new Diagnostics();
    // A device usable from one node only is resolved as that node would.
    const from = entry.kind === 'stonith_host' ? entry.from : '*';
    const [device] = await resolveFenceDevices([entry], { haDir: dir, localNode: from, diag });
    // The message names the line again ("stonith_host * external/x: ..."): once is enough.
    const why = diag.errors[0]?.message.replace(/^stonith(_host \S+)? \S+: /, '') ?? 'no device';
    named.set(
      entry,
      device
        ? { params: device.params }
        : {
            problem: `its parameters are positional, and naming them failed: ${why}`,
          },
    );
  }
  return named;
}
