// haresources: each logical line is a group `<home-node> res1 res2 ...`, started left to right.
import type { Diagnostics, Origin } from './diagnostics.js';
import { parseIpaddrArgument } from './ipaddr-argument.js';
import { logicalLines } from './lines.js';
import { parseResourceSpec, resourceKey, type ResourceSpec } from './resource-spec.js';

export interface ResourceGroup {
  /** Home node, lower-cased. */
  readonly home: string;
  readonly resources: ResourceSpec[];
  /** The first resource as written: it names the group. */
  readonly name: string;
  readonly at: Origin;
}

export function parseHaresources(
  text: string,
  file: string,
  nodes: readonly string[],
  diag: Diagnostics,
): ResourceGroup[] {
  const groups: ResourceGroup[] = [];
  const groupNames = new Map<string, Origin>();
  const addresses = new Map<string, Origin>();
  for (const { line, words } of logicalLines(text, { continuation: true })) {
    const at = { file, line };
    const [rawHome = '', ...entries] = words;
    const home = rawHome.toLowerCase();
    if (!nodes.includes(home)) {
      diag.error(
        at,
        `Bad nodename in haresources [${rawHome}]: not a node in ha.cf`,
        nodes.length > 0
          ? `a group line starts with its home node: ${nodes.join(' or ')}`
          : 'declare the nodes in ha.cf first',
      );
      continue;
    }
    if (entries.length === 0) {
      diag.error(
        at,
        `group for ${home} lists no resources`,
        `for example: ${home} 192.0.2.10/24 apache`,
      );
      continue;
    }
    const resources: ResourceSpec[] = [];
    for (const entry of entries) {
      const spec = parseResourceSpec(entry);
      if ('error' in spec) {
        diag.error(at, spec.error, spec.hint);
        continue;
      }
      resources.push(spec);
      noteAddress(spec, at, addresses, diag);
    }
    if (resources.length !== entries.length) continue;
    const [first] = resources;
    if (!first) continue;
    const key = resourceKey(first);
    const earlier = groupNames.get(key);
    if (earlier) {
      diag.error(
        at,
        `group ${first.text} is already defined at line ${earlier.line}`,
        'the first resource names its group and must be unique',
      );
      continue;
    }
    groupNames.set(key, at);
    groups.push({ home, resources, name: first.text, at });
  }
  return groups;
}

/** The same service address in two groups would be started twice. */
function noteAddress(
  spec: ResourceSpec,
  at: Origin,
  seen: Map<string, Origin>,
  diag: Diagnostics,
): void {
  if (spec.script !== 'IPaddr' && spec.script !== 'IPaddr2') return;
  const parsed = parseIpaddrArgument(spec.args[0] ?? '');
  if ('error' in parsed) return;
  const earlier = seen.get(parsed.address);
  if (earlier)
    diag.error(at, `address ${parsed.address} is already managed at line ${earlier.line}`);
  else seen.set(parsed.address, at);
}
