// Runs a scenario file against the simulated cluster: one command per line, `expect` lines assert.
import { check, duration } from './scenario-expect.js';
import { Sim, type Timing } from './sim.js';
import { noteExcuses, unexcusedDoubles } from './sim-audit.js';

export interface ScenarioFailure {
  readonly line: number;
  readonly message: string;
}

const TIMING_KEYS = ['keepalive', 'deadtime', 'warntime', 'initdead', 'deadping'];
const AGENT_OPS = ['start', 'stop', 'status'];

export function runScenario(text: string): readonly ScenarioFailure[] {
  return playScenario(text).failures;
}

export interface ScenarioRun {
  readonly failures: readonly ScenarioFailure[];
  /** The whole exchange, when the file says `golden`: compared with its .golden file. */
  readonly transcript: string | undefined;
}

export function playScenario(text: string): ScenarioRun {
  const failures: ScenarioFailure[] = [];
  const setup = {
    nodes: ['alpha', 'beta'],
    links: ['eth0'],
    timing: {} as Partial<Timing>,
    groups: [] as string[],
  };
  const keys = new Map<string, string>();
  let sim: Sim | undefined;
  /** `allow doubled: REASON` and `golden` were given (an object: runLine sets it). */
  const allowed = { doubled: false, golden: false };
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
  const runLine = (raw: string, index: number): void => {
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
          if (!TIMING_KEYS.includes(key))
            return fail(`unknown timing ${key}; known: ${TIMING_KEYS.join(', ')}`);
          setup.timing[`${key}Ms` as keyof Timing] = duration(value);
        }
        return;
      case 'golden':
        // The file's exchange is kept in NAME.golden (SCENARIO_REWRITE=1 writes it anew).
        allowed.golden = true;
        return;
      case 'allow':
        // allow doubled: REASON — this file shows two holders on purpose, outside any excuse.
        if (args[0] !== 'doubled:' || args.length < 2) return fail('write allow doubled: REASON');
        allowed.doubled = true;
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
      case 'hang':
      case 'repair': {
        // fail|hang|repair NODE start|stop|status RESOURCE (a hung agent is killed at its timeout)
        const [node = '', op = '', resource] = args;
        if (!setup.nodes.includes(node) || !AGENT_OPS.includes(op) || args.length !== 3)
          return fail(`write ${command} NODE start|stop|status RESOURCE`);
        if (!world().world.groups.some((g) => g.resources.some((r) => r.text === resource)))
          return fail(`no resource ${resource ?? ''} in any group`);
        const key = args.join(':');
        if (command === 'fail') world().world.failures.add(key);
        if (command === 'hang') world().world.hangs.add(key);
        if (command === 'repair') {
          world().world.failures.delete(key);
          world().world.hangs.delete(key);
        }
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
      case 'revive':
        world().revive();
        return;
      case 'heal':
        // Every link mended, every agent repaired, fencing working, every uplink back.
        world().cut.clear();
        world().world.failures.clear();
        world().world.hangs.clear();
        world().world.fencingWorks = true;
        world().unreachable.clear();
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
      case 'clock': {
        // clock NODE +3600s|-30s: its wall clock is stepped; the monotonic clock goes on.
        const [node = '', step = ''] = args;
        const sign = step.startsWith('-') ? -1 : step.startsWith('+') ? 1 : 0;
        if (args.length !== 2 || sign === 0) return fail('write clock NODE +DURATION|-DURATION');
        world().node(node).wallOffsetMs += sign * duration(step.slice(1));
        return;
      }
      case 'delay': {
        // delay NODE MS COUNT: its next COUNT packets arrive MS late, after later ones.
        const [node = '', ms = '', count = ''] = args;
        if (args.length !== 3 || !/^\d+$/.test(count)) return fail('write delay NODE MS COUNT');
        world().delay(node, duration(ms), Number(count));
        return;
      }
      case 'drop': {
        // drop NODE COUNT [after PASSED]: the network loses COUNT packets, after PASSED got through.
        const [node = '', count, after, passed = '0'] = args;
        if (after !== undefined && after !== 'after')
          return fail(`drop: expected "after N", got "${after}"`);
        world().drop(node, Number(count), Number(passed));
        return;
      }
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
  };
  text.split('\n').forEach((raw, index) => {
    try {
      runLine(raw, index);
    } catch (error) {
      // A name the cluster does not know, and the like: the line is wrong, not the runner.
      failures.push({ line: index + 1, message: `${raw.trim()}: ${String(error)}` });
    }
    if (sim) noteExcuses(sim);
  });
  // In every scenario: agents start in order on every node, a daemon logs its once-per-life lines
  // once, and a resource runs on two nodes only while they cannot hear each other without fencing
  // (and shortly after).
  for (const start of sim?.world.outOfOrder ?? [])
    failures.push({ line: 0, message: `out of order: ${start}` });
  for (const line of sim?.repeatedLines ?? [])
    failures.push({ line: 0, message: `logged twice in one life: ${line}` });
  if (!allowed.doubled) {
    for (const doubled of sim ? unexcusedDoubles(sim) : [])
      failures.push({ line: 0, message: `two holders: ${doubled}` });
  }
  return { failures, transcript: allowed.golden ? (sim?.transcript.text ?? '') : undefined };
}

/** Words, or "quoted text" in which \" stands for a quote. */
function tokenize(line: string): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map(
    (m) => m[1]?.replace(/\\(.)/g, '$1') ?? m[2] ?? '',
  );
}
