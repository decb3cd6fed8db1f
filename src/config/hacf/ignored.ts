// heartbeat 3.0.6 directives that have no effect here: accepted with one warning each, and why.

const SERIAL = 'serial links are not supported; use bcast, mcast or ucast';
const LOGD = 'there is no logging daemon; use logfile, debugfile and logfacility';
const NO_API = 'there is no client API';
const NO_CRM = 'it only concerns CRM/Pacemaker mode';
const COMPRESSION = 'messages are small and never compressed';
const IPV6 = 'IPv6 media are not supported, so this line carries no heartbeats';
const STATE = 'the node UUID and generation are always kept in the state directory';

export const IGNORED_DIRECTIVES: ReadonlyMap<string, string> = new Map([
  ['serial', SERIAL],
  ['baud', SERIAL],
  ['watchdog', 'use a watchdog daemon or systemd WatchdogSec= instead'],
  ['apiauth', NO_API],
  ['use_apphbd', NO_API],
  ['compression', COMPRESSION],
  ['compression_threshold', COMPRESSION],
  ['traditional_compression', COMPRESSION],
  ['use_logd', LOGD],
  ['conn_logd_time', LOGD],
  ['coredumps', 'core dumps follow the system settings (ulimit, systemd)'],
  ['coreroot', 'core dumps follow the system settings (ulimit, systemd)'],
  ['hbgenmethod', STATE],
  ['uuidfrom', STATE],
  ['memreserve', 'memory is not pre-allocated'],
  ['max_rexmit_delay', 'retransmissions are answered at once'],
  ['log_badpack', 'bad packets are always logged, rate-limited'],
  ['cluster', 'the cluster name is not used in haresources mode'],
  ['quorum_server', 'a two-node haresources cluster has no quorum server'],
  ['env', 'set the environment of resource agents in their own scripts'],
  ['failfast', 'use respawn; failfast would reboot the node when the program exits'],
  ['crm_daemon_dir', NO_CRM],
  ['crmd_spawns_pengine', NO_CRM],
  ['record_config_changes', NO_CRM],
  ['record_pengine_inputs', NO_CRM],
  ['enable_config_writes', NO_CRM],
  ['mcast6', IPV6],
  ['ucast6', IPV6],
  ['ping6', IPV6],
  ['hbaping', 'Fibre Channel HBA ping nodes are not supported'],
  ['tipc', 'TIPC media are not supported, so this line carries no heartbeats'],
  ['rds', 'RDS media are not supported, so this line carries no heartbeats'],
]);
