// Builds a Pacemaker 2.1 CIB from a heartbeat configuration: nodes, each haresources line a group
// (or a primitive) located on its home node, auto_failback as stickiness, STONITH devices and
// the two-node settings; what cannot be carried over is listed with its FILE:LINE.
import type { AgentTimeouts } from '../config/agent-timeouts.js';
import type { NodeSetup } from '../config/config.js';
import type { Origin } from '../config/diagnostics.js';
import type { ResourceGroup } from '../config/haresources.js';
import type { ResourceSpec } from '../config/resource-spec.js';
import type { StonithEntry } from '../config/stonith-files.js';
import { duration, instanceAttributes, nvpair, UniqueIds } from './cib-elements.js';
import { connectivity } from './connectivity.js';
import { fencingDevices, type NamedParams } from './fencing.js';
import { primitiveFor, type AgentHome, type Primitive } from './primitives.js';
import { comment, element, renderXml, type XmlElement, type XmlNode } from './xml.js';

/** The newest schema of Pacemaker 2.1.5 (Debian 12); crm_verify validates against it. */
export const VALIDATE_WITH = 'pacemaker-3.9';
/** A group prefers its home node by this much. */
const HOME_SCORE = 100;
/** auto_failback off: more than HOME_SCORE, so a group stays where it runs. */
const STAY_STICKINESS = 200;

export interface ExportOptions {
  /** Where each resource's script lives here, which decides its class. */
  readonly agentHome: (script: string) => AgentHome;
  /** A device's positional parameters by name, as its plugin here names them, or why not. */
  readonly namedParams: (entry: StonithEntry) => NamedParams;
  /** timeouts.ini: operation timeouts, monitors and failure settings. */
  readonly timeouts: AgentTimeouts;
  readonly showSecrets: boolean;
}

export interface Untranslated {
  readonly at: Origin;
  readonly text: string;
}

export interface Export {
  readonly xml: string;
  /** What did not carry over, in file order. */
  readonly untranslated: readonly Untranslated[];
  /** Advice for the operator (no fencing configured, secrets withheld). */
  readonly warnings: readonly string[];
}

export function exportCib(setup: NodeSetup, options: ExportOptions): Export {
  const untranslated: Untranslated[] = [];
  const warnings: string[] = [];
  const ids = new UniqueIds();
  const resources = setup.groups.map((group) => groupElement(group, options, ids, untranslated));
  const fencing = fencingDevices(setup, options, ids, untranslated, warnings);
  if (setup.stonith.length === 0)
    warnings.push(
      'no STONITH device is configured: stonith-enabled is false, and Pacemaker strongly wants fencing (a node it cannot fence may still run what it takes over)',
    );
  const locations = setup.groups.map((group, i) => {
    const rsc = resourceId(resources[i]);
    return element('rsc_location', {
      id: ids.take(`loc_${rsc}`),
      rsc,
      node: group.home,
      score: String(HOME_SCORE),
    });
  });
  const ping = connectivity(setup, resources.map(resourceId), ids, untranslated);
  const configuration = element('configuration', {}, [
    element('crm_config', {}, [clusterOptions(setup, fencing.resources.length > 0)]),
    element(
      'nodes',
      {},
      setup.hacf.nodes.map((name, i) => element('node', { id: String(i + 1), uname: name })),
    ),
    element('resources', {}, [...resources, ...ping.resources, ...fencing.resources]),
    element('constraints', {}, [...locations, ...ping.constraints, ...fencing.constraints]),
    ...stickiness(setup),
  ]);
  const cib = element(
    'cib',
    { 'validate-with': VALIDATE_WITH, admin_epoch: '0', epoch: '1', num_updates: '0' },
    [configuration, element('status')],
  );
  return { xml: renderXml(cib), untranslated: untranslated.sort(inFileOrder), warnings };
}

/** For sorting what did not carry over: by file, then line. */
export function inFileOrder(a: Untranslated, b: Untranslated): number {
  return a.at.file.localeCompare(b.at.file) || a.at.line - b.at.line;
}

function clusterOptions(setup: NodeSetup, fencing: boolean): XmlElement {
  const set = 'cib-bootstrap-options';
  const nvpairs: XmlNode[] = [
    nvpair(set, 'stonith-enabled', String(fencing)),
    comment(
      'Two nodes: when one is gone the other has no majority, and heartbeat ran on regardless (with corosync, quorum { two_node: 1 } does the same).',
    ),
    nvpair(set, 'no-quorum-policy', 'ignore'),
  ];
  if (setup.hacf.nodes.length !== 2) nvpairs.splice(1, 2);
  return element('cluster_property_set', { id: set }, nvpairs);
}

/** auto_failback as stickiness; heartbeat's `legacy` moved groups home, as `on` does. */
function stickiness(setup: NodeSetup): XmlNode[] {
  const mode = setup.hacf.autoFailback;
  const value = mode === 'off' ? String(STAY_STICKINESS) : '0';
  const why =
    mode === 'off'
      ? `auto_failback off: a group stays where it runs (stickiness ${STAY_STICKINESS} > its home's score ${HOME_SCORE}).`
      : mode === 'on'
        ? 'auto_failback on: a group goes home as soon as its home node is back.'
        : 'auto_failback legacy: heartbeat moved groups home as with on; so does stickiness 0.';
  const set = 'rsc-options';
  return [
    comment(why),
    element('rsc_defaults', {}, [
      element('meta_attributes', { id: set }, [nvpair(set, 'resource-stickiness', value)]),
    ]),
  ];
}

function groupElement(
  group: ResourceGroup,
  options: ExportOptions,
  ids: UniqueIds,
  untranslated: Untranslated[],
): XmlElement {
  const primitives = group.resources.map((spec) => {
    const primitive = primitiveFor(spec, options.agentHome(spec.script));
    if (primitive.untranslated) untranslated.push({ at: group.at, text: primitive.untranslated });
    return primitiveElement(primitive, operations(spec, options.timeouts), ids);
  });
  const [only] = primitives;
  if (only && primitives.length === 1) return only;
  return element('group', { id: ids.take(`grp_${resourceId(only)}`) }, primitives);
}

/** What timeouts.ini says of a resource: its start and stop timeouts, and its monitor if any. */
interface Operations {
  readonly ops: readonly {
    readonly name: string;
    readonly intervalMs: number;
    readonly timeoutMs: number;
  }[];
  readonly meta: readonly (readonly [string, string])[];
}

function operations(spec: ResourceSpec, timeouts: AgentTimeouts): Operations {
  const ops = (['start', 'stop'] as const).map((name) => ({
    name,
    intervalMs: 0,
    timeoutMs: timeouts.forOperation(spec, name),
  }));
  const monitor = timeouts.monitorFor(spec);
  if (monitor.intervalMs === 0) return { ops, meta: [] };
  const meta: [string, string][] = [['migration-threshold', String(monitor.migrationThreshold)]];
  if (Number.isFinite(monitor.failureTimeoutMs))
    meta.push(['failure-timeout', duration(monitor.failureTimeoutMs)]);
  return {
    ops: [
      ...ops,
      { name: 'monitor', intervalMs: monitor.intervalMs, timeoutMs: monitor.timeoutMs },
    ],
    meta,
  };
}

function primitiveElement(
  primitive: Primitive,
  operations: Operations,
  ids: UniqueIds,
): XmlElement {
  const id = ids.take(primitive.idBase);
  const attributes: Record<string, string> = { id, class: primitive.class };
  if (primitive.provider) attributes.provider = primitive.provider;
  attributes.type = primitive.type;
  const children: XmlElement[] = [];
  if (primitive.params.length > 0) children.push(instanceAttributes(id, primitive.params, ids));
  if (operations.meta.length > 0) {
    const set = ids.take(`${id}-meta_attributes`);
    const pairs = operations.meta.map(([name, value]) => nvpair(set, name, value, ids));
    children.push(element('meta_attributes', { id: set }, pairs));
  }
  const ops = operations.ops.map((op) =>
    element('op', {
      id: ids.take(`${id}-${op.name}-${duration(op.intervalMs)}`),
      name: op.name,
      interval: duration(op.intervalMs),
      timeout: duration(op.timeoutMs),
    }),
  );
  children.push(element('operations', {}, ops));
  return element('primitive', attributes, children);
}

function resourceId(node: XmlElement | undefined): string {
  return node?.attributes.find(([key]) => key === 'id')?.[1] ?? '';
}
