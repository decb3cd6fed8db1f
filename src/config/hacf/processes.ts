// Directives naming external programs: stonith, stonith_host, respawn.
import type { DirectiveHandler } from './draft.js';

const STONITH_TYPE = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*(\/[A-Za-z0-9_][A-Za-z0-9_.+-]*)?$/;

const stonith: DirectiveHandler = (line, draft, diag) => {
  const [type, file, ...extra] = line.rest.split(/\s+/).filter(Boolean);
  const form =
    'stonith TYPE CONFIG-FILE, for example: stonith external/ipmi /etc/ha.d/stonith.ipmi';
  if (type === undefined) return diag.error(line.at, 'No Stonith type given', form);
  if (!STONITH_TYPE.test(type)) return diag.error(line.at, `Invalid Stonith type [${type}]`, form);
  if (file === undefined)
    return diag.error(line.at, `stonith ${type}: no configuration file given`, form);
  if (extra.length > 0)
    return diag.error(line.at, `stonith takes 2 values, got ${2 + extra.length}`, form);
  if (!file.startsWith('/'))
    return diag.error(line.at, `Invalid Stonith config file [${file}]: not an absolute path`, form);
  draft.stonith.push({ kind: 'stonith', type, file, at: line.at });
};

const stonithHost: DirectiveHandler = (line, draft, diag) => {
  const [from, type, ...params] = line.rest.split(/\s+/).filter(Boolean);
  const form =
    'stonith_host FROM-NODE|* TYPE PARAMS..., for example: stonith_host * external/ssh beta';
  if (from === undefined) return diag.error(line.at, 'No Stonith hostname argument given', form);
  if (type === undefined) return diag.error(line.at, 'No Stonith type given', form);
  if (!STONITH_TYPE.test(type)) return diag.error(line.at, `Invalid Stonith type [${type}]`, form);
  draft.stonith.push({ kind: 'stonith_host', from: from.toLowerCase(), type, params, at: line.at });
};

const respawn: DirectiveHandler = (line, draft, diag) => {
  const [user, ...command] = line.rest.split(/\s+/).filter(Boolean);
  const form = 'respawn USER /full/path/to/program [ARGS...]';
  if (user === undefined || command.length === 0) {
    return diag.error(line.at, 'respawn needs a user and a command', form);
  }
  const [program = ''] = command;
  if (!program.startsWith('/')) {
    return diag.error(line.at, `Client child command [${program}] is not full pathname`, form);
  }
  const name = program.slice(program.lastIndexOf('/') + 1);
  // ipfail is built in: the line turns it on, whatever the path (it moved in Debian 12).
  const ipfail = name === 'ipfail';
  if (!ipfail && CLIENT_API_PROGRAMS.has(name)) {
    diag.warn(
      line.at,
      `${name} talks to heartbeat through its client API, which this daemon does not offer: it will fail to sign on`,
      'remove the line; for a DRBD fence-peer use crm-fence-peer or a STONITH device instead of dopd',
    );
  }
  draft.respawn.push({ user, command, ipfail, at: line.at });
};

/** Programs of heartbeat and its companions that sign on to heartbeat's client API. */
const CLIENT_API_PROGRAMS = new Set([
  'ccm',
  'dopd',
  'api_test',
  'pingd',
  'attrd',
  'cib',
  'crmd',
  'mgmtd',
  'hbagent',
  'apigrpc',
  'stonithd',
]);

export const processDirectives: Record<string, DirectiveHandler> = {
  stonith,
  stonith_host: stonithHost,
  respawn,
};
