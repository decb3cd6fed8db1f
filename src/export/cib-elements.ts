// Parts every section of the exported CIB uses: unique ids, name/value pairs, durations.
import { element, type XmlElement } from './xml.js';

/** Ids are unique across the CIB: a repeated one gets _2, _3, ... */
export class UniqueIds {
  private readonly taken = new Set<string>();

  take(base: string): string {
    let id = base;
    for (let n = 2; this.taken.has(id); n++) id = `${base}_${n}`;
    this.taken.add(id);
    return id;
  }
}

export function instanceAttributes(
  owner: string,
  params: readonly (readonly [string, string])[],
  ids: UniqueIds,
): XmlElement {
  const set = ids.take(`${owner}-instance_attributes`);
  return element(
    'instance_attributes',
    { id: set },
    params.map(([name, value]) => nvpair(owner, name, value, ids)),
  );
}

export function nvpair(owner: string, name: string, value: string, ids?: UniqueIds): XmlElement {
  const id = `${owner}-${name}`;
  return element('nvpair', { id: ids ? ids.take(id) : id, name, value });
}

/** Milliseconds as Pacemaker reads them: whole seconds as `20s`, else `1500ms`. */
export function duration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
