// Audits one iteration from the outside: the VIP on at most one node at every sample (unless a
// node was declared dead while it held it), on exactly one once settled, the client answered
// again within the fault's bound, no daemon exit or CRIT line the fault does not explain.
import type { Answer } from '../test/helpers/failover-lab.js';
import type { DaemonExit, NodeName } from './cluster.js';
import type { Fault, FaultOutcome, Timing } from './fault.js';
import type { Settled, Unsettled } from './settle.js';
import type { VipSample } from './vip-sampler.js';

export interface IterationRecord {
  readonly fault: Fault;
  /** Who held the group before the fault. */
  readonly holderBefore: NodeName;
  readonly outcome: FaultOutcome;
  readonly startedAt: number;
  readonly settled: Settled | Unsettled;
  /** When the client was first answered by the holder after it settled, if it was. */
  readonly servedAgainAt: number | undefined;
  readonly samples: readonly VipSample[];
  /** The client's answers, oldest first (the whole run's). */
  readonly answers: readonly Answer[];
  /** The daemons' exits during the iteration. */
  readonly exits: readonly DaemonExit[];
  /** What each node logged during the iteration. */
  readonly logs: Readonly<Record<NodeName, string>>;
  /** Whether a STONITH device is configured: then the VIP is never on both nodes. */
  readonly fencing: boolean;
  /** The nodes the power switch reset (fenced) during the iteration. */
  readonly resets: readonly NodeName[];
}

/** How long after the fault ended the VIP may still be on both nodes (a restarted daemon starts). */
const DOUBLED_AFTER_HEAL_MS = 5000;
/**
 * The client's extra wait when the holder itself was reset (fenced): both nodes of a partition
 * shoot each other (no tie-breaker in a two-node heartbeat cluster), and the holder must boot,
 * start heartbeat and take its group again.
 */
const HOLDER_RESET_MS = 4000;

/** What is wrong, one line each; empty when the iteration passed. */
export function audit(record: IterationRecord, timing: Timing): string[] {
  const { outcome, settled } = record;
  const problems = [...(outcome.problems ?? [])];
  problems.push(...doubledVip(record));
  if ('problems' in settled) problems.push(...settled.problems);
  else {
    if (outcome.expectedHolder && settled.holder !== outcome.expectedHolder)
      problems.push(`settled on ${settled.holder}, expected ${outcome.expectedHolder}`);
    if (record.servedAgainAt === undefined)
      problems.push(`the client was not answered by ${settled.holder} once settled`);
    const holderReset = record.resets.includes(record.holderBefore);
    const bound = record.fault.outageBoundMs(timing) + (holderReset ? HOLDER_RESET_MS : 0);
    problems.push(...outage(record, bound));
  }
  for (const exit of record.exits.filter((e) => !e.expected))
    problems.push(
      `${exit.node}: daemon ${exit.pid} exited (code ${exit.code}, signal ${exit.signal}) ` +
        `at ${since(record, exit.at)}; last lines: ${exit.lastLines.join(' | ')}`,
    );
  for (const [node, log] of Object.entries(record.logs))
    for (const text of critLines(log))
      if (!record.fault.allowedCrit.some((allowed) => allowed.test(text)))
        problems.push(`${node} logged CRIT: ${text}`);
  return problems;
}

function doubledVip(record: IterationRecord): string[] {
  const doubled = record.samples.filter((sample) => sample.holders.length > 1);
  const first = doubled[0];
  const last = doubled.at(-1);
  if (!first || !last) return [];
  const when = `${doubled.length} samples from ${since(record, first.at)} to ${since(record, last.at)}`;
  const declaredDead = Object.values(record.logs).some((log) => / node \w+: is dead$/m.test(log));
  if (record.fencing) return [`the VIP was on both nodes (${when}) though fencing is configured`];
  if (!record.outcome.mayDouble || !declaredDead)
    return [`the VIP was on both nodes (${when}) and no node was declared dead for it`];
  const afterHeal = last.at - record.outcome.healedAt;
  if (afterHeal > DOUBLED_AFTER_HEAL_MS)
    return [
      `the VIP was still on both nodes ${Math.round(afterHeal)} ms after the fault ended (${when})`,
    ];
  return [];
}

/** The longest the client went unanswered between the fault and the answer once settled. */
function outage(record: IterationRecord, boundMs: number): string[] {
  const longest = longestSilence(record);
  if (longest.ms <= boundMs) return [];
  return [
    `the client went ${Math.round(longest.ms)} ms without an answer (bound ${boundMs} ms) ` +
      `from ${since(record, longest.from)}`,
  ];
}

/** The client's longest silence from the fault until it was answered once settled. */
export function longestSilence(record: IterationRecord): { ms: number; from: number } {
  const end = record.servedAgainAt ?? record.startedAt;
  let previous = record.answers.findLast((a) => a.at < record.startedAt)?.at ?? record.startedAt;
  let longest = { ms: 0, from: previous };
  for (const answer of record.answers) {
    if (answer.at < record.startedAt || answer.at > end) continue;
    if (answer.at - previous > longest.ms) longest = { ms: answer.at - previous, from: previous };
    previous = answer.at;
  }
  return longest;
}

/** The text of each CRIT line of a heartbeat log (`... CRIT: text`). */
export function critLines(log: string): string[] {
  return [...log.matchAll(/ CRIT: (.*)$/gm)].map((match) => match[1] ?? '');
}

/** A time as ms after the iteration's fault began, e.g. "+1530 ms". */
function since(record: IterationRecord, at: number): string {
  return `+${Math.round(at - record.startedAt)} ms`;
}
