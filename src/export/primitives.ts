// How one haresources entry becomes a Pacemaker primitive: its class, provider, type and
// parameters, in the form each class takes, or what could not be carried over.
import { parseIpaddrArgument } from '../config/ipaddr-argument.js';
import type { ResourceSpec } from '../config/resource-spec.js';

/** Where the entry's script was found here: a heartbeat-style agent, an init script, or nowhere. */
export type AgentHome =
  { readonly kind: 'resource.d' | 'init.d'; readonly path: string } | undefined;

export interface Primitive {
  /** A readable id before it is made unique. */
  readonly idBase: string;
  readonly class: 'ocf' | 'lsb';
  readonly provider?: string;
  readonly type: string;
  readonly params: readonly (readonly [string, string])[];
  /** Why part of the entry did not carry over, if it did not. */
  readonly untranslated?: string;
}

export function primitiveFor(spec: ResourceSpec, home: AgentHome): Primitive {
  if (spec.script === 'IPaddr' || spec.script === 'IPaddr2') return ipaddr2(spec);
  if (spec.script === 'SendArp') return sendArp(spec);
  const idBase = idFrom([spec.script, ...spec.args].join('_'));
  // Pacemaker 2.1 has no heartbeat class (ocf, lsb, service, stonith): a resource.d script,
  // which answers start, stop and status as an init script does, runs as lsb by its path.
  const type = home?.kind === 'resource.d' ? home.path : spec.script;
  const problems = [
    spec.args.length > 0
      ? `lsb passes no arguments, so ${spec.args.join(' ')} cannot be given (wrap the call in a script, or use an OCF agent)`
      : '',
    home ? '' : `${spec.script} is in neither resource.d nor /etc/init.d here`,
  ].filter(Boolean);
  const untranslated =
    problems.length > 0
      ? `${spec.text}: written as lsb:${type}; ${problems.join('; ')}`
      : undefined;
  return { idBase, class: 'lsb', type, params: [], ...(untranslated ? { untranslated } : {}) };
}

/** IPaddr (and a bare address) as IPaddr2: the address, its prefix, the interface and its label. */
function ipaddr2(spec: ResourceSpec): Primitive {
  const parsed = parseIpaddrArgument(spec.args[0] ?? '');
  // The configuration was checked: an argument that does not parse never gets here.
  if ('error' in parsed) throw new Error(`${spec.text}: ${parsed.error}`);
  const [nic, label] = (parsed.nic ?? '').split(':');
  const params: (readonly [string, string])[] = [['ip', parsed.address]];
  if (parsed.prefix !== undefined) params.push(['cidr_netmask', String(parsed.prefix)]);
  if (nic) params.push(['nic', nic]);
  if (label) params.push(['iflabel', label]);
  if (parsed.broadcast) params.push(['broadcast', parsed.broadcast]);
  return {
    idBase: idFrom(`ip_${parsed.address}`),
    class: 'ocf',
    provider: 'heartbeat',
    type: 'IPaddr2',
    params,
  };
}

/** SendArp::ip/nic: gratuitous ARP for an address another agent brings up. */
function sendArp(spec: ResourceSpec): Primitive {
  const [ip = '', nic] = (spec.args[0] ?? '').split('/');
  const params: (readonly [string, string])[] = [['ip', ip]];
  if (nic) params.push(['nic', nic]);
  return {
    idBase: idFrom(`arp_${ip}`),
    class: 'ocf',
    provider: 'heartbeat',
    type: 'SendArp',
    params,
  };
}

/** An XML ID from text: letters, digits, `_`, `.` and `-`, not starting with a digit. */
export function idFrom(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `r_${cleaned}`;
}
