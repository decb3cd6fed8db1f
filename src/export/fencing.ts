// STONITH devices as Pacemaker stonith resources: a cluster-glue plugin keeps its type and its
// parameters by name, a device usable from one node only is kept off the others, and secrets
// are withheld unless asked for.
import type { NodeSetup } from '../config/config.js';
import type { StonithEntry } from '../config/stonith-files.js';
import { instanceAttributes, type UniqueIds } from './cib-elements.js';
import type { ExportOptions, Untranslated } from './cib.js';
import { element, type XmlElement } from './xml.js';

/** Parameter names whose values are secrets, printed only when asked. */
const SECRET = /pass|secret|key|community/i;

export type NamedParams =
  { readonly params: Readonly<Record<string, string>> } | { readonly problem: string };

export interface Fencing {
  readonly resources: readonly XmlElement[];
  readonly constraints: readonly XmlElement[];
}

export function fencingDevices(
  setup: NodeSetup,
  options: ExportOptions,
  ids: UniqueIds,
  untranslated: Untranslated[],
  warnings: string[],
): Fencing {
  const resources: XmlElement[] = [];
  const constraints: XmlElement[] = [];
  for (const entry of setup.stonith) {
    const named = paramsOf(entry, options);
    if ('problem' in named) {
      untranslated.push({ at: entry.at, text: `${lineOf(entry)}: ${named.problem}` });
      continue;
    }
    const entries = Object.entries(named.params);
    const secret = entries.some(([name]) => SECRET.test(name)) && !options.showSecrets;
    if (secret)
      warnings.push(
        `${lineOf(entry)}: secret parameters written as CHANGE-ME (export-cib --show-secrets prints them)`,
      );
    const params = entries.map(([name, value]): [string, string] => [
      name,
      secret && SECRET.test(name) ? 'CHANGE-ME' : value,
    ]);
    const id = ids.take(`fence_${entry.type.replace(/^external\//, '')}`);
    resources.push(
      element('primitive', { id, class: 'stonith', type: entry.type }, [
        instanceAttributes(id, params, ids),
      ]),
    );
    // `stonith_host FROM ...`: only FROM uses the device.
    if (entry.kind === 'stonith_host' && entry.from !== '*')
      for (const node of setup.hacf.nodes.filter((name) => name !== entry.from))
        constraints.push(
          element('rsc_location', {
            id: ids.take(`loc_${id}_not_${node}`),
            rsc: id,
            node,
            score: '-INFINITY',
          }),
        );
  }
  return { resources, constraints };
}

function paramsOf(entry: StonithEntry, options: ExportOptions): NamedParams {
  if (entry.kind === 'stonith' && entry.params?.form === 'ini')
    return {
      params: Object.fromEntries([...entry.params.params].map(([name, p]) => [name, p.value])),
    };
  return options.namedParams(entry);
}

function lineOf(entry: StonithEntry): string {
  return entry.kind === 'stonith_host'
    ? `stonith_host ${entry.from} ${entry.type}`
    : `stonith ${entry.type} ${entry.file}`;
}
