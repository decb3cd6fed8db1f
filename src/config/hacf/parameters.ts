// heartbeat's parameter table: single-valued ha.cf settings as written, plus its fixed defaults.

/** The defaults heartbeat 3.0.6 records for settings a file leaves out (config.c's table). */
const DEFAULTS: Readonly<Record<string, string>> = {
  cluster: 'linux-ha',
  hopfudge: '1',
  keepalive: '1000ms',
  deadtime: '30000ms',
  baud: '19200',
  auto_failback: 'legacy',
  msgfmt: 'classic',
  debug: '0',
};

export function parameterTable(
  written: ReadonlyMap<string, string>,
  warntimeMs: number,
): ReadonlyMap<string, string> {
  const table = new Map(Object.entries(DEFAULTS));
  // heartbeat fills in a missing warntime as deadtime/2, written in ms.
  table.set('warntime', `${warntimeMs}ms`);
  for (const [name, value] of written) table.set(name, value);
  return table;
}
