// Sends this node's resource state (`starting`, then `resource` on every change) to the peer.
import { getString, stringField, type Field, type Message } from '../../wire/message.js';
import type { Emitter } from '../emitter.js';
import type { Instant } from '../types.js';
import type { GroupInfo } from './groups.js';
import { reportFields, type HoldingsReport } from './report.js';

export type OwnReport = Omit<HoldingsReport, 'exact'>;

const ASK_FIELD = 'rsc_ask';
const REPLY_FIELD = 'rsc_reply';
const REJOINED_FIELD = 'rsc_rejoined';

/** The peer just heard us again after taking us for dead: it may have taken over meanwhile. */
export function peerLostContact(fields: Message): boolean {
  return getString(fields, REJOINED_FIELD) === '1';
}

/** The peer just started, or just heard us again after taking us for dead. */
export function peerRejoined(fields: Message): boolean {
  return getString(fields, 't') === 'starting' || peerLostContact(fields);
}

/** The peer's answer to our `rsc_ask`: it has seen every report we sent before asking. */
export function answersOurAsk(fields: Message): boolean {
  return getString(fields, REPLY_FIELD) === '1';
}

/** The peer wants our report now: it just started (`starting`) or just heard us again. */
export function asksForReport(fields: Message): boolean {
  return getString(fields, 't') === 'starting' || getString(fields, ASK_FIELD) === '1';
}

export class ReportSender {
  private last = '';

  constructor(
    private readonly groups: readonly GroupInfo[],
    private readonly emit: Emitter,
    private readonly current: () => OwnReport,
  ) {}

  /** Our first word after comm-up: heartbeat's `starting`, carrying what we hold. */
  starting(at: Instant): void {
    this.send('starting', at, true);
  }

  /** A `resource` report; unless forced or commented, only when something changed. */
  report(at: Instant, force: boolean, info?: string): void {
    this.send('resource', at, force, info);
  }

  /**
   * Our report, asking the peer for its own (`rsc_ask`). `rejoined`: it was dead to us and may
   * not know it (`rsc_rejoined`), so that it forgets earlier moves as we did.
   */
  ask(at: Instant, rejoined: boolean): void {
    const fields = [stringField(ASK_FIELD, '1')];
    if (rejoined) fields.push(stringField(REJOINED_FIELD, '1'));
    this.send('resource', at, true, undefined, fields);
  }

  /** Our report in answer to the peer's `rsc_ask`, marked so (`rsc_reply`). */
  reply(at: Instant): void {
    this.send('resource', at, true, undefined, [stringField(REPLY_FIELD, '1')]);
  }

  private send(
    type: string,
    at: Instant,
    force: boolean,
    info?: string,
    extra: Field[] = [],
  ): void {
    const fields = [...reportFields(this.groups, this.current(), info), ...extra];
    // A `starting` never counts as stable at the peer, so the same fields as `resource` still go out.
    const key = `${type} ${JSON.stringify(fields)}`;
    if (!force && info === undefined && key === this.last) return;
    this.last = key;
    this.emit.send([stringField('t', type), ...fields], at);
  }
}
