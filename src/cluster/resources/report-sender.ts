// Sends this node's resource state (`starting`, then `resource` on every change) to the peer.
import { stringField } from '../../wire/message.js';
import type { Emitter } from '../emitter.js';
import type { Instant } from '../types.js';
import type { GroupInfo } from './groups.js';
import { reportFields, type HoldingsReport } from './report.js';

export type OwnReport = Omit<HoldingsReport, 'exact'>;

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

  private send(type: string, at: Instant, force: boolean, info?: string): void {
    const fields = reportFields(this.groups, this.current(), info);
    // A `starting` never counts as stable at the peer, so the same fields as `resource` still go out.
    const key = `${type} ${JSON.stringify(fields)}`;
    if (!force && info === undefined && key === this.last) return;
    this.last = key;
    this.emit.send([stringField('t', type), ...fields], at);
  }
}
