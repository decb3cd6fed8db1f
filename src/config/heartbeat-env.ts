// The environment heartbeat 3.0.6 gives its resource agents and respawned programs.
import { join } from 'node:path';
import type { ParsedConfig } from './config.js';

/** heartbeat's date(1) format for log lines (HA_DATEFMT). */
const DATE_FORMAT = '%Y/%m/%d_%T';
const OCF_ROOT = '/usr/lib/ocf';

/**
 * HA_<name> for every ha.cf setting (defaults included, as cl_status hbparameter shows them,
 * HA_debug too), where to log, and where heartbeat's shell functions and OCF agents live.
 */
export function heartbeatEnv(config: ParsedConfig): Record<string, string> {
  const { hacf } = config;
  const env: Record<string, string> = {};
  for (const [name, value] of hacf.parameters) env[`HA_${name}`] = value;
  const { logfile, debugfile, facility } = hacf.log;
  // With these, ocf-shellfuncs' ha_log writes each line once, where the daemon logs, instead of
  // to stderr (which the daemon would log a second time).
  if (logfile) env.HA_LOGFILE = logfile;
  if (debugfile) env.HA_DEBUGLOG = debugfile;
  if (facility) env.HA_LOGFACILITY = facility;
  return {
    ...env,
    HA_LOGD: 'no',
    HA_DIR: config.dir,
    HA_DATEFMT: DATE_FORMAT,
    HA_FUNCS: join(config.dir, 'shellfuncs'),
    OCF_ROOT,
    HA_CURHOST: config.localNode,
    HA_cluster_type: 'heartbeat',
  };
}
