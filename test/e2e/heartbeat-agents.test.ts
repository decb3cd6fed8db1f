// End to end, as root in network namespaces: heartbeat 3.0.6's own shipped agents run by our
// daemon with the environment heartbeat gives them, so their log lines land once, in our log file
// (ocf-shellfuncs' ha_log appends to HA_LOGFILE), not a second time through their stderr.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailoverLab, VIP } from '../helpers/failover-lab.js';
import { waitFor } from '../helpers/wait-for.js';

const isRoot = process.getuid?.() === 0;
const SHIPPED_IPADDR2 = '/etc/ha.d/resource.d/IPaddr2';

describe.skipIf(!isRoot || !existsSync(SHIPPED_IPADDR2))("heartbeat's shipped IPaddr2", () => {
  let lab: FailoverLab;
  const logFile = (): Promise<string> => readFile(join(lab.dir('alpha'), 'ha-log'), 'utf8');

  beforeAll(async () => {
    lab = await FailoverLab.create({
      keepaliveMs: 200,
      deadtimeMs: 1000,
      groupLine: `alpha IPaddr2::${VIP}/24/eth0 udp-echo`,
      nodeAgents: { alpha: { IPaddr2: SHIPPED_IPADDR2 } },
    });
    lab.startProbe(5);
    lab.start('alpha');
    await waitFor(() => lab.lastAnswer()?.from === 'alpha', 'the VIP answered by alpha', 20_000);
  }, 60_000);

  afterAll(async () => {
    await lab.destroy();
  }, 30_000);

  it('brings the VIP up, and each line it logs is in our log file once', async () => {
    expect(await lab.holdsVip('alpha')).toBe(true);
    const lines = (await logFile()).split('\n');
    const adding = lines.filter((l) => l.includes(`Adding inet address ${VIP}/24`));
    expect(adding, lines.join('\n')).toHaveLength(1);
    // Its own line, written by the agent (heartbeat's date format and log tag), not ours.
    expect(adding[0]).toMatch(
      /^\d{4}\/\d{2}\/\d{2}_\d{2}:\d{2}:\d{2} IPaddr2\(.*\)\[\d+\]:\s+INFO: /,
    );
    expect(lines.filter((l) => / WARN: .*IPaddr2/.test(l))).toEqual([]);
  });
});
