// The scenario runner's own checks: two holders that no partition, freeze or kill explains fail
// every scenario, and so does a once-per-life line logged twice; misspelt settings and commands
// are errors, not silently ignored; hung agents and late packets behave as they say.
import { describe, expect, it } from 'vitest';
import { runScenario } from './scenario.js';
import { repeatedOnceLine } from './sim-audit.js';
import type { SimNode } from './sim.js';

const PAIR = `timing keepalive=1s deadtime=5s warntime=2500ms initdead=12s
group alpha IPaddr::192.0.2.100/24 web
start alpha beta
run 3s
`;

const messages = (text: string): string[] => runScenario(text).map((f) => f.message);

describe('scenario runner', () => {
  it('excuses two holders while partitioned without fencing, and for a short while after', () => {
    expect(messages(`${PAIR}cut alpha eth0\nrun 8s\nmend alpha eth0\nrun 5s\n`)).toEqual([]);
  });

  it('fails a scenario with two holders outside any excuse, unless the file allows it', () => {
    // A heartbeat 3.0.6 beta whose services are started by hand while alpha runs the group.
    const forced = `${PAIR.replace('start', 'legacy beta\nstart')}run 12s\nexpect alpha runs IPaddr::192.0.2.100/24\nholds beta IPaddr::192.0.2.100/24\nrun 1s\n`;
    expect(messages(forced)).toEqual([
      'two holders: IPaddr::192.0.2.100/24 on two nodes from 15.000s to the end',
      'two holders: web on two nodes from 15.000s to the end',
    ]);
    expect(messages(`allow doubled: beta's services started by hand\n${forced}`)).toEqual([]);
  });

  it('counts two holders as a failure with fencing, partition or not', () => {
    const fenced = `${PAIR.replace('start', 'fencing on\nstart')}cut alpha eth0\nrun 8s\n`;
    expect(messages(fenced)).toEqual([]);
  });

  it('reboots a node that fencing reset: its daemon is back a minute later', () => {
    const fenced = `${PAIR.replace('start', 'fencing on\nstart')}kill-daemon alpha\nrun 8s
expect beta fenced alpha 1
expect beta status alpha dead
run 62s
expect beta status alpha active
expect served
`;
    expect(messages(fenced)).toEqual([]);
    expect(messages(fenced.replace('run 62s', 'run 50s'))).toEqual([
      'expect beta status alpha active: status of alpha is dead',
    ]);
  });

  it('refuses unknown timings, malformed fail lines and unknown logged relations', () => {
    expect(messages(`${PAIR}standby gamma\n`)).toEqual(['standby gamma: Error: no node gamma']);
    expect(messages('timing keepalive=1s deadtim=5s\n')).toEqual([
      'timing keepalive=1s deadtim=5s: unknown timing deadtim; known: keepalive, deadtime, warntime, initdead, deadping',
    ]);
    expect(messages(`${PAIR}fail alpha start\n`)).toEqual([
      'fail alpha start: write fail NODE start|stop|status RESOURCE',
    ]);
    expect(messages(`${PAIR}fail alpha start nosuch\n`)).toEqual([
      'fail alpha start nosuch: no resource nosuch in any group',
    ]);
    expect(messages(`${PAIR}expect alpha logged info "node beta" onse\n`)).toEqual([
      'expect alpha logged info "node beta" onse: write logged LEVEL TEXT [once | after-last-status-of NODE LOW..HIGH]',
    ]);
    expect(messages(`${PAIR}allow doubled\n`)).toEqual([
      'allow doubled: write allow doubled: REASON',
    ]);
    expect(messages(`${PAIR}delay alpha 300ms\nclock alpha 3600s\n`)).toEqual([
      'delay alpha 300ms: write delay NODE MS COUNT',
      'clock alpha 3600s: write clock NODE +DURATION|-DURATION',
    ]);
  });

  it('flags a line to log once per life logged twice, but not once in each of two lives', () => {
    const node = { loggedOnce: new Set<string>() } as unknown as SimNode;
    const active = "Local status now set to: 'active'";
    expect(repeatedOnceLine(node, active)).toBeUndefined();
    expect(repeatedOnceLine(node, 'Acquiring resource group: alpha web')).toBeUndefined();
    expect(repeatedOnceLine(node, 'Acquiring resource group: alpha web')).toBeUndefined();
    expect(repeatedOnceLine(node, active)).toBe(active);
    // A restarted daemon logs it again, in its new life.
    expect(messages(`${PAIR}kill-daemon alpha\nrun 1s\nrevive\nrun 20s\n`)).toEqual([]);
  });

  it('kills a hung agent at its timeout, and delays packets so that later ones overtake them', () => {
    const hung = `${PAIR}hang alpha stop web\nstandby alpha\nrun 30s\nexpect alpha runs IPaddr::192.0.2.100/24
repair alpha stop web\nrun 40s\nexpect alpha logged warn "Stop of web failed"\n`;
    expect(messages(`${hung}expect beta runs IPaddr::192.0.2.100/24\n`)).toEqual([]);
    // Two heartbeats 6 s late: the next one arrives first, and beta asks for the two it missed.
    const late = `${PAIR}delay alpha 6s 2\nrun 5500ms\nexpect beta logged warn "2 lost packet(s) for [alpha]"
expect beta not-logged "node alpha: is dead"\n`;
    expect(messages(late)).toEqual([]);
  });
});
