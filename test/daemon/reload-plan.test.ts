// What a reload applies live and what it names as needing a restart.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/config.js';
import { planReload } from '../../src/daemon/reload-plan.js';
import { MINIMAL_HACF, tempConfigDirs } from '../helpers/config-dir.js';

const configDir = tempConfigDirs();

async function configWith(hacf: string, authkeys?: string): Promise<Config> {
  const loaded = await loadConfig({
    dir: await configDir({ hacf, ...(authkeys ? { authkeys } : {}) }),
  });
  if (!loaded.config) throw new Error('test configuration did not load');
  return { ...loaded.config, fenceDevices: [] };
}

describe('planReload', () => {
  it('changes nothing for the same files', async () => {
    const config = await configWith(MINIMAL_HACF);
    expect(planReload(config, await configWith(MINIMAL_HACF))).toEqual({ live: [], restart: [] });
  });

  it('applies new keys live', async () => {
    const before = await configWith(MINIMAL_HACF);
    const after = await configWith(MINIMAL_HACF, 'auth 2\n2 md5 another-secret\n');
    expect(planReload(before, after)).toEqual({ live: ['authkeys'], restart: [] });
  });

  it('names a changed realtime priority as needing a restart', async () => {
    const before = await configWith(MINIMAL_HACF);
    expect(planReload(before, await configWith(`${MINIMAL_HACF}rtprio 10\n`)).restart).toEqual([
      'realtime priority 50 -> 10',
    ]);
    expect(planReload(before, await configWith(`${MINIMAL_HACF}realtime off\n`)).restart).toEqual([
      'realtime priority 50 -> off',
    ]);
  });
});
