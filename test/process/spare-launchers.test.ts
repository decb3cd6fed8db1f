// Commands run through spare launchers exactly as when started directly: the same argv, environment,
// stdin, process group, exit codes and failures to start; spares refill when idle, end on request
// and on EOF, and when they cannot be had the commands start directly.
import { execa } from 'execa';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBounded, type CommandOutcome } from '../../src/process/bounded-command.js';
import { encodeRequest, LAUNCHER } from '../../src/process/launch-request.js';
import { SpareLaunchers } from '../../src/process/spare-launchers.js';
import { isAlive } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait-for.js';

const TITLE = 'heartbeat: spare launcher';
const DIST_LAUNCHERS = fileURLToPath(
  new URL('../../dist/process/spare-launchers.js', import.meta.url),
);

let dir: string;
let launchers: SpareLaunchers;
let reports: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'spare-launchers-'));
  reports = [];
  launchers = new SpareLaunchers({ refillAfterIdleMs: 20 });
});

afterEach(async () => {
  launchers.keep(0);
  await waitFor(() => spareLaunchers().length === 0, 'the spares to end');
  rmSync(dir, { recursive: true, force: true });
});

/** Our idle spares, by the title they give themselves. */
function spareLaunchers(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const parent = Number(fields[1]);
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return parent === process.pid && fields[0] !== 'Z' && cmdline.startsWith(TITLE);
      } catch {
        return false;
      }
    });
}

/** Until `count` spares wait, each running perl already (titled). */
async function ready(count: number): Promise<void> {
  await waitFor(
    () => launchers.ready === count && spareLaunchers().length === count,
    `${count} spares ready`,
  );
}

function run(file: string, args: string[], timeoutMs = 10_000): Promise<CommandOutcome> {
  return runBounded({ file, args, timeoutMs, launchers, env: { ADDED: 'a=b c', EMPTY: '' } });
}

function script(name: string, text: string, mode = 0o755): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

describe('a command run through a spare', () => {
  it('gets its argv, our environment plus its own, /dev/null as stdin and its own session', async () => {
    launchers.keep(2, (text) => reports.push(text));
    await ready(2);
    process.env.SPARE_TEST_LATE = 'set after the spares started';
    const show = script(
      'show',
      [
        '#!/bin/bash',
        'printf "<%s>\\n" "$0" "$@"',
        'echo "ADDED=$ADDED EMPTY=[${EMPTY-unset}] LATE=$SPARE_TEST_LATE"',
        'readlink /proc/self/fd/0',
        'read -r _ _ _ _ group session _ </proc/$$/stat',
        'echo "group $((group == $$)) session $((session == $$))"',
        'exit 4',
      ].join('\n'),
    );
    try {
      const outcome = await run(show, ['two words', '', 'line\nbreak', 'ünï']);
      expect(launchers.ready).toBe(1);
      expect(outcome).toEqual({
        kind: 'exited',
        code: 4,
        stdout: [
          `<${show}>`,
          '<two words>',
          '<>',
          '<line\nbreak>',
          '<ünï>',
          'ADDED=a=b c EMPTY=[] LATE=set after the spares started',
          '/dev/null',
          'group 1 session 1',
          '',
        ].join('\n'),
      });
    } finally {
      delete process.env.SPARE_TEST_LATE;
    }
    expect(reports).toEqual([]);
  });

  it('fails to start with the very words of a direct start', async () => {
    const direct = new SpareLaunchers();
    const notExecutable = script('plain-file', '#!/bin/sh\n', 0o644);
    const badInterpreter = script('bad-interpreter', '#!/no/such/shell\n');
    const underAFile = join(notExecutable, 'below');
    for (const file of [join(dir, 'missing'), notExecutable, badInterpreter, underAFile]) {
      launchers.keep(1);
      await ready(1);
      const outcome = await run(file, []);
      expect(launchers.ready).toBe(0);
      const expected = await runBounded({ file, args: [], timeoutMs: 10_000, launchers: direct });
      expect(expected.kind).toBe('failed-to-start');
      expect(outcome).toEqual(expected);
    }
  });

  it('is killed with its whole process group when its time is up', async () => {
    launchers.keep(1);
    await ready(1);
    const hang = script('hang', '#!/bin/bash\nsleep 60 &\necho $! >"$0.child"\nwait\n');
    const outcome = await run(hang, [], 300);
    expect(outcome.kind).toBe('timed-out');
    const child = Number(readFileSync(`${hang}.child`, 'utf8'));
    await waitFor(() => !isAlive(child), 'the sleep it started to die');
  });

  it('returns when it exits, though a daemon it started keeps its output pipes', async () => {
    launchers.keep(1);
    await ready(1);
    const leave = script('leave', '#!/bin/bash\nsleep 60 &\necho $! >"$0.child"\nexit 0\n');
    const started = performance.now();
    const outcome = await run(leave, []);
    const child = Number(readFileSync(`${leave}.child`, 'utf8'));
    process.kill(child, 'SIGKILL');
    expect(outcome).toEqual({ kind: 'exited', code: 0, stdout: '' });
    expect(performance.now() - started).toBeLessThan(5000);
  });
  it('starts directly when its launcher died before it had the command', async () => {
    const gone = join(dir, 'gone');
    // A launcher that closes every pipe as if killed, then lingers until told to end.
    const fake = script(
      'fake-perl',
      `#!/bin/sh\nexec 3>&- 1>&- 2>&-\n: >${gone}\ncat >/dev/null\n`,
    );
    launchers = new SpareLaunchers({ perl: fake, refillAfterIdleMs: 20 });
    launchers.keep(1, (text) => reports.push(text));
    await waitFor(() => launchers.ready === 1 && existsSync(gone), 'a launcher gone quiet');
    expect(await run('/bin/sh', ['-c', 'echo "ran $ADDED"'])).toEqual({
      kind: 'exited',
      code: 0,
      stdout: 'ran a=b c\n',
    });
    expect(reports).toEqual([]);
  });

  it('fails to start, as directly, on arguments no process can have, and spares still refill', async () => {
    launchers.keep(2);
    await ready(2);
    const outcome = await run('/bin/echo', ['a\0b']);
    expect(outcome).toMatchObject({ kind: 'failed-to-start' });
    expect(launchers.ready).toBe(2);
    expect(await run('/bin/echo', ['next'])).toMatchObject({ kind: 'exited', code: 0 });
    await ready(2);
  });
});

describe('the spares', () => {
  it('are refilled only once no command runs', async () => {
    launchers.keep(2);
    await ready(2);
    const gate = join(dir, 'gate');
    const waiting = run('/bin/bash', [
      '-c',
      'until [[ -e $0 ]]; do read -rt 0.01 <> <(:); done; echo opened',
      gate,
    ]);
    await waitFor(() => spareLaunchers().length === 1, 'the command to take a spare');
    // Ten refill intervals: long enough for a refill to show, had one started.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(spareLaunchers()).toHaveLength(1);
    writeFileSync(gate, '');
    expect(await waiting).toEqual({ kind: 'exited', code: 0, stdout: 'opened\n' });
    await waitFor(() => spareLaunchers().length === 2, 'a new spare in its place');
  });

  it('end when told to, and when the process that started them goes away', async () => {
    launchers.keep(3);
    await ready(3);
    launchers.keep(1);
    await waitFor(() => spareLaunchers().length === 1, 'two spares to end');
    const child = execa(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        [
          "import { readdirSync, readFileSync } from 'node:fs';",
          `import { SpareLaunchers } from ${JSON.stringify(DIST_LAUNCHERS)};`,
          'const launchers = new SpareLaunchers({ refillAfterIdleMs: 1 });',
          'launchers.keep(2);',
          'const children = () => readdirSync("/proc").filter((pid) => {',
          '  try { return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")[1] ===',
          '    String(process.pid); } catch { return false; } });',
          'const wait = () => (launchers.ready < 2 ? setTimeout(wait, 5) : console.log(children().join(" ")));',
          'wait();',
        ].join('\n'),
      ],
      { timeout: 10_000 },
    );
    // Node exits on its own with two spares waiting: they do not hold its event loop.
    const { stdout } = await child;
    const orphans = stdout.split(' ').map(Number);
    expect(orphans).toHaveLength(2);
    // Their stdin is at EOF now: they end.
    await waitFor(() => orphans.every((pid) => !isAlive(pid)), 'the orphaned spares to end');
  });

  it('die with the daemon, even by SIGKILL, a spare or one started when none was ready, while what they started lives on', async () => {
    // Each "agent" starts a "service" in the background, then takes its time. One spare is kept
    // ready for two agents: the second starts from a launcher started there and then.
    const agent = (n: number): string =>
      `sleep 60 & echo $! > ${dir}/service${n}.pid; echo $$ > ${dir}/agent${n}.pid; wait`;
    const run = (n: number): string =>
      `runBounded({ file: '/bin/sh', args: ['-c', ${JSON.stringify(agent(n))}], timeoutMs: 60_000, launchers });`;
    const daemon = execa(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        [
          `import { SpareLaunchers } from ${JSON.stringify(DIST_LAUNCHERS)};`,
          `import { runBounded } from ${JSON.stringify(DIST_LAUNCHERS.replace('spare-launchers', 'bounded-command'))};`,
          'const launchers = new SpareLaunchers({ refillAfterIdleMs: 1 });',
          'launchers.keep(1);',
          `const go = () => { if (launchers.ready < 1) return setTimeout(go, 5); ${run(1)} ${run(2)} };`,
          'setTimeout(go, 0);',
        ].join('\n'),
      ],
      { reject: false, timeout: 20_000 },
    );
    const pidOf = (name: string): number => Number(readFileSync(join(dir, `${name}.pid`), 'utf8'));
    const names = ['agent1', 'service1', 'agent2', 'service2'];
    await waitFor(
      () => names.every((n) => existsSync(join(dir, `${n}.pid`))),
      'both agents running',
    );
    const [agent1, service1, agent2, service2] = names.map(pidOf);
    const agents = [agent1 ?? 0, agent2 ?? 0];
    const services = [service1 ?? 0, service2 ?? 0];
    expect(agents.every(isAlive)).toBe(true);
    daemon.kill('SIGKILL');
    await daemon;
    try {
      await waitFor(() => !agents.some(isAlive), 'both agents killed with the daemon');
      expect(services.every(isAlive)).toBe(true);
    } finally {
      for (const pid of services) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  it('say once why they cannot be had, and commands then start directly', async () => {
    launchers.keep(2, (text) => reports.push(text));
    await ready(2);
    const [victim] = spareLaunchers();
    if (victim === undefined) throw new Error('no spare found');
    process.kill(victim, 'SIGKILL');
    await waitFor(() => reports.length === 1, 'the report');
    expect(reports[0]).toBe(
      'a spare launcher (/usr/bin/perl) was killed by SIGKILL before use; ' +
        'agents start directly from now on',
    );
    await waitFor(() => spareLaunchers().length === 0, 'the other spare to end');
    expect(await run('/bin/sh', ['-c', 'echo direct'])).toEqual({
      kind: 'exited',
      code: 0,
      stdout: 'direct\n',
    });
    expect(launchers.ready).toBe(0);
    expect(reports).toHaveLength(1);
  });

  it('are not needed: without perl, commands start directly', async () => {
    launchers = new SpareLaunchers({ perl: join(dir, 'no-perl'), refillAfterIdleMs: 1 });
    launchers.keep(2, (text) => reports.push(text));
    await waitFor(() => reports.length === 1, 'the report');
    expect(reports[0]).toMatch(/^cannot start .*no-perl: .*ENOENT.*; agents start directly/);
    expect(await run('/bin/sh', ['-c', 'echo "$ADDED"'])).toEqual({
      kind: 'exited',
      code: 0,
      stdout: 'a=b c\n',
    });
  });
});

describe('the launcher program', () => {
  async function launch(request: string): Promise<{ code: number | undefined; status: string }> {
    const child = execa('/usr/bin/perl', ['-e', LAUNCHER], {
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      reject: false,
      encoding: 'utf8',
    });
    let status = '';
    child.stdio[3].on('data', (chunk: Buffer) => (status += chunk.toString()));
    child.stdin.end(request);
    const { exitCode } = await child;
    return { code: exitCode, status };
  }

  it('runs a whole request, and nothing of one cut short', async () => {
    const marker = join(dir, 'ran');
    const request = encodeRequest('/bin/sh', ['-c', ': >"$0"', marker], { PATH: '/bin' });
    if (request === undefined) throw new Error('no request');
    expect(await launch(request.slice(0, -1))).toEqual({ code: 0, status: '' });
    expect(existsSync(marker)).toBe(false);
    expect(await launch(request)).toEqual({ code: 0, status: 'R' });
    expect(existsSync(marker)).toBe(true);
  });
});
