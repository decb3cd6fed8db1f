// `expect served`: every group runs wholly on exactly one node, which announced its addresses
// last, unless no node may run it (its start failed on both, or a stop failed and left it unclean).
import type { Sim } from './sim.js';

export function unservedGroups(sim: Sim): string[] {
  const views = sim.names
    .filter((name) => sim.node(name).running)
    .map((name) => sim.node(name).core.view(sim.instant()));
  return sim.world.groups.flatMap((group, g) => {
    const { whole, partial } = sim.world.holders(g, sim.names);
    const [holder] = whole;
    if (holder !== undefined && whole.length === 1 && partial.length === 0) {
      // Served only if clients reach it: the holder's announcement must be the last one.
      return sim.world
        .misdirected(g, holder)
        .map(
          (m) =>
            `${group.name}: held by ${holder}, but ${m.address} was last announced by ${m.announcer}`,
        );
    }
    const seen = views.map((view) => view.groups[g]);
    const failedEverywhere = seen.some((s) => sim.names.every((n) => s?.failedOn.includes(n)));
    const unclean = seen.some((s) => s?.state === 'unclean');
    if (failedEverywhere || unclean) return [];
    const where = `whole on [${whole.join(',')}], in part on [${partial.join(',')}]`;
    return [`${group.name}: ${where}`];
  });
}
