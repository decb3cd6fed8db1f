// Link status per peer and medium: up on any accepted packet, dead after the peer's dead time.
import type { Emitter } from './emitter.js';
import type { Peer } from './peer.js';

export function refreshLink(peer: Peer, link: string, now: number, emit: Emitter): void {
  const state = peer.links.get(link);
  if (!state) return;
  state.lastHeard = now;
  if (state.up) return;
  state.up = true;
  emit.log('info', `Link ${peer.name}:${link} up.`);
}

/** Marks dead every link silent for `deadAfter` ms (all of them when `deadAfter` is 0). */
export function expireLinks(peer: Peer, now: number, deadAfter: number, emit: Emitter): void {
  for (const [name, state] of peer.links) {
    if (!state.up || now < state.lastHeard + deadAfter) continue;
    state.up = false;
    emit.log('info', `Link ${peer.name}:${name} dead.`);
  }
}

/** The earliest moment one of the peer's live links times out. */
export function nextLinkDeadline(peer: Peer, deadAfter: number): number {
  let next = Infinity;
  for (const state of peer.links.values())
    if (state.up) next = Math.min(next, state.lastHeard + deadAfter);
  return next;
}
