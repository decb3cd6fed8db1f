// The answers of cl_status's sub-commands, read from a status snapshot, worded as cl_status
// words them (plain values for scripts, sentences with -m) and with its exit statuses.
import type { NodeSnapshot, StatusSnapshot } from '../control/snapshot.js';
import type { ShortOptions } from './getopt.js';

export interface ClStatusResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** cl_status's exit statuses: yes, no (or not running), bad parameters, cannot answer. */
export const CODE = { ok: 0, no: 1, badParameter: 11, cannotAnswer: 13 } as const;

/** A sub-command whose options parsed and whose operands are all there. */
export interface Query {
  readonly name: string;
  readonly options: ShortOptions;
  readonly human: boolean;
  readonly snapshot: StatusSnapshot;
}

export function hbstatus(
  options: ShortOptions,
  snapshot: StatusSnapshot | undefined,
): ClStatusResult {
  const [human, verbose] = [options.seen.has('m'), options.seen.has('v')];
  if (!snapshot) {
    const reason = verbose ? '(no heartbeat answers on this machine)\n' : '';
    return answer(`Heartbeat is stopped on this machine.\n${reason}`, CODE.no);
  }
  if (!verbose) return answer('Heartbeat is running on this machine.\n');
  const version = parameter(snapshot, 'hbversion') ?? snapshot.version;
  const head = human
    ? `Heartbeat version ${version}\nResources controlled by "haresources"\n`
    : `version:\t${version}\nmanaged by:\t"haresources"\n`;
  return answer(head + nodeList(snapshot.nodes, human, true));
}

export function listnodes({ options, human, snapshot }: Query): ClStatusResult {
  const [normal, ping] = [options.seen.has('n'), options.seen.has('p')];
  // Asking for both types is asking for every node, as in cl_status.
  const nodes = snapshot.nodes.filter(
    (n) => normal === ping || n.type === (normal ? 'normal' : 'ping'),
  );
  return answer(nodeList(nodes, human, options.seen.has('v')));
}

export function nodestatus(q: Query): ClStatusResult {
  return withNode(q, CODE.badParameter, ({ status }, given) =>
    answer(
      q.human ? `The cluster node ${given} is ${status}\n` : `${status}\n`,
      ['active', 'up', 'ping'].includes(status) ? CODE.ok : CODE.no,
    ),
  );
}

export function nodetype(q: Query): ClStatusResult {
  return withNode(q, CODE.badParameter, ({ type }, given) =>
    answer(q.human ? `The node ${given}'s type: ${type}\n` : `${type}\n`),
  );
}

export function listhblinks(q: Query): ClStatusResult {
  return withNode(q, CODE.cannotAnswer, (node) =>
    answer(linkList(node, q.human, q.options.seen.has('v'))),
  );
}

export function hblinkstatus(q: Query): ClStatusResult {
  return withNode(q, CODE.cannotAnswer, (node, given) => {
    const linkName = q.options.operands[1] ?? '';
    // Link names are compared exactly, as heartbeat does.
    const link = node.links.find((l) => l.name === linkName);
    if (!link) {
      const known = node.links.map((l) => l.name).join(', ') || 'none';
      const why = `node ${node.name} has no heartbeat link "${linkName}" (links: ${known})`;
      return fail(CODE.cannotAnswer, `cl_status ${q.name}: ${why}\n`);
    }
    return answer(
      q.human
        ? `The node ${given}'s heartbeat link ${linkName} is ${link.status}\n`
        : `${link.status}\n`,
      link.status === 'up' ? CODE.ok : CODE.no,
    );
  });
}

export function rscstatus({ human, snapshot }: Query): ClStatusResult {
  const held = snapshot.rscstatus;
  return answer(human ? `This node is holding ${held} resources.\n` : `${held}\n`);
}

export function hbparameter({ name, options, human, snapshot }: Query): ClStatusResult {
  const wanted = options.values.get('p');
  if (wanted === undefined) {
    const usage = `Usage: cl_status ${name} [-m] -p <parameter-name>`;
    return fail(CODE.badParameter, `cl_status ${name}: missing -p <parameter-name>\n${usage}\n`);
  }
  // heartbeat answers its old name `crm` with `pacemaker`.
  const value = parameter(snapshot, wanted === 'crm' ? 'pacemaker' : wanted);
  if (value === undefined) {
    return fail(CODE.no, `cl_status ${name}: parameter "${wanted}" has no value\n`);
  }
  return answer(human ? `Heartbeat parameter ${wanted}'s value: ${value}\n` : `${value}\n`);
}

export function answer(out: string, code: number = CODE.ok): ClStatusResult {
  return { code, out, err: '' };
}

export function fail(code: number, err: string): ClStatusResult {
  return { code, out: '', err };
}

function withNode(
  q: Query,
  unknownCode: number,
  then: (node: NodeSnapshot, given: string) => ClStatusResult,
): ClStatusResult {
  const given = q.options.operands[0] ?? '';
  // heartbeat lower-cases the name asked for, and knows its nodes by lower-case names.
  const node = q.snapshot.nodes.find((n) => n.name.toLowerCase() === given.toLowerCase());
  if (node) return then(node, given);
  const known = q.snapshot.nodes.map((n) => n.name).join(', ');
  const why = `no node "${given}" in this cluster (nodes: ${known})`;
  return fail(unknownCode, `cl_status ${q.name}: ${why}\n`);
}

function nodeList(nodes: readonly NodeSnapshot[], human: boolean, verbose: boolean): string {
  const lines = nodes.map((n) =>
    verbose
      ? `\n${n.name}\t${n.status}\t(nodetype: ${n.type})\n${linkList(n, human, true)}`
      : `${n.name}\n`,
  );
  return (human ? 'The nodes are as follow:\n' : '') + lines.join('');
}

function linkList(node: NodeSnapshot, human: boolean, verbose: boolean): string {
  const lines = node.links.map((l) => (verbose ? `\t${l.name}\t${l.status}\n` : `\t${l.name}\n`));
  return (human ? '\tthis node has the following heartbeat links:\n' : '') + lines.join('');
}

function parameter(snapshot: StatusSnapshot, name: string): string | undefined {
  // A lookup by own key only: `-p constructor` must not find Object's.
  return Object.hasOwn(snapshot.parameters, name) ? snapshot.parameters[name] : undefined;
}
