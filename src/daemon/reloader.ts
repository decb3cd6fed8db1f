// `heartbeat reload` and SIGHUP: re-read the configuration, apply what can change live, keep the
// old configuration whole when the new one is broken, and say which is which.
import { diagnosticLine, formatDiagnostic } from '../config/diagnostics.js';
import type { Config } from '../config/config.js';
import { loadAndCheck } from '../preflight/load-and-check.js';
import type { ControlReply } from '../control/protocol.js';
import { createLog } from '../log/logger.js';
import type { SwitchableLog } from '../log/switchable-log.js';
import type { RunningNode } from './node-runner.js';
import { describeReload, planReload } from './reload-plan.js';

export class Reloader {
  private running: Promise<ControlReply> | undefined;

  constructor(
    /** The configuration in force: the one started with, plus what reloads applied. */
    public config: Config,
    private readonly log: SwitchableLog,
    private readonly console: boolean,
  ) {}

  /** One reload at a time; a second request while one runs gets the same answer. */
  reload(node: RunningNode): Promise<ControlReply> {
    this.running ??= this.perform(node).finally(() => (this.running = undefined));
    return this.running;
  }

  private async perform(node: RunningNode): Promise<ControlReply> {
    const old = this.config;
    this.log.log('info', `Reloading configuration from ${old.dir}.`);
    const loaded = await loadAndCheck({ dir: old.dir, node: old.localNode, hostChecks: 'strict' });
    if (!loaded.config || loaded.diagnostics.hasErrors) {
      const errors = loaded.diagnostics.errors;
      for (const d of errors) this.log.log('error', diagnosticLine(d));
      this.log.log('error', 'Configuration not reloaded: still running the previous one.');
      return {
        ok: false,
        error: [
          'configuration not reloaded, still running the previous one:',
          ...errors.map(formatDiagnostic),
        ].join('\n'),
      };
    }
    const next = loaded.config;
    const plan = planReload(old, next);
    // New log files either way, so a postrotate `heartbeat reload` is a lossless rotation.
    if (plan.live.includes('logging')) {
      await this.log.replace(createLog({ ...next.hacf.log, console: this.console }));
    } else await this.log.reopen();
    const applied: Config = {
      ...old,
      auth: next.auth,
      timeouts: next.timeouts,
      fenceDevices: plan.live.includes('STONITH devices') ? next.fenceDevices : old.fenceDevices,
      hacf: { ...old.hacf, log: next.hacf.log },
    };
    this.config = applied;
    node.useConfig(applied);
    const message = describeReload(plan);
    this.log.log(plan.restart.length > 0 ? 'warn' : 'info', message);
    return { ok: true, message };
  }
}
