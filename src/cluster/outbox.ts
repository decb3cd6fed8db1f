// Stamps outgoing messages as heartbeat does (dest uuid, src, uuid, seq, hg, ts, ld, ttl) and keeps a history.
import { binaryField, stringField, type Field, type Message } from '../wire/message.js';
import type { Instant, MembershipConfig } from './types.js';

/** heartbeat keeps the last 500 sequenced messages for retransmission. */
export const HISTORY_SIZE = 500;

const hex = (n: number): string => n.toString(16);

export class Outbox {
  private seq = 0;
  private readonly history = new Map<number, { fields: Message; resentAt: number }>();

  constructor(
    private readonly config: MembershipConfig,
    private readonly uuidOf: (node: string) => Uint8Array | undefined,
  ) {}

  /** Completes `fields` (whose first may be `dest`) into a message ready to sign. */
  stamp(fields: Field[], at: Instant): Message {
    const type = fields.find((f) => f.name === 't');
    const sequenced = !(type?.type === 0 && type.value.startsWith('NS_'));
    const dest = fields.find((f) => f.name === 'dest');
    const out: Field[] = [...fields];
    const destUuid = dest?.type === 0 ? this.uuidOf(dest.value) : undefined;
    if (destUuid) out.push(binaryField('destuuid', destUuid));
    out.push(stringField('src', this.config.localNode), binaryField('srcuuid', this.config.uuid));
    if (sequenced) out.push(stringField('seq', hex(++this.seq)));
    out.push(
      stringField('hg', hex(this.config.generation)),
      stringField('ts', hex(at.wallSeconds)),
    );
    if (sequenced) out.push(stringField('ld', at.load));
    out.push(stringField('ttl', String(this.config.hopfudge + this.config.nodes.length)));
    if (sequenced) this.remember(this.seq, out, at.mono);
    return out;
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** The stored message for a retransmission request, unless it went out again just now. */
  resend(seq: number, now: number, minIntervalMs: number): Message | 'gone' | 'recent' {
    const entry = this.history.get(seq);
    if (!entry) return 'gone';
    if (now - entry.resentAt < minIntervalMs) return 'recent';
    entry.resentAt = now;
    return entry.fields;
  }

  private remember(seq: number, fields: Message, now: number): void {
    this.history.set(seq, { fields, resentAt: now });
    this.history.delete(seq - HISTORY_SIZE);
  }
}
