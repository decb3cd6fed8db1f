// The `expect` lines of a scenario file: what a node logged, sent, runs and ran, node and link
// states, monitors, clients, fencing calls, and whether every group is served.
import { isLevel } from '../../src/log/levels.js';
import { parseDuration } from '../../src/config/time.js';
import { unservedGroups } from './served.js';
import type { LogRecord, Sim } from './sim.js';

export function check(sim: Sim, args: string[], fail: (message: string) => void): void {
  if (args[0] === 'never-doubled') {
    if (sim.world.doubles.length > 0) fail(`two holders: ${sim.world.doubles.join('; ')}`);
    return;
  }
  if (args[0] === 'served') {
    const unserved = unservedGroups(sim);
    if (unserved.length > 0) fail(`not served: ${unserved.join('; ')}`);
    return;
  }
  const [nodeName = '', what, ...rest] = args;
  const node = sim.node(nodeName);
  const view = node.core.view(sim.instant());
  const show = (logs: LogRecord[]): string =>
    logs.map((l) => `\n    ${l.at.toFixed(1)} ${l.level}: ${l.text}`).join('') || ' (none)';
  if (what === 'status') {
    const actual = view.nodes.find((n) => n.name === rest[0])?.status;
    if (actual !== rest[1]) fail(`status of ${rest[0] ?? ''} is ${String(actual)}`);
  } else if (what === 'link') {
    const links = view.nodes.find((n) => n.name === rest[0])?.links;
    const actual = links?.find((l) => l.name === rest[1])?.status;
    if (actual !== rest[2]) fail(`link is ${String(actual)}`);
  } else if (what === 'logged') {
    const [level = '', text = '', relation, peer = '', range = ''] = rest;
    if (!isLevel(level)) return fail(`bad level ${level}`);
    const hits = node.logs.filter((l) => l.level === level && l.text.includes(text));
    const [found] = hits;
    if (relation !== undefined && relation !== 'once' && relation !== 'after-last-status-of')
      return fail(`write logged LEVEL TEXT [once | after-last-status-of NODE LOW..HIGH]`);
    if (!found) return fail(`not logged; ${nodeName} logged:${show(node.logs)}`);
    if (relation === 'once' && hits.length > 1) fail(`logged ${hits.length} times:${show(hits)}`);
    if (relation === 'after-last-status-of') {
      const [low, high] = range.split('..').map(duration);
      const delay = found.at - sim.node(peer).lastStatusSent;
      if (delay < (low ?? 0) || delay > (high ?? Infinity))
        fail(`logged ${delay} ms after ${peer}'s last status`);
    }
  } else if (what === 'sent' || what === 'not-sent') {
    // Each argument is key=value; a message matches when it has all of them.
    const wanted = rest.map((arg) => [
      arg.slice(0, arg.indexOf('=')),
      arg.slice(arg.indexOf('=') + 1),
    ]);
    const hits = node.sent.filter((m) => wanted.every(([k = '', v]) => m.fields[k] === v));
    const shown = node.sent.map((m) => `\n    ${m.at.toFixed(1)} ${fieldsText(m.fields)}`).join('');
    if (what === 'sent' && hits.length === 0)
      fail(`not sent; ${nodeName} sent:${shown || ' (none)'}`);
    if (what === 'not-sent' && hits.length > 0) fail(`sent anyway; ${nodeName} sent:${shown}`);
  } else if (what === 'not-logged') {
    const hits = node.logs.filter((l) => l.text.includes(rest[0] ?? ''));
    if (hits.length > 0) fail(`logged anyway:${show(hits)}`);
  } else if (what === 'runs') {
    const actual = sim.world
      .runsOn(nodeName)
      .map((i) => sim.world.groups[i]?.name)
      .join(',');
    if (actual !== (rest[0] === 'none' ? '' : (rest[0] ?? ''))) fail(`runs [${actual}]`);
  } else if (what === 'ran') {
    // expect NODE ran OP:RESOURCE[=failed|=cancelled]... : its agent operations since the last
    // `ran` expectation of that node, in the order they ended.
    const actual = sim.world.ranSinceLastAsked(nodeName);
    if (actual.map((r) => r.op).join(' ') !== rest.join(' '))
      fail(`ran:${actual.map((r) => `\n    ${r.at.toFixed(1)} ${r.op}`).join('') || ' (nothing)'}`);
  } else if (what === 'client') {
    // expect NODE client NAME running|not-running [starts=N]
    const [name = '', state, starts] = rest;
    const process = sim.client(nodeName, name);
    const running = process?.running === true;
    if (running !== (state === 'running'))
      fail(`${name} is ${running ? 'running' : 'not running'}`);
    const count = process?.starts ?? 0;
    if (starts !== undefined && `starts=${count}` !== starts)
      fail(`${name} started ${count} times`);
  } else if (what === 'left-after-failures') {
    // expect NODE left-after-failures GROUP,...|none: groups that left it after monitor failures
    const actual = view.groups
      .flatMap((g) => (g.leftAfterMonitorFailures ? [g.name] : []))
      .join(',');
    if (actual !== (rest[0] === 'none' ? '' : (rest[0] ?? ''))) fail(`left [${actual}]`);
  } else if (what === 'peer-failures') {
    // expect NODE peer-failures GROUP=N,...|none: monitor failures the peer's report counts
    const actual = view.groups
      .flatMap((g) => (g.peerFailures > 0 ? [`${g.name}=${g.peerFailures}`] : []))
      .join(',');
    if (actual !== (rest[0] === 'none' ? '' : (rest[0] ?? ''))) fail(`peer counts [${actual}]`);
  } else if (what === 'group') {
    // expect NODE group GROUP STATE [HOLDER]: the group as the node's status shows it
    const [name, state, holder] = rest;
    const group = view.groups.find((g) => g.name === name);
    const actual = `${group?.state ?? 'unknown'} ${group?.holder ?? '-'}`;
    if (actual !== `${state ?? ''} ${holder ?? '-'}`) fail(`${name ?? ''} is ${actual}`);
  } else if (what === 'rscstatus') {
    const actual = view.rscstatus;
    if (actual !== rest[0]) fail(`rscstatus is ${actual}`);
  } else if (what === 'fenced') {
    const actual = sim.world.fenceCalls.get(rest[0] ?? '') ?? 0;
    const [low = 0, high = low] = (rest[1] ?? '').split('..').map(Number);
    if (actual < low || actual > high) fail(`${rest[0] ?? ''} fenced ${actual} times`);
  } else if (what === 'no-warnings') {
    const hits = node.logs.filter(
      (l) => l.level === 'warn' || l.level === 'error' || l.level === 'crit',
    );
    if (hits.length > 0) fail(`warnings logged:${show(hits)}`);
  } else {
    fail(`unknown expectation ${String(what)}`);
  }
}

function fieldsText(fields: Record<string, string>): string {
  const shown = ['t', 'rsc_hold', 'isstable', 'info', 'rsc_held'];
  return shown.flatMap((k) => (fields[k] === undefined ? [] : [`${k}=${fields[k]}`])).join(' ');
}

export function duration(text: string): number {
  const value = parseDuration(text);
  if (value === undefined) throw new Error(`bad duration ${text}`);
  return value;
}
