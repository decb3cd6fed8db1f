// The ping helper: real fping echoes to loopback reported by address, a helper that dies logged and
// started again, and the delay between restarts.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fpingArguments, Pinger, replyAddress } from '../../src/net/pinger.js';
import { RestartDelay } from '../../src/process/restart-delay.js';
import { waitFor } from '../helpers/wait-for.js';

const pingers: Pinger[] = [];
const temporary: string[] = [];

afterEach(async () => {
  await Promise.all(pingers.splice(0).map((p) => p.stop()));
  await Promise.all(temporary.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

function start(options: Partial<ConstructorParameters<typeof Pinger>[0]>) {
  const replies: { address: string; at: number }[] = [];
  const logs: string[] = [];
  const pinger = new Pinger({
    addresses: ['127.0.0.1'],
    intervalMs: 50,
    onReply: (address) => replies.push({ address, at: performance.now() }),
    log: (level, text) => logs.push(`${level}: ${text}`),
    ...options,
  });
  pingers.push(pinger);
  pinger.start();
  return { replies, logs };
}

describe('Pinger', () => {
  it('reports each echo reply from fping by address, one per target and interval', async () => {
    const { replies, logs } = start({ addresses: ['127.0.0.1', '127.0.0.2'] });
    await waitFor(() => replies.length >= 8, 'eight replies', 5000);
    expect(new Set(replies.map((r) => r.address))).toEqual(new Set(['127.0.0.1', '127.0.0.2']));
    const first = replies.filter((r) => r.address === '127.0.0.1');
    const gaps = first.slice(1).map((r, i) => r.at - (first[i]?.at ?? r.at));
    // fping's period is the interval: no burst of echoes, no long silence.
    expect(Math.min(...gaps)).toBeGreaterThan(20);
    expect(logs).toEqual([]);
  });

  it('logs a helper that exits, with what it said, and starts it again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pinger-'));
    temporary.push(dir);
    const program = join(dir, 'fake-fping');
    await writeFile(
      program,
      '#!/bin/sh\necho "127.0.0.1 : [0], 64 bytes, 0.05 ms (0.05 avg, 0% loss)"\necho "no socket" >&2\nexit 4\n',
    );
    await chmod(program, 0o755);
    const { replies, logs } = start({ program });
    await waitFor(() => replies.length >= 2, 'a reply from each of two runs', 5000);
    expect(logs[0]).toMatch(
      /^error: ping helper \(.*fake-fping\) exited with code 4: no socket; starting it again in 1s$/,
    );
  });

  it('logs a helper that cannot be started once, and tries again later', async () => {
    const { logs } = start({ program: '/nonexistent/fping' });
    await waitFor(() => logs.length > 0, 'the failure logged', 5000);
    expect(logs).toEqual([
      'error: ping helper (/nonexistent/fping) could not be started: spawn /nonexistent/fping ENOENT; starting it again in 1s',
    ]);
  });

  it("reads a reply from fping's line for it, and nothing from its other lines", () => {
    const pinged = new Set(['192.0.2.1']);
    expect(replyAddress('192.0.2.1 : [12], 64 bytes, 0.05 ms (0.04 avg, 0% loss)', pinged)).toBe(
      '192.0.2.1',
    );
    for (const line of [
      '192.0.2.1 : [3], timed out (NaN avg, 100% loss)',
      '192.0.2.1 : xmt/rcv/%loss = 1/1/0%, min/avg/max = 0.09/0.09/0.09',
      'ICMP Host Unreachable from 192.0.2.10 for ICMP Echo sent to 192.0.2.1',
      '192.0.2.9 : [1], 64 bytes, 0.05 ms (0.04 avg, 0% loss)',
      '',
    ])
      expect(replyAddress(line, pinged), line).toBeUndefined();
  });

  it('asks fping for loop mode with one echo per target each interval', () => {
    expect(fpingArguments(['192.0.2.1', '192.0.2.2'], 200)).toEqual([
      '-l',
      '-4',
      '-p',
      '200',
      '-i',
      '1',
      '192.0.2.1',
      '192.0.2.2',
    ]);
  });
});

describe('RestartDelay', () => {
  it('doubles from 1 s while the helper dies young, up to 30 s, and starts over after a long run', () => {
    const delay = new RestartDelay();
    const quick = [1, 2, 3, 4, 5, 6, 7].map(() => delay.next(100));
    expect(quick).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(delay.next(60_000)).toBe(1000);
  });
});
