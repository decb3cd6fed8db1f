// A random schedule for the simulated pair, written as a scenario file: a random cluster, then
// faults and operator commands with time between them, then everything healed and a quiet spell
// after which every group must be served. Each line is a scenario command, so a schedule that
// breaks an invariant is its own replay.
import { Random } from './random.js';

export interface Schedule {
  /** The cluster's shape: timing, groups, fencing, failback, monitors, start. */
  readonly setup: readonly string[];
  /** The faults and commands, each followed by a `run`; what the shrinker may drop. */
  readonly steps: readonly (readonly string[])[];
  /** Everything healed, a quiet spell, and `expect served`. */
  readonly finale: readonly string[];
}

const NODES = ['alpha', 'beta'] as const;
type NodeState = 'up' | 'crashed' | 'killed' | 'stopped';

export function makeSchedule(seed: number): Schedule {
  const rnd = new Random(seed);
  const links = rnd.chance(0.3) ? ['eth0', 'eth1'] : ['eth0'];
  const fencing = rnd.pick(['none', 'on', 'broken']);
  const groups = Array.from({ length: rnd.int(1, 3) }, (_, g) => ({
    home: rnd.pick(NODES),
    resources: [
      `IPaddr::192.0.2.${100 + g}/24`,
      ...Array.from({ length: rnd.int(0, 2) }, (_, r) => `svc${g}${r}`),
    ],
  }));
  const services = groups.flatMap((g) => g.resources.slice(1));
  const monitored = services.filter(() => rnd.chance(0.4));
  const setup = [
    `# seed ${seed}`,
    'timing keepalive=1s deadtime=5s warntime=2500ms initdead=12s',
    `links ${links.join(' ')}`,
    ...groups.map((g) => `group ${g.home} ${g.resources.join(' ')}`),
    `fencing ${fencing}`,
    `auto_failback ${rnd.pick(['on', 'off'])}`,
    ...monitored.map((s) => `monitor ${s} monitor=2s migration_threshold=${rnd.int(1, 3)}`),
    // Slow agents, some of the time: every start and stop takes this long.
    ...(rnd.chance(0.3) ? [`op-delay ${rnd.pick([300, 1000, 3000])}ms`] : []),
    'start alpha beta',
    'run 15s',
  ];
  const state = new Map<string, NodeState>(NODES.map((n) => [n, 'up']));
  const cut = new Set<string>();
  const failing = new Set<string>();
  const steps: string[][] = [];
  for (let i = rnd.int(6, 18); i > 0; i--) {
    const step = fault(rnd, { state, cut, failing, links, services, monitored, groups });
    if (step) steps.push([...step, `run ${rnd.pick([200, 500, 1000, 2000, 3000, 6000, 8000])}ms`]);
  }
  // Generic, so that it still heals everything once the shrinker has dropped steps.
  // Stops under way end before every node down starts again, and one that hung (until its 60 s
  // timeout) before it starts a second time; the quiet spell outlasts a fenced node's reboot
  // (60 s) and its joining.
  const finale = ['heal', 'run 10s', 'revive', 'run 60s', 'revive', 'run 90s', 'expect served'];
  return { setup, steps, finale };
}

interface World {
  readonly state: Map<string, NodeState>;
  readonly cut: Set<string>;
  readonly failing: Set<string>;
  readonly links: readonly string[];
  readonly services: readonly string[];
  readonly monitored: readonly string[];
  readonly groups: readonly { readonly resources: readonly string[] }[];
}

/** One fault or command that makes sense now, noting what later steps choose from (cut links, failing agents). */
function fault(rnd: Random, w: World): string[] | undefined {
  const node = rnd.pick(NODES);
  const up = w.state.get(node) === 'up';
  const kind = rnd.pick([
    'cut',
    'mend',
    'crash',
    'kill-daemon',
    'stop',
    'restart',
    'stall',
    'standby',
    'takeover',
    'fail',
    'hang',
    'repair',
    'dies',
    'drop',
    'delay',
    'clock',
    'replay',
    'cleanup',
  ]);
  const resource = rnd.pick(w.groups.flatMap((g) => g.resources));
  switch (kind) {
    case 'cut': {
      const link = rnd.pick(w.links);
      w.cut.add(`${node}|${link}`);
      return [`cut ${node} ${link}`];
    }
    case 'mend': {
      const key = [...w.cut].find((k) => k.startsWith(`${node}|`));
      if (!key) return undefined;
      w.cut.delete(key);
      return [`mend ${key.replace('|', ' ')}`];
    }
    case 'crash':
    case 'kill-daemon':
    case 'stop':
      if (!up) return undefined;
      w.state.set(node, kind === 'crash' ? 'crashed' : kind === 'stop' ? 'stopped' : 'killed');
      return [`${kind} ${node}`];
    case 'restart':
      // revive, not restart NODE: a node still stopping is let finish, as `heartbeat stop` waits.
      if (up) return undefined;
      for (const n of NODES) w.state.set(n, 'up');
      return ['revive'];
    case 'stall':
      return up ? [`stall ${node} ${rnd.pick([500, 2000, 7000])}ms`] : undefined;
    case 'standby':
    case 'takeover':
      return up ? [`${kind} ${node} ${rnd.pick(['all', 'local', 'foreign'])}`] : undefined;
    case 'fail': {
      const key = `${node}|${rnd.pick(['start', 'stop'])}|${resource}`;
      w.failing.add(key);
      return [`fail ${key.replaceAll('|', ' ')}`];
    }
    case 'hang': {
      const key = `${node}|${rnd.pick(['start', 'stop', 'status'])}|${resource}`;
      w.failing.add(key);
      return [`hang ${key.replaceAll('|', ' ')}`];
    }
    case 'repair': {
      const key = rnd.chance(0.5) ? [...w.failing][0] : undefined;
      if (key === undefined) return undefined;
      w.failing.delete(key);
      return [`repair ${key.replaceAll('|', ' ')}`];
    }
    case 'dies':
      // Only a monitor notices a service that dies: without one it would stay down for good.
      return w.monitored.length > 0 ? [`dies ${node} ${rnd.pick(w.monitored)}`] : undefined;
    case 'drop':
      return up ? [`drop ${node} ${rnd.int(1, 3)}`] : undefined;
    case 'clock':
      return [
        `clock ${node} ${rnd.pick(['+', '-'])}${rnd.pick(['2s', '90s', '3600s', '2592000s'])}`,
      ];
    case 'delay':
      return up ? [`delay ${node} ${rnd.pick([300, 1500, 4000])}ms ${rnd.int(1, 4)}`] : undefined;
    case 'replay':
      return up ? [`capture ${node}`, 'run 3s', `replay ${node} to ${other(node)}`] : undefined;
    case 'cleanup':
      return up ? [`cleanup ${node}`] : undefined;
  }
  return undefined;
}

function other(node: string): string {
  return node === 'alpha' ? 'beta' : 'alpha';
}

export function scheduleText(schedule: Schedule): string {
  return [...schedule.setup, ...schedule.steps.flat(), ...schedule.finale].join('\n') + '\n';
}
