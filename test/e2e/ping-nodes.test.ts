// End to end, as root in network namespaces: ping nodes answered by a real router namespace. Each
// node keeps its own view (the router stops answering alpha alone), cl_status and `status --json`
// show ping nodes as heartbeat does, and a ping_group stays up while one member answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailoverLab } from '../helpers/failover-lab.js';
import { labCli } from '../helpers/lab-cli.js';
import { waitFor } from '../helpers/wait-for.js';

const isRoot = process.getuid?.() === 0;
/** The router is the fourth lab namespace; 192.0.2.14 is on the bridge but nobody has it. */
const ROUTER = '192.0.2.13';
const NOBODY = '192.0.2.14';
const TIMING = { keepaliveMs: 200, deadtimeMs: 1000 };
const DEADPING_MS = 1000;
const SETTLE_MS = 20_000;

describe.skipIf(!isRoot)('ping nodes against a router namespace', () => {
  let lab: FailoverLab;

  const clStatus = async (node: string, ...args: string[]) =>
    labCli(lab, node, ['cl-status', ...args]);

  const logged = (node: string, text: string): boolean =>
    lab.log(node).some((line) => line.includes(text));

  const waitLogged = (node: string, text: string): Promise<void> =>
    waitFor(() => logged(node, text), `${node} logs "${text}"`, SETTLE_MS).catch(
      (error: unknown) => {
        throw new Error(`${String(error)}\n${lab.log(node).slice(-40).join('\n')}`);
      },
    );

  beforeAll(async () => {
    lab = await FailoverLab.create({
      ...TIMING,
      moreLabNodes: ['router'],
      extraHacf: () => [
        `ping ${ROUTER}`,
        `ping_group uplinks ${NOBODY} ${ROUTER}`,
        `deadping ${DEADPING_MS}ms`,
      ],
    });
    expect(lab.lab.node('router').address).toBe(ROUTER);
    lab.start('alpha');
    lab.start('beta');
    for (const node of ['alpha', 'beta'])
      await waitLogged(node, 'Comm_now_up(): updating status to active');
  }, 60_000);

  afterAll(async () => {
    await lab.destroy();
  }, 30_000);

  it('logs each ping node up with its link first, as heartbeat does', () => {
    for (const node of ['alpha', 'beta']) {
      const lines = lab.log(node);
      const link = lines.findIndex((l) => l.includes(`Link ${ROUTER}:${ROUTER} up.`));
      const status = lines.findIndex((l) =>
        l.includes(`Status update for node ${ROUTER}: status ping`),
      );
      expect(link).toBeGreaterThanOrEqual(0);
      expect(status).toBeGreaterThan(link);
      expect(logged(node, 'Status update for node uplinks: status ping')).toBe(true);
    }
  });

  it("answers cl_status about ping nodes with heartbeat's words and exit codes", async () => {
    const all = await clStatus('alpha', 'listnodes');
    expect(all.code).toBe(0);
    expect(all.out.split('\n').filter(Boolean).sort()).toEqual(
      ['alpha', 'beta', ROUTER, 'uplinks'].sort(),
    );
    expect((await clStatus('alpha', 'listnodes', '-p')).out.split('\n').filter(Boolean)).toEqual([
      ROUTER,
      'uplinks',
    ]);
    expect(
      (await clStatus('alpha', 'listnodes', '-n')).out.split('\n').filter(Boolean).sort(),
    ).toEqual(['alpha', 'beta']);
    expect((await clStatus('alpha', 'nodetype', ROUTER)).out).toBe('ping');
    expect((await clStatus('alpha', 'nodetype', 'beta')).out).toBe('normal');
    const status = await clStatus('alpha', 'nodestatus', ROUTER);
    expect([status.out, status.code]).toEqual(['ping', 0]);
    expect((await clStatus('alpha', 'listhblinks', ROUTER)).out).toBe(`\t${ROUTER}`);
    const link = await clStatus('alpha', 'hblinkstatus', ROUTER, ROUTER);
    expect([link.out, link.code]).toEqual(['up', 0]);
  });

  it('carries ping nodes in status --json', async () => {
    const result = await labCli(lab, 'alpha', ['status', '--json']);
    expect(result.code, result.err).toBe(0);
    const snapshot = JSON.parse(result.out) as {
      nodes: { name: string; type: string; status: string; links: { name: string }[] }[];
    };
    const pings = snapshot.nodes.filter((n) => n.type === 'ping');
    expect(pings.map((n) => [n.name, n.status, n.links.map((l) => l.name)])).toEqual([
      [ROUTER, 'ping', [ROUTER]],
      ['uplinks', 'ping', ['uplinks']],
    ]);
  });

  it('declares a silent ping node dead on that node alone, and ping again when it answers', async () => {
    // The router stops answering alpha; beta and the heartbeat link are untouched.
    await lab.lab.ip('router', 'route', 'add', 'blackhole', `${lab.lab.node('alpha').address}/32`);
    await waitLogged('alpha', `node ${ROUTER}: is dead`);
    await waitLogged('alpha', 'node uplinks: is dead');
    expect(logged('alpha', `Link ${ROUTER}:${ROUTER} dead.`)).toBe(true);
    const dead = await clStatus('alpha', 'nodestatus', ROUTER);
    expect([dead.out, dead.code]).toEqual(['dead', 1]);
    const link = await clStatus('alpha', 'hblinkstatus', ROUTER, ROUTER);
    expect([link.out, link.code]).toEqual(['dead', 1]);
    expect((await clStatus('beta', 'nodestatus', ROUTER)).out).toBe('ping');
    expect(logged('beta', `node ${ROUTER}: is dead`)).toBe(false);
    // Without ipfail a ping node's death moves nothing: alpha still holds its group.
    expect((await clStatus('alpha', 'rscstatus')).out).toBe('local');
    expect(await lab.holdsVip('alpha')).toBe(true);
    expect((await clStatus('alpha', 'nodestatus', 'beta')).out).toBe('active');

    await lab.lab.ip('router', 'route', 'del', 'blackhole', `${lab.lab.node('alpha').address}/32`);
    await waitFor(
      () =>
        lab.log('alpha').filter((l) => l.includes(`Status update for node ${ROUTER}: status ping`))
          .length === 2,
      'alpha sees the router again',
      SETTLE_MS,
    );
    expect((await clStatus('alpha', 'nodestatus', 'uplinks')).out).toBe('ping');
  });
});
