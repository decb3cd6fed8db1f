// Runs a scenario file against the simulated cluster: one command per line, `expect` lines assert.
import { parseDuration } from '../../src/config/time.js';
import { isLevel } from '../../src/log/levels.js';
import { Sim, type LogRecord, type Timing } from './sim.js';

export interface ScenarioFailure {
  readonly line: number;
  readonly message: string;
}

export function runScenario(text: string): ScenarioFailure[] {
  const failures: ScenarioFailure[] = [];
  const setup = {
    nodes: ['alpha', 'beta'],
    links: ['eth0'],
    timing: {} as Partial<Timing>,
    groups: [] as string[],
  };
  const keys = new Map<string, string>();
  let sim: Sim | undefined;
  const world = (): Sim => {
    if (!sim) {
      const timing = {
        keepaliveMs: 1000,
        deadtimeMs: 5000,
        warntimeMs: 2500,
        initdeadMs: 12000,
        ...setup.timing,
      };
      sim = new Sim(setup.nodes, setup.links, timing);
      sim.world.define(setup.groups, setup.nodes);
      for (const [node, text] of keys) sim.setKeys(node, text);
    }
    return sim;
  };
  text.split('\n').forEach((raw, index) => {
    const words = tokenize(raw.replace(/(^|\s)#.*$/, ''));
    const [command, ...args] = words;
    if (command === undefined) return;
    const fail = (message: string): void => {
      failures.push({ line: index + 1, message: `${raw.trim()}: ${message}` });
    };
    // These shape the cluster, which is built by the first line that needs it.
    if (['nodes', 'links', 'timing', 'group'].includes(command) && sim)
      return fail(`${command} must come before every line that builds the cluster`);
    switch (command) {
      case 'nodes':
        setup.nodes = args;
        return;
      case 'links':
        setup.links = args;
        return;
      case 'timing':
        for (const arg of args) {
          const [key = '', value = ''] = arg.split('=');
          setup.timing[`${key}Ms` as keyof Timing] = duration(value);
        }
        return;
      case 'group':
        setup.groups.push(args.join(' '));
        return;
      case 'ping':
        for (const address of args) world().pingNodes.push({ name: address, addresses: [address] });
        return;
      case 'ping_group':
        world().pingNodes.push({ name: args[0] ?? '', addresses: args.slice(1) });
        return;
      case 'ipfail':
        world().ipfail = true;
        return;
      case 'respawn':
        world().clientNames.push(args.join(' '));
        return;
      case 'client-exits':
        // client-exits NODE CLIENT CODE|SIGNAL: the process ends on its own.
        world().clientExits(args[0] ?? '', args[1] ?? '', args[2] ?? '');
        return;
      case 'client-ignores-sigterm': {
        const process = world().client(args[0] ?? '', args[1] ?? '');
        if (!process) return fail(`${args[1] ?? ''} never ran on ${args[0] ?? ''}`);
        process.ignoresTerm = true;
        return;
      }
      case 'uplink': {
        // uplink NODE down|up [ADDRESS...]: without addresses, every ping address.
        const [node = '', state, ...given] = args;
        const all = world().pingNodes.flatMap((p) => p.addresses);
        for (const address of given.length > 0 ? given : all) {
          if (state === 'down') world().unreachable.add(`${node}:${address}`);
          else world().unreachable.delete(`${node}:${address}`);
        }
        return;
      }
      case 'legacy':
        // Before the nodes start: these nodes are heartbeat 3.0.6, their resource side scripted.
        for (const node of args) world().node(node).legacy = true;
        return;
      case 'say': {
        if (!args.slice(1).every((arg) => arg.includes('=')))
          return fail('write say NODE key=value...');
        const pairs = args.slice(1).map((arg) => arg.split('=', 2) as [string, string]);
        world().say(args[0] ?? '', Object.fromEntries(pairs));
        return;
      }
      case 'holds':
      case 'releases':
        world().world.place(args[0] ?? '', args[1] ?? '', command === 'holds', world().now);
        return;
      case 'auto_failback':
        world().autoFailback = args[0] === 'off' ? 'off' : args[0] === 'legacy' ? 'legacy' : 'on';
        return;
      case 'fencing':
        world().fencingConfigured = args[0] !== 'none';
        world().world.fencingWorks = args[0] !== 'broken';
        return;
      case 'op-delay':
        world().world.startDelayMs = duration(args[0] ?? '');
        world().world.stopDelayMs = duration(args[1] ?? args[0] ?? '');
        return;
      case 'monitor': {
        // monitor RESOURCE monitor=2s [monitor_timeout=..] [migration_threshold=N] [failure_timeout=..]
        const [resource = '', ...pairs] = args;
        const values = new Map(pairs.map((pair) => pair.split('=', 2) as [string, string]));
        const known = ['monitor', 'monitor_timeout', 'migration_threshold', 'failure_timeout'];
        const unknown = [...values.keys()].filter((key) => !known.includes(key));
        if (unknown.length > 0) return fail(`unknown keys ${unknown.join(', ')}`);
        const ms = (key: string, otherwise: number): number => {
          const text = values.get(key);
          return text === undefined ? otherwise : duration(text);
        };
        world().monitorSettings.set(resource, {
          intervalMs: ms('monitor', 0),
          timeoutMs: ms('monitor_timeout', 20_000),
          migrationThreshold: Number(values.get('migration_threshold') ?? 3),
          failureTimeoutMs: ms('failure_timeout', 0) || Infinity,
        });
        return;
      }
      case 'dies':
        // dies NODE RESOURCE: the service stops on its own; only a monitor can notice.
        world().world.dies(args[0] ?? '', args[1] ?? '', world().now);
        return;
      case 'fail':
      case 'repair': {
        const key = args.join(':');
        if (command === 'fail') world().world.failures.add(key);
        else world().world.failures.delete(key);
        return;
      }
      case 'authkeys':
        keys.set(args[0] ?? '', `${args.slice(1).join('\n')}\n`);
        if (sim) sim.setKeys(args[0] ?? '', `${args.slice(1).join('\n')}\n`);
        return;
      case 'start':
      case 'stop':
      case 'crash':
      case 'restart':
        for (const node of args) world()[command](node);
        return;
      case 'standby':
      case 'takeover': {
        const set = args[1] ?? 'all';
        if (set !== 'all' && set !== 'local' && set !== 'foreign') return fail(`bad set ${set}`);
        world().command(args[0] ?? '', command, set);
        return;
      }
      case 'cleanup':
        world().cleanup(args[0] ?? '', args[1]);
        return;
      case 'kill-daemon':
        for (const node of args) world().killDaemon(node);
        return;
      case 'stall':
        world().stall(args[0] ?? '', duration(args[1] ?? ''));
        return;
      case 'run':
        try {
          world().run(duration(args[0] ?? ''));
        } catch (error) {
          fail(error instanceof Error ? error.message : String(error));
        }
        return;
      case 'cut':
      case 'mend':
        for (const link of args.slice(1)) {
          if (command === 'cut') world().cut.add(`${args[0] ?? ''}:${link}`);
          else world().cut.delete(`${args[0] ?? ''}:${link}`);
        }
        return;
      case 'capture':
        world().capture(args[0] ?? '');
        return;
      case 'replay':
        world().replay(args[0] ?? '', args[2] ?? '');
        return;
      case 'drop':
        world().drop(args[0] ?? '', Number(args[1]));
        return;
      case 'forget':
        world().node(args[0] ?? '').logs.length = 0;
        world().node(args[0] ?? '').sent.length = 0;
        return;
      case 'expect':
        check(world(), args, fail);
        return;
      default:
        fail(`unknown command ${command}`);
    }
  });
  // Agents start in order on every node, in every scenario.
  for (const start of sim?.world.outOfOrder ?? [])
    failures.push({ line: 0, message: `out of order: ${start}` });
  return failures;
}

function check(sim: Sim, args: string[], fail: (message: string) => void): void {
  if (args[0] === 'never-doubled') {
    if (sim.world.doubles.length > 0) fail(`two holders: ${sim.world.doubles.join('; ')}`);
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

function duration(text: string): number {
  const value = parseDuration(text);
  if (value === undefined) throw new Error(`bad duration ${text}`);
  return value;
}

/** Words, or "quoted text" in which \" stands for a quote. */
function tokenize(line: string): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map(
    (m) => m[1]?.replace(/\\(.)/g, '$1') ?? m[2] ?? '',
  );
}
