// The log lines that mark where ownership stands: groups moving, takeovers and stops completing.
import type { Emitter } from '../emitter.js';
import type { LocalGroup } from './placement.js';

export class Milestones {
  private settledOnce = false;
  /** The dead peer whose groups we are taking over, until the takeover completes. */
  takeoverFrom: string | undefined;

  constructor(private readonly emit: Emitter) {}

  /** Logs a group operation about to start, then asks the edges to run it. */
  announce(group: LocalGroup): void {
    const { line } = group.info;
    if (group.op === 'acquire') {
      if (this.takeoverFrom && !group.info.local)
        this.emit.log('info', `Resources being acquired from ${this.takeoverFrom}.`);
      this.emit.log('info', `Acquiring resource group: ${line}`);
    } else if (group.op === 'release') this.emit.log('info', `Releasing resource group: ${line}`);
    else this.emit.log('info', `Announcing resource group again: ${line}`);
    if (group.op) this.emit.group(group.op, group.info.index);
  }

  /** Nothing in flight and nothing to do: the first time, initial acquisition is complete. */
  stable(peerAlive: boolean): void {
    if (!this.settledOnce) {
      this.settledOnce = true;
      const reason = peerAlive ? 'T_RESOURCES(us)' : 'mach_down';
      this.emit.log('info', `Initial resource acquisition complete (${reason})`);
    }
    if (this.takeoverFrom && !peerAlive) {
      this.takeoverFrom = undefined;
      this.emit.log('info', 'mach_down takeover complete.');
    }
  }

  /** A graceful stop released what it could. */
  stopped(groups: readonly LocalGroup[]): void {
    const unclean = groups.filter((g) => g.holding === 'unclean').map((g) => g.info.name);
    if (unclean.length === 0) this.emit.log('info', 'All HA resources relinquished.');
    else this.emit.log('crit', `Stopping with resource groups not released: ${unclean.join(', ')}`);
  }
}
