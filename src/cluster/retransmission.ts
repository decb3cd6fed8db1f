// Retransmission and acknowledgement, as heartbeat 3.0.6 does them: NS_rexmit, NS_nak_rexmit, NS_ackmsg.
import { stringField, type Message } from '../wire/message.js';
import type { Emitter } from './emitter.js';
import { decimalField, hexField } from './fields.js';
import type { Peer } from './peer.js';
import type { Instant } from './types.js';

const REXMIT_INTERVAL_MS = 250;
const REXMIT_BATCH = 50;

/** Schedules requests for missing messages, spread over 50..250 ms as heartbeat does. */
export function scheduleRexmit(peer: Peer, first: number, last: number, at: Instant): void {
  for (let seq = first; seq <= last; seq++)
    peer.rexmitDue.set(seq, at.mono + 50 + ((seq * 37) % 200));
}

/** Missing messages are asked for only from a peer that is up: the same rule for when to wake. */
export function asksRetransmissions(peer: Peer): boolean {
  return peer.status === 'up' || peer.status === 'active';
}

/** When the next request for a missing message is due from this peer. */
export function nextRexmitAt(peer: Peer): number {
  return asksRetransmissions(peer) ? Math.min(Infinity, ...peer.rexmitDue.values()) : Infinity;
}

/** Asks again, every 250 ms, for what is still missing from live peers. */
export function askForRetransmissions(peers: Iterable<Peer>, emit: Emitter, at: Instant): void {
  for (const peer of peers) {
    if (!asksRetransmissions(peer)) continue;
    for (const [seq, due] of peer.rexmitDue) {
      if (due > at.mono) continue;
      peer.rexmitDue.set(seq, at.mono + REXMIT_INTERVAL_MS);
      const range = String(seq); // NS_rexmit ranges are decimal, unlike every other number.
      emit.send(
        [
          stringField('t', 'NS_rexmit'),
          stringField('dest', peer.name),
          stringField('firstseq', range),
          stringField('lastseq', range),
        ],
        at,
      );
    }
  }
}

/** Answers an NS_rexmit: the stored messages unchanged, or a NAK for what is no longer kept. */
export function answerRexmit(peer: Peer, fields: Message, emit: Emitter, at: Instant): void {
  const first = decimalField(fields, 'firstseq');
  const last = decimalField(fields, 'lastseq');
  if (!first || !last || first > last) {
    return emit.complain(
      `rexmit:${peer.name}`,
      'error',
      `Invalid rexmit seqnos from ${peer.name}`,
      at,
    );
  }
  const highest = emit.outbox.lastSeq;
  for (let seq = first; seq <= Math.min(last, first + REXMIT_BATCH - 1); seq++) {
    if (seq > highest) {
      return emit.complain(
        `rexmit-max:${peer.name}`,
        'warn',
        `Rexmit of seq ${seq} requested. ${highest} is max.`,
        at,
      );
    }
    const stored = emit.outbox.resend(seq, at.mono, REXMIT_INTERVAL_MS - 10);
    if (stored === 'recent') continue;
    if (stored !== 'gone') {
      emit.resend(stored);
      continue;
    }
    emit.log('error', `Cannot rexmit pkt ${seq} for ${peer.name}: seqno not found`);
    emit.send(
      [
        stringField('t', 'NS_nak_rexmit'),
        stringField('firstseq', seq.toString(16)),
        stringField('dest', peer.name),
        stringField('info', 'seqno not found'),
      ],
      at,
    );
  }
}

/** The peer cannot send a message again: stop asking. */
export function onNak(peer: Peer, fields: Message, emit: Emitter, at: Instant): void {
  const seq = hexField(fields, 'firstseq');
  if (!seq)
    return emit.complain(
      `nak:${peer.name}`,
      'error',
      'should_drop_message: bad nak seq number',
      at,
    );
  emit.log('error', `Irretrievably lost packet: node ${peer.name} seq ${seq}`);
  peer.track.forget(seq);
  peer.rexmitDue.delete(seq);
}

/** Acknowledges everything received in order from the peer (a heartbeat peer frees its history). */
export function acknowledge(peer: Peer, emit: Emitter, at: Instant): void {
  const upTo = peer.track.contiguous;
  if (upTo === 0) return;
  emit.send(
    [
      stringField('t', 'NS_ackmsg'),
      stringField('dest', peer.name),
      stringField('ackseq', upTo.toString(16)),
    ],
    at,
  );
}
