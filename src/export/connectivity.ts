// Ping nodes and ipfail as Pacemaker does them: a clone of ocf:pacemaker:ping on every node, and
// a rule per group that keeps it off a node that reaches none of the hosts.
import type { NodeSetup } from '../config/config.js';
import { duration, instanceAttributes, type UniqueIds } from './cib-elements.js';
import type { Untranslated } from './cib.js';
import { comment, element, type XmlElement, type XmlNode } from './xml.js';

/** The node attribute ocf:pacemaker:ping sets: reachable hosts times its multiplier. */
const ATTRIBUTE = 'pingd';
const MULTIPLIER = 1000;
const MONITOR_MS = 10_000;
const MONITOR_TIMEOUT_MS = 60_000;

export interface Connectivity {
  readonly resources: readonly XmlNode[];
  /** Rules for the groups (by resource id) that keep each off a node without connectivity. */
  readonly constraints: readonly XmlNode[];
}

export function connectivity(
  setup: NodeSetup,
  resourceIds: readonly string[],
  ids: UniqueIds,
  untranslated: Untranslated[],
): Connectivity {
  for (const entry of setup.hacf.respawn) {
    const command = entry.command.join(' ');
    if (entry.ipfail && setup.hacf.ping.length === 0)
      untranslated.push({
        at: entry.at,
        text: `respawn ${entry.user} ${command}: ipfail without ping nodes does nothing`,
      });
    else if (!entry.ipfail)
      untranslated.push({
        at: entry.at,
        text: `respawn ${entry.user} ${command}: Pacemaker respawns no programs (make it a systemd service, or an ocf:heartbeat:anything resource)`,
      });
  }
  if (setup.hacf.ping.length === 0) return { resources: [], constraints: [] };
  const hosts = [...new Set(setup.hacf.ping.flatMap((node) => node.hosts))];
  const id = ids.take('ping');
  const params: [string, string][] = [
    ['host_list', hosts.join(' ')],
    ['multiplier', String(MULTIPLIER)],
    ['dampen', duration(setup.hacf.deadpingMs)],
  ];
  const primitive = element(
    'primitive',
    { id, class: 'ocf', provider: 'pacemaker', type: 'ping' },
    [
      instanceAttributes(id, params, ids),
      element('operations', {}, [
        element('op', {
          id: ids.take(`${id}-monitor-${duration(MONITOR_MS)}`),
          name: 'monitor',
          interval: duration(MONITOR_MS),
          timeout: duration(MONITOR_TIMEOUT_MS),
        }),
      ]),
    ],
  );
  const ipfail = setup.hacf.respawn.some((entry) => entry.ipfail);
  const why = ipfail
    ? 'ping nodes and ipfail: a group leaves a node that reaches none of them.'
    : 'ping nodes: a group never runs on a node that reaches none of them.';
  return {
    resources: [
      comment(
        'Every ping and ping_group host in one list: a node is connected while it reaches any.',
      ),
      element('clone', { id: ids.take(`${id}-clone`) }, [primitive]),
    ],
    constraints: [comment(why), ...resourceIds.map((rsc) => offDisconnected(rsc, ids))],
  };
}

function offDisconnected(rsc: string, ids: UniqueIds): XmlElement {
  const id = ids.take(`loc_${rsc}_connected`);
  return element('rsc_location', { id, rsc }, [
    element('rule', { id: ids.take(`${id}-rule`), score: '-INFINITY', 'boolean-op': 'or' }, [
      element('expression', {
        id: ids.take(`${id}-undefined`),
        attribute: ATTRIBUTE,
        operation: 'not_defined',
      }),
      element('expression', {
        id: ids.take(`${id}-zero`),
        attribute: ATTRIBUTE,
        operation: 'lte',
        value: '0',
        type: 'integer',
      }),
    ]),
  ]);
}
