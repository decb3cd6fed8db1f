// `heartbeat check-config`: validates /etc/ha.d (or -d DIR) and prints a summary, or every error.
import { formatDiagnostic } from '../config/diagnostics.js';
import { loadAndCheck } from '../preflight/load-and-check.js';
import type { Command } from './command.js';
import { renderSummary } from './config-summary.js';
import { EXIT } from './exit-codes.js';
import { configDir, DIR_OPTION, parseOptions } from './options.js';

export const checkConfigCommand: Command = {
  name: 'check-config',
  summary: 'validate ha.cf, authkeys and haresources and summarise them',
  help: [
    'Usage: heartbeat check-config [-d DIR] [-n NODE]',
    '',
    'Reads ha.cf, authkeys and haresources as heartbeat 3.0.6 does and reports every problem',
    'as FILE:LINE: message. When the files are valid, prints what the node would run with.',
    '',
    'Problems with this machine (missing interfaces or agents, own name not listed) are errors',
    'when this machine is a listed node, and warnings otherwise, so a configuration can be',
    'checked anywhere. `heartbeat start` always treats them as errors.',
    '',
    'Options:',
    '  -d, --dir DIR    configuration directory (default: $HA_DIR or /etc/ha.d)',
    '  -n, --node NODE  check as this node instead of nodeinfo or `uname -n`',
    '  -h, --help       this help',
    '',
    'Exit status: 0 valid, 2 bad usage, 6 not configured (errors found).',
    '',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseOptions(args, { ...DIR_OPTION, node: { type: 'string', short: 'n' } });
    const dir = configDir(values.dir, io);
    const loaded = await loadAndCheck({
      dir,
      ...(values.node === undefined ? {} : { node: values.node }),
      hostChecks: 'auto',
    });
    const { diagnostics } = loaded;
    const errors = diagnostics.errors.length;
    const warnings = plural(diagnostics.warnings.length, 'warning');
    if (!loaded.config || !loaded.host || errors > 0) {
      for (const d of diagnostics.all) io.err(`${formatDiagnostic(d)}\n`);
      io.err(`${dir}: ${plural(errors, 'error')}, ${warnings}: heartbeat would not start\n`);
      return EXIT.notConfigured;
    }
    io.out(`Configuration in ${dir} is valid (${warnings}).\n\n`);
    io.out(`${renderSummary(loaded.config, loaded.host)}\n`);
    if (diagnostics.all.length > 0) io.out('\n');
    for (const d of diagnostics.all) io.err(`${formatDiagnostic(d)}\n`);
    return EXIT.ok;
  },
};

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
