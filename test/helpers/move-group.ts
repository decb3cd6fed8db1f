// `standby` or `takeover` on a lab node as an operator runs it: hb_standby/hb_takeover on a real
// heartbeat 3.0.6 node, `heartbeat standby|takeover` on ours, asked again while it cannot be taken.
import type { FailoverLab } from './failover-lab.js';
import { labCli } from './lab-cli.js';
import { runOnRealNode } from './real-heartbeat.js';
import { waitFor } from './wait-for.js';

export type MoveKind = 'standby' | 'takeover';

/** What ours answers when a move must wait: the pair is mid-handshake. */
const NOT_NOW = /resources are in flux|a standby is already running/;

export async function moveGroup(
  lab: FailoverLab,
  node: string,
  kind: MoveKind,
  deadlineMs: number,
): Promise<void> {
  if (lab.realNodes.has(node)) await moveOnRealNode(lab, node, kind);
  else await moveOnOurNode(lab, node, kind, deadlineMs);
}

/** How many requests the real node's FIFO reader failed to parse so far. */
const fifoMisreads = (lab: FailoverLab, node: string): number =>
  lab.log(node).filter((line) => line.includes('NV failure (msgfromsteam)')).length;

async function moveOnRealNode(lab: FailoverLab, node: string, kind: MoveKind): Promise<void> {
  // heartbeat 3.0.6 now and then misreads what hb_standby/hb_takeover write to its FIFO
  // (`NV failure (msgfromsteam)`) and drops the request; an operator would run it again.
  for (let attempt = 1; attempt <= 2; attempt++) {
    const failuresBefore = fifoMisreads(lab, node);
    const result = await runOnRealNode(
      lab.lab,
      lab.realNode(node),
      `/usr/share/heartbeat/hb_${kind}`,
    );
    if (result.exitCode !== 0) throw new Error(`hb_${kind} on ${node}: ${result.stderr}`);
    const misread = await waitFor(
      () => fifoMisreads(lab, node) > failuresBefore,
      'a misread request',
      1000,
    ).then(
      () => true,
      () => false,
    );
    if (!misread) return;
  }
}

async function moveOnOurNode(
  lab: FailoverLab,
  node: string,
  kind: MoveKind,
  deadlineMs: number,
): Promise<void> {
  // Right after a handshake the peer may not have reported itself stable yet, or may have begun
  // its own standby (heartbeat 3.0.6 asks to go standby [foreign] after acquiring [all]): ours
  // then refuses, saying why.
  await waitFor(
    async () => {
      const result = await labCli(lab, node, [kind]);
      if (result.code !== 0 && !NOT_NOW.test(result.err)) {
        throw new Error(`heartbeat ${kind} on ${node} refused: ${result.err}`);
      }
      return result.code === 0;
    },
    `${kind} on ${node} accepted`,
    deadlineMs,
  );
}
