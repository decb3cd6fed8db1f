// cl_status answered from a snapshot: heartbeat's outputs and exit statuses, query by query.
import { describe, expect, it } from 'vitest';
import { clStatusQuery, CL_STATUS_HELP } from '../../src/cli/cl-status-query.js';
import type { StatusSnapshot } from '../../src/control/snapshot.js';
import { ALPHA, BETA, makeSnapshot, withNode } from './snapshot-fixture.js';

const deadLinkBeta = withNode(BETA, {
  links: [
    { name: 'eth0', status: 'up' },
    { name: 'eth1', status: 'dead' },
  ],
});
const PING = withNode(BETA, {
  name: '192.0.2.1',
  type: 'ping',
  status: 'ping',
  links: [{ name: '192.0.2.1', status: 'up' }],
});
const running = makeSnapshot({ nodes: [ALPHA, deadLinkBeta] });

function run(args: string[], snapshot: StatusSnapshot = running) {
  return clStatusQuery(args, snapshot);
}

function notRunning(args: string[]) {
  return clStatusQuery(args, undefined);
}

function answers(out: string, code = 0) {
  return { code, out, err: '' };
}

describe('cl_status help and sub-command names', () => {
  it.each([[[]], [['-h']], [['--help']]])('prints the help for %j, exit 0', (args) => {
    expect(notRunning(args)).toEqual(answers(CL_STATUS_HELP));
    expect(CL_STATUS_HELP).toMatch(
      /^Usage: cl_status <sub-command> \[<options>\] \[<parameters>\]\n/,
    );
    for (const name of ['hbstatus', 'listnodes', 'nodestatus', 'nodetype', 'listhblinks']) {
      expect(CL_STATUS_HELP).toMatch(new RegExp(`^ {2}${name} `, 'm'));
    }
    expect(CL_STATUS_HELP).toMatch(/^ {2}hblinkstatus <node-name> <link-name> /m);
    expect(CL_STATUS_HELP).toMatch(/^ {2}hbparameter -p <parameter-name> /m);
    expect(CL_STATUS_HELP).toMatch(/^ {2}rscstatus +groups held here/m);
    for (const line of CL_STATUS_HELP.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it.each([
    [['bogus'], 'cl_status: invalid sub-command "bogus"'],
    [['-h', 'extra'], 'cl_status: invalid sub-command "-h"'],
    [['constructor'], 'cl_status: invalid sub-command "constructor"'],
    [['nodeweight', 'alpha'], 'cl_status: nodeweight is not supported by this heartbeat'],
    [
      ['clientstatus', 'alpha', 'ipfail'],
      'cl_status: clientstatus is not supported by this heartbeat',
    ],
  ])('rejects %j with exit 11, running or not', (args, message) => {
    for (const snapshot of [running, undefined]) {
      const result = clStatusQuery(args, snapshot);
      expect(result.code).toBe(11);
      expect(result.out).toBe('');
      expect(result.err).toBe(
        `${message}\nUsage: cl_status <sub-command> [<options>] [<parameters>]\nTry 'cl_status -h'.\n`,
      );
    }
  });
});

describe('cl_status when heartbeat is not running', () => {
  it('hbstatus says it is stopped, exit 1 (with a reason when verbose)', () => {
    expect(notRunning(['hbstatus'])).toEqual(answers('Heartbeat is stopped on this machine.\n', 1));
    expect(notRunning(['hbstatus', '-v']).out).toBe(
      'Heartbeat is stopped on this machine.\n(no heartbeat answers on this machine)\n',
    );
  });

  it.each([
    [['listnodes']],
    [['nodestatus', 'alpha']],
    [['nodestatus']],
    [['nodetype', 'alpha']],
    [['listhblinks', 'beta']],
    [['hblinkstatus', 'beta', 'eth0']],
    [['rscstatus']],
    [['hbparameter', '-p', 'deadtime']],
    [['hbparameter', '-x']],
  ])('%j cannot sign on: exit 1, before looking at the arguments', (args) => {
    expect(notRunning(args)).toEqual({
      code: 1,
      out: '',
      err: 'cl_status: Cannot signon with heartbeat: it is not running here.\n',
    });
  });
});

describe('cl_status hbstatus', () => {
  it('answers the fixed sentence scripts look for', () => {
    expect(run(['hbstatus'])).toEqual(answers('Heartbeat is running on this machine.\n'));
    expect(run(['hbstatus', '-m'])).toEqual(answers('Heartbeat is running on this machine.\n'));
  });

  it('-v adds the version, the resource manager, and every node with its links', () => {
    expect(run(['hbstatus', '-v'])).toEqual(
      answers(
        'version:\t0.1.0\nmanaged by:\t"haresources"\n' +
          '\nalpha\tactive\t(nodetype: normal)\n\teth0\tup\n\teth1\tup\n' +
          '\nbeta\tactive\t(nodetype: normal)\n\teth0\tup\n\teth1\tdead\n',
      ),
    );
  });

  it('-mv says the same in sentences, preferring the hbversion parameter', () => {
    const snapshot = makeSnapshot({ nodes: [ALPHA], parameters: { hbversion: '3.0.6' } });
    expect(run(['hbstatus', '-mv'], snapshot)).toEqual(
      answers(
        'Heartbeat version 3.0.6\nResources controlled by "haresources"\n' +
          'The nodes are as follow:\n' +
          '\nalpha\tactive\t(nodetype: normal)\n' +
          '\tthis node has the following heartbeat links:\n\teth0\tup\n\teth1\tup\n',
      ),
    );
  });

  it('complains about a bad option but answers anyway, as cl_status does', () => {
    expect(run(['hbstatus', '-x'])).toEqual({
      code: 0,
      out: 'Heartbeat is running on this machine.\n',
      err: "cl_status hbstatus: invalid option -- 'x'\nUsage: cl_status hbstatus [-m] [-v]\n",
    });
    expect(notRunning(['hbstatus', '-x']).code).toBe(1);
  });
});

describe('cl_status listnodes', () => {
  const withPing = makeSnapshot({ nodes: [ALPHA, BETA, PING] });

  it.each([
    [[], 'alpha\nbeta\n192.0.2.1\n'],
    [['-n'], 'alpha\nbeta\n'],
    [['-p'], '192.0.2.1\n'],
    [['-np'], 'alpha\nbeta\n192.0.2.1\n'],
    [['-m', '-p'], 'The nodes are as follow:\n192.0.2.1\n'],
    [['-p', '-v'], '\n192.0.2.1\tping\t(nodetype: ping)\n\t192.0.2.1\tup\n'],
  ])('%j lists %j', (options, out) => {
    expect(run(['listnodes', ...options], withPing)).toEqual(answers(out));
  });

  it('rejects an unknown option with exit 11 and its usage', () => {
    expect(run(['listnodes', '-q'])).toEqual({
      code: 11,
      out: '',
      err: "cl_status listnodes: invalid option -- 'q'\nUsage: cl_status listnodes [-m] [-n|-p] [-v]\n",
    });
  });
});

describe('cl_status nodestatus and nodetype', () => {
  it.each([
    ['active', 0],
    ['up', 0],
    ['init', 1],
    ['dead', 1],
  ])('nodestatus prints %s, exit %d', (status, code) => {
    const snapshot = makeSnapshot({ nodes: [ALPHA, withNode(BETA, { status })] });
    expect(run(['nodestatus', 'beta'], snapshot)).toEqual(answers(`${status}\n`, code));
  });

  it('finds nodes whatever the case, and -m names the node as it was asked (options anywhere)', () => {
    expect(run(['nodestatus', 'ALPHA'])).toEqual(answers('active\n'));
    expect(run(['nodestatus', 'Beta', '-m'])).toEqual(answers('The cluster node Beta is active\n'));
    expect(run(['nodetype', 'BETA'])).toEqual(answers('normal\n'));
    expect(run(['nodetype', '-m', 'beta'])).toEqual(answers("The node beta's type: normal\n"));
    expect(run(['nodetype', '192.0.2.1'], makeSnapshot({ nodes: [ALPHA, PING] }))).toEqual(
      answers('ping\n'),
    );
  });

  it.each(['nodestatus', 'nodetype'])(
    '%s: an unknown node is a parameter error, exit 11',
    (name) => {
      expect(run([name, 'gamma'])).toEqual({
        code: 11,
        out: '',
        err: `cl_status ${name}: no node "gamma" in this cluster (nodes: alpha, beta)\n`,
      });
    },
  );

  it.each(['nodestatus', 'nodetype'])(
    '%s: a missing node name gives its usage, exit 11',
    (name) => {
      expect(run([name, '-m'])).toEqual({
        code: 11,
        out: '',
        err: `cl_status ${name}: missing <node-name>\nUsage: cl_status ${name} [-m] <node-name>\n`,
      });
    },
  );

  it('takes "--" as the end of options', () => {
    expect(run(['nodestatus', '--', '-m']).err).toContain('no node "-m" in this cluster');
  });
});

describe('cl_status listhblinks and hblinkstatus', () => {
  it.each([
    [['beta'], '\teth0\n\teth1\n'],
    [['-v', 'beta'], '\teth0\tup\n\teth1\tdead\n'],
    [['beta', '-mv'], '\tthis node has the following heartbeat links:\n\teth0\tup\n\teth1\tdead\n'],
  ])('listhblinks %j', (args, out) => {
    expect(run(['listhblinks', ...args])).toEqual(answers(out));
  });

  it('listhblinks: an unknown node cannot be walked, exit 13', () => {
    expect(run(['listhblinks', 'gamma'])).toEqual({
      code: 13,
      out: '',
      err: 'cl_status listhblinks: no node "gamma" in this cluster (nodes: alpha, beta)\n',
    });
  });

  it('hblinkstatus: up exits 0, dead exits 1, -m says it in a sentence', () => {
    expect(run(['hblinkstatus', 'beta', 'eth0'])).toEqual(answers('up\n'));
    expect(run(['hblinkstatus', 'BETA', 'eth1'])).toEqual(answers('dead\n', 1));
    expect(run(['hblinkstatus', '-m', 'beta', 'eth1'])).toEqual(
      answers("The node beta's heartbeat link eth1 is dead\n", 1),
    );
  });

  it.each([
    [['gamma', 'eth0'], 'no node "gamma" in this cluster (nodes: alpha, beta)'],
    [['beta', 'eth9'], 'node beta has no heartbeat link "eth9" (links: eth0, eth1)'],
    [['beta', 'ETH0'], 'node beta has no heartbeat link "ETH0" (links: eth0, eth1)'],
  ])('hblinkstatus %j is unknown, exit 13', (args, message) => {
    expect(run(['hblinkstatus', ...args])).toEqual({
      code: 13,
      out: '',
      err: `cl_status hblinkstatus: ${message}\n`,
    });
  });

  it('hblinkstatus without a link name gives its usage, exit 11', () => {
    expect(run(['hblinkstatus', 'beta'])).toEqual({
      code: 11,
      out: '',
      err:
        'cl_status hblinkstatus: missing <link-name>\n' +
        'Usage: cl_status hblinkstatus [-m] <node-name> <link-name>\n',
    });
  });
});

describe('cl_status rscstatus and hbparameter', () => {
  it.each(['none', 'local', 'foreign', 'all', 'transition'])('rscstatus prints %s', (held) => {
    const snapshot = makeSnapshot({ rscstatus: held });
    expect(run(['rscstatus'], snapshot)).toEqual(answers(`${held}\n`));
    expect(run(['rscstatus', '-m'], snapshot)).toEqual(
      answers(`This node is holding ${held} resources.\n`),
    );
  });

  it.each([
    [['-p', 'deadtime'], '30000ms\n'],
    [['-pkeepalive'], '1000ms\n'],
    [['-mp', 'auto_failback'], "Heartbeat parameter auto_failback's value: on\n"],
  ])('hbparameter %j', (args, out) => {
    expect(run(['hbparameter', ...args])).toEqual(answers(out));
  });

  it('answers the old name crm with pacemaker', () => {
    const snapshot = makeSnapshot({ parameters: { pacemaker: 'false' } });
    expect(run(['hbparameter', '-p', 'crm'], snapshot)).toEqual(answers('false\n'));
  });

  it.each(['warntime', 'DEADTIME', 'constructor', ''])(
    'hbparameter -p %j is unset: exit 1',
    (name) => {
      expect(run(['hbparameter', '-p', name])).toEqual({
        code: 1,
        out: '',
        err: `cl_status hbparameter: parameter "${name}" has no value\n`,
      });
    },
  );

  it.each([
    [[], 'missing -p <parameter-name>'],
    [['-m'], 'missing -p <parameter-name>'],
    [['-p'], "option requires an argument -- 'p'"],
    [['--name', 'deadtime'], "unrecognized option '--name'"],
  ])('hbparameter %j is a parameter error, exit 11', (args, message) => {
    expect(run(['hbparameter', ...args])).toEqual({
      code: 11,
      out: '',
      err: `cl_status hbparameter: ${message}\nUsage: cl_status hbparameter [-m] -p <parameter-name>\n`,
    });
  });
});
