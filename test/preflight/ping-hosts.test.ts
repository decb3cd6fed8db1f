// Resolving ping hosts: an unknown `ping` host is an error, a ping_group member only a warning.
import { describe, expect, it } from 'vitest';
import type { PingNode } from '../../src/config/hacf/types.js';
import { resolvePingHosts } from '../../src/preflight/ping-hosts.js';

const at = (line: number) => ({ file: '/etc/ha.d/ha.cf', line });
const node = (name: string, hosts: string[], group: boolean, line: number): PingNode => ({
  name,
  hosts,
  group,
  at: at(line),
});

/** Knows router.example only. */
const fakeLookup = async (host: string): Promise<string> => {
  await Promise.resolve();
  if (host === 'router.example') return '192.0.2.254';
  throw new Error(`getaddrinfo ENOTFOUND ${host}`);
};

describe('resolvePingHosts', () => {
  it('keeps addresses, resolves names', async () => {
    const { addresses, problems } = await resolvePingHosts(
      [
        node('192.0.2.1', ['192.0.2.1'], false, 3),
        node('router.example', ['router.example'], false, 4),
      ],
      fakeLookup,
    );
    expect([...addresses]).toEqual([
      ['192.0.2.1', '192.0.2.1'],
      ['router.example', '192.0.2.254'],
    ]);
    expect(problems).toEqual([]);
  });

  it('a ping host that does not resolve is an error at its line', async () => {
    const { problems } = await resolvePingHosts(
      [node('gone.example', ['gone.example'], false, 7)],
      fakeLookup,
    );
    expect(problems).toEqual([
      {
        at: at(7),
        message: 'unknown host: gone.example: getaddrinfo ENOTFOUND gone.example',
        warning: false,
      },
    ]);
  });

  it('a ping_group member that does not resolve warns; a group with none is an error', async () => {
    const some = await resolvePingHosts(
      [node('uplinks', ['gone.example', 'router.example'], true, 5)],
      fakeLookup,
    );
    expect(some.problems.map((p) => [p.warning, p.message])).toEqual([
      [true, 'ping_group uplinks: unknown host: gone.example: getaddrinfo ENOTFOUND gone.example'],
    ]);
    const none = await resolvePingHosts([node('uplinks', ['gone.example'], true, 5)], fakeLookup);
    expect(none.problems.map((p) => [p.warning, p.message])).toEqual([
      [true, 'ping_group uplinks: unknown host: gone.example: getaddrinfo ENOTFOUND gone.example'],
      [false, 'ping_group uplinks: none of its hosts resolves'],
    ]);
  });

  it("uses the system's resolver by default (localhost, from /etc/hosts)", async () => {
    const { addresses } = await resolvePingHosts([node('localhost', ['localhost'], false, 1)]);
    expect(addresses.get('localhost')).toMatch(/^127\./);
  });
});
