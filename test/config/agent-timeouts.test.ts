// timeouts.ini: defaults, resource > script > [defaults], dotted names, [stonith], bad lines.
import { describe, expect, it } from 'vitest';
import { Diagnostics, type Diagnostic } from '../../src/config/diagnostics.js';
import { parseResourceSpec, type ResourceSpec } from '../../src/config/resource-spec.js';
import {
  AGENT_TIMEOUTS_FILE,
  DEFAULT_AGENT_TIMEOUTS,
  parseAgentTimeouts,
  type AgentTimeouts,
} from '../../src/config/agent-timeouts.js';

const FILE = `/etc/ha.d/${AGENT_TIMEOUTS_FILE}`;

function spec(text: string): ResourceSpec {
  const parsed = parseResourceSpec(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
}

function parse(text: string): { timeouts: AgentTimeouts; all: Diagnostic[] } {
  const diag = new Diagnostics();
  const timeouts = parseAgentTimeouts(text, FILE, diag);
  return { timeouts, all: diag.all };
}

function problems(text: string): { line: number | undefined; message: string }[] {
  return parse(text).all.map((d) => {
    expect(d.severity).toBe('error');
    expect(d.file).toBe(FILE);
    return { line: d.line, message: d.message };
  });
}

describe('values', () => {
  it('has built-in defaults: start and stop 60 s, status 20 s, fencing 30 s', () => {
    const apache = spec('apache::/etc/apache2.conf');
    expect(DEFAULT_AGENT_TIMEOUTS.forOperation(apache, 'start')).toBe(60_000);
    expect(DEFAULT_AGENT_TIMEOUTS.forOperation(apache, 'stop')).toBe(60_000);
    expect(DEFAULT_AGENT_TIMEOUTS.forOperation(apache, 'status')).toBe(20_000);
    expect(DEFAULT_AGENT_TIMEOUTS.fenceMs).toBe(30_000);
    expect(parse('').timeouts.forOperation(apache, 'status')).toBe(20_000);
  });

  it('takes the resource section, then the script section, then [defaults], then built-in', () => {
    const { timeouts, all } = parse(
      [
        '# agent timeouts',
        '[defaults]',
        'start = 30',
        'stop = 45',
        '',
        '[IPaddr]',
        'start = 10',
        '',
        '[IPaddr::192.0.2.10/24/eth0]',
        'start = 500ms',
        '',
        '[apache::/etc/apache2.conf]',
        'stop = 2m',
      ].join('\n'),
    );
    expect(all).toEqual([]);
    const vip = spec('IPaddr::192.0.2.10/24/eth0');
    expect(timeouts.forOperation(vip, 'start')).toBe(500);
    expect(timeouts.forOperation(vip, 'stop')).toBe(45_000);
    expect(timeouts.forOperation(vip, 'status')).toBe(20_000);
    expect(timeouts.forOperation(spec('IPaddr::192.0.2.11/24/eth0'), 'start')).toBe(10_000);
    expect(timeouts.forOperation(spec('apache::/etc/apache2.conf'), 'stop')).toBe(120_000);
    expect(timeouts.forOperation(spec('apache::/etc/other.conf'), 'stop')).toBe(45_000);
    expect(timeouts.forOperation(spec('apache::/etc/other.conf'), 'start')).toBe(30_000);
  });

  it('keeps dotted names that share a prefix apart', () => {
    const { timeouts, all } = parse(
      [
        '[IPaddr::192.0.2.10/24]',
        'start = 1',
        '[IPaddr::192.0.2.100/24]',
        'start = 2',
        '[IPaddr::192.0]',
        'start = 3',
      ].join('\n'),
    );
    expect(all).toEqual([]);
    expect(timeouts.forOperation(spec('IPaddr::192.0.2.10/24'), 'start')).toBe(1000);
    expect(timeouts.forOperation(spec('IPaddr::192.0.2.100/24'), 'start')).toBe(2000);
    expect(timeouts.forOperation(spec('IPaddr::192.0.2.1/24'), 'start')).toBe(60_000);
  });

  it('finds a bare address by its text or as IPaddr::address, the text first', () => {
    const bare = spec('192.0.2.10');
    expect(parse('[IPaddr::192.0.2.10]\nstop = 7').timeouts.forOperation(bare, 'stop')).toBe(7000);
    const both = parse('[IPaddr::192.0.2.10]\nstop = 7\n[192.0.2.10]\nstop = 8').timeouts;
    expect(both.forOperation(bare, 'stop')).toBe(8000);
  });

  it('reads [stonith] timeout as the fencing attempt timeout', () => {
    const { timeouts, all } = parse('[stonith]\ntimeout = 45\n');
    expect(all).toEqual([]);
    expect(timeouts.fenceMs).toBe(45_000);
  });

  it('accepts quotes, trailing comments, indentation, CRLF and unknown script names', () => {
    const { timeouts, all } = parse(
      '; by hand\r\n  [NoSuchScript]  # maybe in /etc/init.d\r\n  start = "5s"\r\nstop = 3 ; quick\r\n',
    );
    expect(all).toEqual([]);
    expect(timeouts.forOperation(spec('NoSuchScript'), 'start')).toBe(5000);
    expect(timeouts.forOperation(spec('NoSuchScript'), 'stop')).toBe(3000);
  });
});

describe('problems, each with file and line', () => {
  it('rejects a key outside a section', () => {
    expect(problems('start = 5\n[defaults]\nstop = 5')).toEqual([
      { line: 1, message: 'key outside a section' },
    ]);
  });

  it('rejects unknown keys, suggesting the closest one', () => {
    expect(problems('[defaults]\nstrat = 5\nretries = 3\n[stonith]\nstart = 5')).toEqual([
      { line: 2, message: 'unknown key "strat", did you mean "start"?' },
      { line: 3, message: 'unknown key "retries"' },
      { line: 5, message: 'unknown key "start"' },
    ]);
  });

  it('rejects bad, zero, negative and absurdly large time values', () => {
    expect(
      problems(
        [
          '[IPaddr::192.0.2.10/24]',
          'start = soon',
          'stop = 0',
          'status = -5',
          '[stonith]',
          'timeout = 86401',
          '[defaults]',
          'start = 0ms',
          'stop =',
          'status = 86400',
        ].join('\n'),
      ),
    ).toEqual([
      { line: 2, message: 'start: bad time value "soon"' },
      { line: 3, message: 'stop must be positive, not 0' },
      { line: 4, message: 'status must be positive, not -5' },
      { line: 6, message: 'timeout = 86401 is absurdly long (more than a day)' },
      { line: 8, message: 'start must be positive, not 0ms' },
      { line: 9, message: 'stop: bad time value ""' },
    ]);
  });

  it('rejects a section given twice and a key given twice', () => {
    expect(
      problems('[IPaddr::192.0.2.10]\nstart = 5\n\n[IPaddr::192.0.2.10]\nstop = 5\nstop = 6'),
    ).toEqual([
      { line: 4, message: 'section [IPaddr::192.0.2.10] given twice (first at line 1)' },
      { line: 6, message: 'stop given twice in this section (first at line 5)' },
    ]);
  });

  it('rejects lines that are neither a section nor key = value', () => {
    expect(problems('[defaults]\nstart 5\n[IPaddr\n[]\nstop = 5')).toEqual([
      { line: 2, message: 'expected "key = value", found "start 5"' },
      { line: 3, message: 'malformed section header "[IPaddr"' },
      { line: 4, message: 'empty section name' },
    ]);
  });

  it('does not let a rejected section count', () => {
    const { timeouts } = parse('[apache]\nstart = 5\n[apache]\nstart = 9');
    expect(timeouts.forOperation(spec('apache'), 'start')).toBe(5000);
  });
});

describe('monitoring keys', () => {
  it('monitors nothing by default; the monitor times out as status does', () => {
    expect(DEFAULT_AGENT_TIMEOUTS.monitorFor(spec('apache'))).toEqual({
      intervalMs: 0,
      timeoutMs: 20_000,
      migrationThreshold: 3,
      failureTimeoutMs: Infinity,
    });
  });

  it('reads Pacemaker-named keys per resource, script and [defaults], as the timeouts', () => {
    const { timeouts, all } = parse(
      [
        '[defaults]',
        'monitor = 30s',
        'failure_timeout = 10m',
        '[apache]',
        'monitor = 10s',
        'monitor_timeout = 5s',
        'migration_threshold = 2',
        '[IPaddr::192.0.2.10/24]',
        'monitor = 0',
        'failure_timeout = 0',
        'status = 3s',
      ].join('\n'),
    );
    expect(all).toEqual([]);
    expect(timeouts.monitorFor(spec('apache'))).toEqual({
      intervalMs: 10_000,
      timeoutMs: 5000,
      migrationThreshold: 2,
      failureTimeoutMs: 600_000,
    });
    expect(timeouts.monitorFor(spec('IPaddr::192.0.2.10/24'))).toEqual({
      intervalMs: 0,
      timeoutMs: 3000,
      migrationThreshold: 3,
      failureTimeoutMs: Infinity,
    });
    expect(timeouts.monitorFor(spec('db')).intervalMs).toBe(30_000);
  });

  it('rejects a threshold that is not a count of at least 1, and a monitor timeout of 0', () => {
    expect(
      problems(
        '[apache]\nmigration_threshold = 2.5\nmonitor_timeout = 0\nmonitor = -1\n[db]\nmigration_threshold = 0',
      ),
    ).toEqual([
      {
        line: 2,
        message: 'migration_threshold must be a whole number of failures, at least 1, not "2.5"',
      },
      { line: 3, message: 'monitor_timeout must be positive, not 0' },
      { line: 4, message: 'monitor must be positive, not -1' },
      {
        line: 6,
        message: 'migration_threshold must be a whole number of failures, at least 1, not "0"',
      },
    ]);
  });
});
