// The start-up probe: every resource's status asked at once, and what each group was found as.
import { describe, expect, it } from 'vitest';
import { Emitter } from '../../src/cluster/emitter.js';
import { groupInfos } from '../../src/cluster/resources/groups.js';
import { NOT_MONITORED } from '../../src/cluster/resources/monitors.js';
import { StartupProbe } from '../../src/cluster/resources/startup-probe.js';
import type { AgentResult } from '../../src/cluster/types.js';

const groups = groupInfos(
  [
    { home: 'alpha', name: 'web', resources: [{ text: 'web' }] },
    { home: 'alpha', name: 'a', resources: [{ text: 'a' }, { text: 'web' }] },
    { home: 'beta', name: 'b', resources: [{ text: 'b' }] },
  ] as never,
  'alpha',
);
const running: AgentResult = { operation: 'status', state: 'running', detail: 'exit 0' };
const stopped: AgentResult = { operation: 'status', state: 'stopped', detail: 'exit 3' };

describe('start-up probe', () => {
  it('asks every status at once and finds each group running, in part, or stopped', () => {
    // The probe only asks agents: nothing it emits is a message to stamp.
    const emit = new Emitter(undefined as never);
    const probe = new StartupProbe(groups);
    probe.begin({ forOperation: () => 7000, monitorFor: () => NOT_MONITORED }, emit);
    const asked = emit.flush().flatMap((a) => (a.type === 'agent' ? [a] : []));
    expect(asked.map((a) => `${a.group}.${a.resource} ${a.operation} ${a.timeoutMs}`)).toEqual([
      '0.0 status 7000',
      '1.0 status 7000',
      '1.1 status 7000',
      '2.0 status 7000',
    ]);
    probe.answer(0, 0, running);
    probe.answer(1, 0, stopped);
    probe.answer(1, 1, running);
    // The same answer twice, or one for no resource, does not finish the probe.
    probe.answer(1, 1, running);
    probe.answer(2, 5, running);
    expect(probe.done).toBe(false);
    probe.answer(2, 0, stopped);
    expect(probe.done).toBe(true);
    expect(probe.found()).toEqual(['running', 'partial', 'stopped']);
  });
});
