// The environment agents and respawned programs get: heartbeat's HA_<directive> table with its
// defaults, where to log, and heartbeat's fixed settings.
import { afterEach, describe, expect, it } from 'vitest';
import { heartbeatEnv } from '../../src/config/heartbeat-env.js';
import { loadConfig } from '../../src/config/load.js';
import { makeConfigDir, MINIMAL_HACF, type ConfigDir } from '../helpers/config-dir.js';

const dirs: ConfigDir[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => d.cleanup()));
});

async function envFor(hacf: string): Promise<Record<string, string>> {
  const made = await makeConfigDir({ hacf });
  dirs.push(made);
  const loaded = await loadConfig({ dir: made.dir });
  if (!loaded.config) throw new Error(loaded.diagnostics.all.map((d) => d.message).join('\n'));
  return heartbeatEnv(loaded.config);
}

describe('heartbeatEnv', () => {
  it("carries every ha.cf setting as HA_<name>, heartbeat's defaults included", async () => {
    const env = await envFor(`${MINIMAL_HACF}logfile /var/log/ha-log\n`);
    // As written, as heartbeat records them.
    expect(env.HA_keepalive).toBe('1');
    expect(env.HA_deadtime).toBe('10');
    expect(env.HA_auto_failback).toBe('on');
    // Not in the file: heartbeat's defaults.
    expect(env.HA_warntime).toBe('5000ms');
    expect(env.HA_udpport).toBe('694');
    expect(env.HA_logfile).toBe('/var/log/ha-log');
  });

  it('says where to log, so ha_log writes each line once', async () => {
    const env = await envFor(
      `${MINIMAL_HACF}logfile /var/log/ha-log\ndebugfile /var/log/ha-debug\nlogfacility local0\ndebug 2\n`,
    );
    expect(env).toMatchObject({
      HA_LOGFILE: '/var/log/ha-log',
      HA_DEBUGLOG: '/var/log/ha-debug',
      HA_LOGFACILITY: 'local0',
      HA_debug: '2',
      HA_LOGD: 'no',
    });
    const quiet = await envFor(`${MINIMAL_HACF}logfile /var/log/ha-log\n`);
    // ocf-shellfuncs' ha_debug treats 0 as off.
    expect(quiet.HA_debug).toBe('0');
    expect(quiet.HA_LOGFACILITY).toBeUndefined();
  });

  it("gives heartbeat's fixed settings: directory, date format, shell functions, OCF root, host", async () => {
    const made = await makeConfigDir();
    dirs.push(made);
    const loaded = await loadConfig({ dir: made.dir });
    const env = loaded.config ? heartbeatEnv(loaded.config) : {};
    expect(env).toMatchObject({
      HA_DIR: made.dir,
      HA_DATEFMT: '%Y/%m/%d_%T',
      HA_FUNCS: `${made.dir}/shellfuncs`,
      OCF_ROOT: '/usr/lib/ocf',
      HA_CURHOST: 'alpha',
      HA_cluster_type: 'heartbeat',
    });
  });
});
