// A corosync.conf for the same pair: knet between the two nodes by name, heartbeat's deadtime as
// the token timeout, and two_node quorum; media beyond the first interface are listed, not guessed.
import type { NodeSetup } from '../config/config.js';
import type { Untranslated } from './cib.js';

export interface CorosyncConf {
  readonly text: string;
  readonly untranslated: readonly Untranslated[];
}

export function corosyncConf(setup: NodeSetup): CorosyncConf {
  const { hacf } = setup;
  const interfaces = [...new Set(hacf.media.map((medium) => medium.iface))];
  // One note per further interface, at the first line that uses it.
  const untranslated: Untranslated[] = interfaces.slice(1).flatMap((iface, i) => {
    const medium = hacf.media.find((m) => m.iface === iface);
    if (!medium) return [];
    return [
      {
        at: medium.at,
        text: `${medium.kind} ${iface}: a second knet link needs each node's address on ${iface} (add ring${i + 1}_addr to both nodes in corosync.conf)`,
      },
    ];
  });
  const nodes = hacf.nodes.flatMap((name, i) => [
    '    node {',
    `        name: ${name}`,
    `        nodeid: ${i + 1}`,
    `        ring0_addr: ${name}`,
    '    }',
  ]);
  const text = [
    `# corosync.conf for the pair ${hacf.nodes.join(' and ')}, written by heartbeat export-cib from ${setup.dir}.`,
    '# Both nodes need the same key: corosync-keygen on one, then copy /etc/corosync/authkey.',
    'totem {',
    '    version: 2',
    '    cluster_name: heartbeat',
    '    transport: knet',
    "    # heartbeat's deadtime: how long a silent node takes to be declared lost.",
    `    token: ${hacf.deadtimeMs}`,
    '    crypto_cipher: aes256',
    '    crypto_hash: sha256',
    '}',
    '',
    `# ring0_addr: each node's name as the nodes resolve it (/etc/hosts or DNS): its address on`,
    `# ${interfaces[0] ?? 'the interface'}, where heartbeat sent its heartbeats.`,
    'nodelist {',
    ...nodes,
    '}',
    '',
    'quorum {',
    '    provider: corosync_votequorum',
    '    # Two nodes: the one left keeps quorum when the other fails, as heartbeat ran on.',
    '    two_node: 1',
    '}',
    '',
    'logging {',
    '    to_syslog: yes',
    '}',
    '',
  ].join('\n');
  return { text, untranslated };
}
