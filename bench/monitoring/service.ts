// The monitored service of bench/monitoring: its timeouts.ini section, and when a node's daemon
// logged that a monitor found it dead.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FailoverLab } from '../../test/helpers/failover-lab.js';
import { waitFor } from '../../test/helpers/wait-for.js';

/** The group's service (test/fixtures/agents/udp-echo), after IPaddr. */
const SERVICE_AGENT = 'udp-echo';
const MONITOR_FAILURE_TIMEOUT_MS = 30_000;

/** Monitors the service on both nodes every `intervalMs`; the group leaves after `threshold` failures. */
export async function monitorService(
  lab: FailoverLab,
  intervalMs: number,
  threshold: number,
): Promise<void> {
  const section = [
    `[${SERVICE_AGENT}]`,
    `monitor = ${intervalMs}ms`,
    `migration_threshold = ${threshold}`,
    '',
  ];
  for (const node of ['alpha', 'beta'])
    await writeFile(join(lab.dir(node), 'timeouts.ini'), section.join('\n'));
}

/** When (monoMs() on arrival) the node's daemon logged, after `since`, that the service failed a monitor. */
export async function monitorFailureAt(
  lab: FailoverLab,
  node: string,
  since: number,
): Promise<number> {
  const pattern = new RegExp(`Resource ${SERVICE_AGENT} failed its monitor on ${node} `);
  const logged = (): number | undefined =>
    lab.daemons.get(node)?.lines.find((l) => l.at > since && pattern.test(l.text))?.at;
  await waitFor(() => logged() !== undefined, `${node}: ${pattern}`, MONITOR_FAILURE_TIMEOUT_MS);
  return logged() ?? NaN;
}
