// `npm run demo`: two heartbeat nodes and a client in network namespaces; the primary crashes, the
// secondary takes the virtual IP and its service over, the primary returns and takes them back.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ECHO_PORT, monoMs, VIP } from '../test/helpers/failover-lab.js';
import { HARESOURCES, TIMING } from './config.js';
import { DemoLab, NODES, type NodeName } from './lab.js';
import { preflight } from './preflight.js';
import { Session } from './session.js';
import { block, logMoment, ms, notice, plain, say, step, timeline, title } from './show.js';
import type { Moment } from './show.js';

const PROBE_MS = 5;
/** Generous bounds: a node settles in about a second, a takeover takes about deadtime. */
const SETTLE_MS = 20_000;
const ANSWER_MS = 10_000 + TIMING.deadtime;
/** The log lines worth showing at each step. */
const START = /Starting heartbeat|STONITH|status active|acquisition complete|Acquiring resource/;
const TAKEOVER = /is dead|eth0 dead|STONITH|being acquired|Acquiring resource|takeover complete/;
const NO_FENCING = 'beta: (no STONITH device: nothing to fence before the takeover)';
const FAILBACK =
  /Starting heartbeat|restart on node|alpha: status active|ing resource group|acquisition complete/;

async function demo(session: Session): Promise<void> {
  const began = monoMs();
  title('heartbeat-ts demo: a two-node cluster fails over, then back');

  step(1, 'The lab: alpha, beta and a client in network namespaces, on one bridge');
  const lab = await session.own(DemoLab.create());
  for (const node of lab.failover.lab.nodes.values()) {
    say(`${node.name.padEnd(6)} eth0 ${node.address.padEnd(12)} (namespace ${node.ns})`);
  }
  say(`The cluster's virtual IP (VIP): ${VIP}`);

  step(2, `Configuration, the same on both nodes (files in ${lab.root}/{alpha,beta})`);
  say(`alpha's ha.cf, without its comments (beta's differs in logfile only):`);
  block(directives(await readFile(join(lab.dir('alpha'), 'ha.cf'), 'utf8')));
  say('haresources:');
  block(HARESOURCES);
  say('authkeys: "auth 1" with a fresh random sha1 key, mode 600');
  say(
    `A heartbeat every ${ms(TIMING.keepalive)}; a peer silent for ${ms(TIMING.deadtime)} is dead.`,
  );

  step(3, 'Starting heartbeat on both nodes');
  for (const node of NODES) {
    say(`${node}# heartbeat ${lab.startArgs(node).join(' ')}`);
    await lab.start(node);
  }
  for (const node of NODES) await settled(lab, node, 0);
  await lab.waitLine('alpha', /Acquiring resource group/, 'alpha to acquire its group', SETTLE_MS);
  timeline(NODES.flatMap((node) => logs(lab, node, START, 0)));

  step(4, `A client asks ${VIP} port ${String(ECHO_PORT)} who serves it, every ${ms(PROBE_MS)}`);
  lab.startProbe(PROBE_MS);
  const first = await lab.answeredBy('alpha', 0, ANSWER_MS);
  say(`client: ${VIP} answers "alpha" (its reply comes from ${first.source})`, first.at);
  await showNeighbour(lab, 'alpha');
  const window = await lab.answersDuring(first.at, 1000);
  const from = [...new Set(window.map((a) => a.from))].join(', ');
  say(`client: ${String(window.length)} answers in the next second, from ${from}`);
  await showStatus(lab, 'alpha');

  step(5, 'alpha crashes: its cable is cut, every process killed, its interface down');
  const crashAt = monoMs();
  await lab.crash('alpha');
  const down = { at: monoMs(), text: 'alpha is down.' };
  const toBeta = await outage(lab, 'alpha', 'beta', crashAt);
  await lab.waitLine('beta', /takeover complete/, 'beta to finish taking over', ANSWER_MS, crashAt);
  const takeover = logs(lab, 'beta', TAKEOVER, crashAt);
  const isDead = takeover.find((line) => line.text.includes('is dead'));
  // Without fencing, nothing comes between "is dead" and the takeover: say so right there.
  const fenced = takeover.some((line) => line.text.includes('STONITH'));
  const told = takeover.flatMap((line) =>
    line === isDead && !fenced ? [line, { at: line.at, text: NO_FENCING }] : [line],
  );
  timeline([down, ...toBeta.events, ...told]);
  await showNeighbour(lab, 'beta');
  await showStatus(lab, 'beta');

  step(6, 'alpha comes back: interface and cable up (no VIP), heartbeat started');
  const returnAt = monoMs();
  await lab.reboot('alpha');
  say(`alpha# heartbeat ${lab.startArgs('alpha').join(' ')}`);
  await lab.start('alpha');
  await settled(lab, 'alpha', returnAt);
  const toAlpha = await outage(lab, 'beta', 'alpha', returnAt);
  timeline([...NODES.flatMap((node) => logs(lab, node, FAILBACK, returnAt)), ...toAlpha.events]);
  await showNeighbour(lab, 'alpha');
  await showStatus(lab, 'alpha');

  step(7, 'Summary');
  const answered = isDead ? `, and answered ${ms(toBeta.first.at - isDead.at)} later` : '';
  plain(`
  keepalive ${ms(TIMING.keepalive)}, deadtime ${ms(TIMING.deadtime)}; the client asked every ${ms(PROBE_MS)}.
  - alpha crashed:  ${ms(toBeta.gap).padStart(7)} without an answer: beta declared alpha dead
                    ${ms(TIMING.deadtime)} after its last heartbeat (sent up to ${ms(TIMING.keepalive)} before
                    the crash)${answered}.
  - alpha returned: ${ms(toAlpha.gap).padStart(7)} without an answer: with auto_failback on, beta
                    released the group as soon as alpha was up; no deadtime to wait.
  The demo ran in ${((monoMs() - began) / 1000).toFixed(1)} s.
`);
}

async function settled(lab: DemoLab, node: NodeName, since: number): Promise<Moment> {
  const what = `${node} to log "Initial resource acquisition complete"`;
  return lab.waitLine(node, /Initial resource acquisition complete/, what, SETTLE_MS, since);
}

function logs(lab: DemoLab, node: NodeName, pattern: RegExp, since: number): Moment[] {
  return lab.lines(node, pattern, since).map((line) => logMoment(node, line));
}

/** Waits for the VIP to answer from `to`: the silence the client saw between `from` and `to`. */
async function outage(lab: DemoLab, from: NodeName, to: NodeName, since: number) {
  const first = await lab.answeredBy(to, since, ANSWER_MS);
  const last = lab.lastAnswerBefore(from, first.at);
  const gap = first.at - (last?.at ?? since);
  const events: Moment[] = [
    { at: first.at, text: `client: first answer from ${to}, after ${ms(gap)} without one` },
  ];
  if (last) events.push({ at: last.at, text: `client: last answer from ${from}` });
  return { first, gap, events };
}

/** The VIP's MAC address in the client's neighbour table, once it is the node's. */
async function showNeighbour(lab: DemoLab, node: NodeName): Promise<void> {
  const mac = await lab.neighbourIs(node, ANSWER_MS);
  say(`client: its neighbour table has ${VIP} at ${mac}, ${node}'s eth0`);
}

async function showStatus(lab: DemoLab, node: NodeName): Promise<void> {
  say(`${node}# heartbeat status --run-dir ${lab.runDir(node)}`);
  const { exitCode, output } = await lab.status(node);
  block(output || '(no output)');
  if (exitCode !== 0) say(`(exit status ${String(exitCode)})`);
}

/** The lines of a configuration file that say something. */
function directives(text: string): string {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .join('\n');
}

const problem = await preflight();
if (problem) {
  notice(problem.message);
  process.exit(problem.exitCode);
}
const session = new Session();
await session.run(() => demo(session));
