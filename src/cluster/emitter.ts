// Collects the core's actions for one call: messages to send (stamped), log lines, rate-limited complaints.
import type { Level } from '../log/levels.js';
import type { Field, Message } from '../wire/message.js';
import type { Outbox } from './outbox.js';
import { RateLimit } from './rate-limit.js';
import type { Action, ClientOp, GroupOp, Instant, MembershipEvent } from './types.js';

/** Complaints about one source (bad packets, unknown nodes, replays) at most this often. */
const COMPLAINT_INTERVAL_MS = 10_000;

export class Emitter {
  private out: Action[] = [];
  private readonly complaints = new RateLimit(COMPLAINT_INTERVAL_MS);

  constructor(readonly outbox: Outbox) {}

  send(fields: Field[], at: Instant): void {
    this.out.push({ type: 'send', fields: this.outbox.stamp(fields, at) });
  }

  /** A stored message sent again unchanged (a retransmission). */
  resend(fields: Message): void {
    this.out.push({ type: 'send', fields });
  }

  deliver(from: string, fields: Message): void {
    this.out.push({ type: 'deliver', from, fields });
  }

  event(event: MembershipEvent): void {
    this.out.push({ type: 'membership', event });
  }

  group(op: GroupOp, group: number, from?: number): void {
    this.out.push({ type: 'group', op, group, ...(from === undefined ? {} : { from }) });
  }

  agent(call: Omit<Extract<Action, { type: 'agent' }>, 'type'>): void {
    this.out.push({ type: 'agent', ...call });
  }

  cancelStarts(): void {
    this.out.push({ type: 'cancel-starts' });
  }

  client(op: ClientOp, client: number): void {
    this.out.push({ type: 'client', op, client });
  }

  fence(node: string): void {
    this.out.push({ type: 'fence', node });
  }

  log(level: Level, text: string): void {
    this.out.push({ type: 'log', level, text });
  }

  /** Logs a problem with a source at most once per interval, counting the repeats held back. */
  complain(key: string, level: Level, text: string, at: Instant): void {
    const suppressed = this.complaints.allow(key, at.mono);
    if (suppressed === undefined) return;
    this.log(level, suppressed > 0 ? `${text} (${suppressed} more since last report)` : text);
  }

  flush(): Action[] {
    const actions = this.out;
    this.out = [];
    return actions;
  }
}
