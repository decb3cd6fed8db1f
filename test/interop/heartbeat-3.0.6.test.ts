// Interop with a real heartbeat 3.0.6 node (Debian package) for sha1, md5 and crc: each side sees
// the other active, the real node logs nothing against our packets, and each notices the other die.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monoMs, type LineWatcher } from '../helpers/line-watcher.js';
import { Lab } from '../helpers/netns.js';
import { startOurNode, writeNodeDir } from '../helpers/our-node.js';
import {
  clStatus,
  prepareRealNode,
  startRealNode,
  type RealNode,
} from '../helpers/real-heartbeat.js';
import { waitFor } from '../helpers/wait-for.js';

const HACF = [
  'keepalive 500ms',
  'deadtime 3',
  'warntime 1500ms',
  'initdead 10',
  'udpport 694',
  'bcast eth0',
  'auto_failback on',
  'node alpha beta',
  'crm off',
];
/** Lines of the real node's log that say something is wrong with what we sent. */
const COMPLAINTS =
  /authenticat|authtoken|bad node|replay|lost packet|rexmit|Invalid|corrupted|hist queue|paused|partition|Late heartbeat|ERROR: (?!Cannot lock ourselves into memory)/;

describe.each([
  ['sha1', '1 sha1 interop-sha1-key'],
  ['md5', '1 md5 interop-md5-key'],
  ['crc', '1 crc'],
])('with a real heartbeat 3.0.6 node, %s', (method, entry) => {
  let lab: Lab;
  let root: string;
  let real: RealNode;
  let ours: LineWatcher;
  const authkeys = `auth 1\n${entry}\n`;

  const startOurs = async (): Promise<LineWatcher> => {
    const dir = await writeNodeDir(root, 'ours', { hacf: HACF, authkeys, nodeName: 'beta' });
    return startOurNode(lab, 'beta', dir).output;
  };
  const realLog = async (): Promise<string> => readFile(real.logFile, 'utf8').catch(() => '');

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), `hbts-interop-${method}-`));
    lab = await Lab.create(['alpha', 'beta']);
    real = await prepareRealNode(root, 'alpha', { hacf: `${HACF.join('\n')}\n`, authkeys });
    void startRealNode(lab, real);
    ours = await startOurs();
  });

  afterAll(async () => {
    await lab.destroy();
    await rm(root, { recursive: true, force: true });
  });

  it('the real node reports ours active, and ours reports the real node active', async () => {
    await ours.waitFor(/Status update for node alpha: status active/, 20_000);
    await ours.waitFor(/Local status now set to: 'active'/, 5000);
    let last = { stdout: '', exitCode: -1 };
    await waitFor(
      async () => {
        last = await clStatus(lab, real, ['nodestatus', 'beta']);
        return last.stdout === 'active';
      },
      'cl_status nodestatus beta = active on the real node',
      20_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; last answer: ${JSON.stringify(last)}`, { cause: error });
    });
    expect(last.exitCode).toBe(0);
    expect((await clStatus(lab, real, ['hblinkstatus', 'beta', 'eth0'])).stdout).toBe('up');
    expect((await clStatus(lab, real, ['listnodes'])).stdout.split('\n').sort()).toEqual([
      'alpha',
      'beta',
    ]);
  });

  it('the real node logs no authentication or format errors about our packets', async () => {
    const complaints = (await realLog()).split('\n').filter((line) => COMPLAINTS.test(line));
    expect(complaints).toEqual([]);
    // Our own start-up warnings about the configuration (crc authenticates nothing) are expected.
    const ourComplaints = ours.lines
      .map((l) => l.text)
      .filter((text) => /ERROR|WARN|CRIT/.test(text) && !/\/(ha\.cf|authkeys)(:\d+)?: /.test(text));
    expect(ourComplaints).toEqual([]);
  });

  it('each declares the other dead when it is killed', async () => {
    await lab.killAll('beta');
    await waitFor(
      async () => /WARN: node beta: is dead/.test(await realLog()),
      'the real node declares beta dead',
      10_000,
    );
    ours = await startOurs();
    await ours.waitFor(/Status update for node alpha: status active/, 20_000);
    const killedAt = monoMs();
    await lab.killAll('alpha');
    await ours.waitFor(/WARN: node alpha: is dead/, 10_000, killedAt);
  });
});
