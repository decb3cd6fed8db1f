// What the benchmarks wait for and time in a failover lab: the node the client settles on, and the
// outage a client sees while the VIP's answers move.
import { monoMs, type FailoverLab } from '../test/helpers/failover-lab.js';
import { waitFor } from '../test/helpers/wait-for.js';

const SETTLE_TIMEOUT_MS = 30_000;
/** How long the VIP must keep answering from one node before the next fault. */
const STEADY_MS = 300;

/** The client-observed gap: the first answer by `to` after `event`, less the last by `from` before it. */
export async function outage(
  lab: FailoverLab,
  from: string,
  to: string,
  event: number,
): Promise<number> {
  const first = await lab.answerFrom(to, event, SETTLE_TIMEOUT_MS);
  const before = lab.answers.findLast((a) => a.at < first.at && a.from === from);
  return first.at - (before?.at ?? event);
}

/** Waits until the VIP has answered from `node` for a while, so the next fault starts clean. */
export async function settleOn(lab: FailoverLab, node: string): Promise<void> {
  await waitFor(() => lab.lastAnswer()?.from === node, `${node} answering`, SETTLE_TIMEOUT_MS);
  const since = monoMs();
  await waitFor(
    () => monoMs() - since > STEADY_MS && lab.lastAnswer()?.from === node,
    'steady answers',
    SETTLE_TIMEOUT_MS,
  );
}
