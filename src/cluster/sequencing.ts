// Applies generation and sequence rules to a sequenced message from a peer, with heartbeat's log lines.
import type { Emitter } from './emitter.js';
import type { Peer } from './peer.js';
import { acknowledge, scheduleRexmit } from './retransmission.js';
import type { Instant } from './types.js';

/** heartbeat acknowledges one in-order message in ten per sender. */
export const ACK_EVERY = 10;

export type Acceptance = 'accept' | 'drop' | 'duplicate';

export function acceptSequenced(
  peer: Peer,
  message: { readonly isStatus: boolean; readonly generation: number; readonly seq: number },
  emit: Emitter,
  at: Instant,
): Acceptance {
  const { isStatus, generation, seq } = message;
  if (isStatus && peer.dead && generation === peer.track.generation && generation > 0) {
    if (seq <= peer.statusSeq) return 'drop';
    emit.log('crit', `Cluster node ${peer.name} returning after partition.`);
  }
  const { judgement, restarted } = peer.track.judge(isStatus, generation, seq);
  if (restarted) {
    emit.log('info', `Heartbeat restart on node ${peer.name}`);
    peer.heard = false;
    peer.rexmitDue.clear();
  }
  switch (judgement.kind) {
    case 'replay':
      emit.complain(
        `replay:${peer.name}`,
        'error',
        `should_drop_message: attempted replay attack [${peer.name}]? [gen = ${generation}, curgen = ${judgement.current}]`,
        at,
      );
      return 'drop';
    case 'old':
      return 'drop';
    case 'duplicate':
      return 'duplicate';
    case 'gap': {
      const count = judgement.last - judgement.first + 1;
      emit.log(
        'warn',
        `${count} lost packet(s) for [${peer.name}] [${judgement.first - 1}:${judgement.last + 1}]`,
      );
      scheduleRexmit(peer, judgement.first, judgement.last, at);
      return 'accept';
    }
    case 'lost-a-lot':
      emit.log(
        'error',
        `lost a lot of packets! (${judgement.last - judgement.first + 1} from ${peer.name})`,
      );
      peer.rexmitDue.clear();
      return 'accept';
    case 'filled':
      peer.rexmitDue.delete(seq);
      if (judgement.noneMissing) emit.log('info', `No pkts missing from ${peer.name}!`);
      acknowledge(peer, emit, at);
      return 'accept';
    case 'in-order':
      if (seq % ACK_EVERY === peer.ackPhase) acknowledge(peer, emit, at);
      return 'accept';
  }
}
