// The group sequencer alone: the agent operations it asks for, fed the results a test chooses.
import { describe, expect, it } from 'vitest';
import { Emitter } from '../../src/cluster/emitter.js';
import { Outbox } from '../../src/cluster/outbox.js';
import { GroupSequencer } from '../../src/cluster/resources/group-sequencer.js';
import { groupInfos } from '../../src/cluster/resources/groups.js';
import { NOT_MONITORED } from '../../src/cluster/resources/monitors.js';
import type { AgentResult, GroupOutcome, Instant } from '../../src/cluster/types.js';
import { Diagnostics } from '../../src/config/diagnostics.js';
import { parseHaresources } from '../../src/config/haresources.js';
import { membershipConfig } from './membership-config.js';

const at = (mono: number): Instant => ({ mono, wallSeconds: 0, load: '' });

function harness(line: string, timeoutMs = (op: string) => (op === 'status' ? 20_000 : 60_000)) {
  const groups = parseHaresources(line, 'haresources', ['alpha', 'beta'], new Diagnostics());
  // Agents only: nothing is sent, so the outbox's stamping never runs.
  const emit = new Emitter(new Outbox(membershipConfig('alpha'), () => undefined));
  const outcomes: GroupOutcome[] = [];
  const monitored: string[] = [];
  const sequencer = new GroupSequencer(
    groupInfos(groups, 'alpha'),
    { forOperation: (_spec, op) => timeoutMs(op), monitorFor: () => NOT_MONITORED },
    emit,
    {
      done: (_group, outcome) => outcomes.push(outcome),
      monitored: (_group, resource, result) => monitored.push(`${resource}:${result.operation}`),
    },
  );
  /** What it asked since the last call: `operation:resource-index/timeout`, or cancel-starts. */
  const asked = (): string[] =>
    emit.flush().flatMap((a) => {
      if (a.type === 'cancel-starts') return ['cancel-starts'];
      return a.type === 'agent' ? [`${a.operation}:${a.resource}/${a.timeoutMs}`] : [];
    });
  const status = (resource: number, state: 'running' | 'stopped'): void => {
    sequencer.agentDone(0, resource, { operation: 'status', state, detail: '' }, at(0));
  };
  const result = (resource: number, operation: 'start' | 'stop', ok: boolean): void => {
    const report: AgentResult = { operation, ok, detail: ok ? 'exit 0' : 'exit 1' };
    sequencer.agentDone(0, resource, report, at(0));
  };
  return { sequencer, asked, status, result, outcomes, monitored };
}

describe('group sequencer', () => {
  it('asks every status at once, with the status timeout, then starts what is stopped', () => {
    const { sequencer, asked, status, result, outcomes } = harness('alpha a b c');
    sequencer.begin(0, 'acquire', at(0));
    expect(asked()).toEqual(['status:0/20000', 'status:1/20000', 'status:2/20000']);
    status(1, 'running');
    status(0, 'stopped');
    expect(asked()).toEqual([]);
    status(2, 'stopped');
    expect(asked()).toEqual(['start:0/60000']);
    result(0, 'start', true);
    expect(asked()).toEqual(['start:2/60000']);
    result(2, 'start', true);
    expect(outcomes).toEqual(['ok']);
  });

  it('on a failed start also stops a resource further right that was found running', () => {
    const { sequencer, asked, status, result, outcomes } = harness('alpha a b c');
    sequencer.begin(0, 'acquire', at(0));
    asked();
    status(0, 'stopped');
    status(1, 'stopped');
    status(2, 'running');
    expect(asked()).toEqual(['start:0/60000']);
    result(0, 'start', false);
    expect(asked()).toEqual(['stop:2/60000']);
    result(2, 'stop', true);
    expect(asked()).toEqual(['stop:0/60000']);
    result(0, 'stop', true);
    expect(outcomes).toEqual(['failed']);
  });

  it('retries a failed stop on its own timer, then calls the group unclean and stops the rest', () => {
    const { sequencer, asked, result, outcomes } = harness('alpha a b');
    sequencer.begin(0, 'release', at(0));
    expect(asked()).toEqual(['stop:1/60000']);
    result(1, 'stop', false);
    expect(asked()).toEqual([]);
    expect(sequencer.nextWakeup()).toBe(1000);
    sequencer.tick(at(999));
    expect(asked()).toEqual([]);
    sequencer.tick(at(1000));
    expect(asked()).toEqual(['stop:1/60000']);
    result(1, 'stop', false);
    sequencer.tick(at(2000));
    expect(asked()).toEqual(['stop:1/60000']);
    result(1, 'stop', false);
    expect(asked()).toEqual(['stop:0/60000']);
    expect(sequencer.nextWakeup()).toBe(Infinity);
    result(0, 'stop', true);
    expect(outcomes).toEqual(['unclean']);
  });

  it('asks no status of what it stopped itself, until it starts it again', () => {
    const { sequencer, asked, result } = harness('alpha a');
    sequencer.begin(0, 'release', at(0));
    asked();
    result(0, 'stop', true);
    sequencer.begin(0, 'acquire', at(0));
    expect(asked()).toEqual(['start:0/60000']);
    result(0, 'start', false);
    asked();
    result(0, 'stop', false);
    result(0, 'stop', false);
    result(0, 'stop', false);
    sequencer.begin(0, 'acquire', at(0));
    expect(asked()).toEqual(['status:0/20000']);
  });

  it('once starts are cancelled, begins none and rolls back what started', () => {
    const { sequencer, asked, status, result, outcomes } = harness('alpha a b');
    sequencer.begin(0, 'acquire', at(0));
    asked();
    status(0, 'stopped');
    status(1, 'stopped');
    expect(asked()).toEqual(['start:0/60000']);
    sequencer.cancelStarts();
    expect(asked()).toEqual(['cancel-starts']);
    // The start finished before the kill reached it: it is stopped again, b never starts.
    result(0, 'start', true);
    expect(asked()).toEqual(['stop:0/60000']);
    result(0, 'stop', true);
    expect(outcomes).toEqual(['cancelled']);
  });

  it('never overlaps a monitor: an operation asked meanwhile begins once it ends', () => {
    const { sequencer, asked, status, result, monitored } = harness('alpha a b');
    sequencer.monitor(0, 1, 5000);
    expect(asked()).toEqual(['status:1/5000']);
    sequencer.begin(0, 'release', at(0));
    sequencer.monitor(0, 0, 5000);
    expect(asked()).toEqual([]);
    status(1, 'running');
    expect(monitored).toEqual(['1:status']);
    expect(asked()).toEqual(['stop:1/60000']);
    result(1, 'stop', true);
    expect(asked()).toEqual(['stop:0/60000']);
  });

  it('recovers from a resource rightwards: stops right to left, then starts left to right', () => {
    const { sequencer, asked, result, outcomes } = harness('alpha a b c');
    sequencer.begin(0, 'recover', at(0), 1);
    expect(asked()).toEqual(['stop:2/60000']);
    result(2, 'stop', true);
    expect(asked()).toEqual(['stop:1/60000']);
    result(1, 'stop', true);
    expect(asked()).toEqual(['start:1/60000']);
    result(1, 'start', true);
    expect(asked()).toEqual(['start:2/60000']);
    result(2, 'start', true);
    expect(outcomes).toEqual(['ok']);
  });

  it('rolls the whole group back when a restart of a recovery fails', () => {
    const { sequencer, asked, result, outcomes } = harness('alpha a b');
    sequencer.begin(0, 'recover', at(0), 1);
    asked();
    result(1, 'stop', true);
    expect(asked()).toEqual(['start:1/60000']);
    result(1, 'start', false);
    expect(asked()).toEqual(['stop:1/60000']);
    result(1, 'stop', true);
    expect(asked()).toEqual(['stop:0/60000']);
    result(0, 'stop', true);
    expect(outcomes).toEqual(['failed']);
  });
});
