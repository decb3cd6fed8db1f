// Debian heartbeat sample ha.cf, haresources and authkeys, as shipped and uncommented.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseAuthkeys } from '../../src/config/authkeys.js';
import { Diagnostics, formatDiagnostic } from '../../src/config/diagnostics.js';
import { parseHaresources } from '../../src/config/haresources.js';
import { IGNORED_DIRECTIVES } from '../../src/config/hacf/ignored.js';
import { KNOWN_DIRECTIVES, parseHaCf } from '../../src/config/hacf/parse.js';

const SAMPLES = '/usr/share/doc/heartbeat';

/** A sample file's text; a missing file fails the test (CI installs the heartbeat package). */
function sample(name: string): string {
  const path = join(SAMPLES, name);
  if (!existsSync(path)) {
    throw new Error(
      `${path} is missing: install the Debian/Ubuntu "heartbeat" package (apt-get install heartbeat) to run these tests`,
    );
  }
  const data = readFileSync(path);
  return name.endsWith('.gz') ? gunzipSync(data).toString('utf8') : data.toString('utf8');
}

interface Example {
  /** 1-based line in the uncommented text. */
  readonly line: number;
  readonly directive: string;
  readonly text: string;
  /** Lines made from the same a/b template line. */
  readonly siblings: readonly number[];
}

const TEMPLATE_VALUE = /^[A-Za-z0-9]+(\/[A-Za-z0-9]+)+$/;

/**
 * Uncomments `#directive ...` lines (also `# directive`, as `# use_logd yes/no` is written),
 * skips `...` and `[` placeholders, and expands `a/b` alternatives into one line each.
 */
function uncommentHaCf(text: string): { text: string; examples: Example[] } {
  const out: string[] = [];
  const examples: Example[] = [];
  for (const raw of text.split('\n')) {
    const match = /^# ?([A-Za-z_][A-Za-z0-9_]*)(?=[ \t]|$)/.exec(raw);
    const directive = match?.[1];
    if (
      directive === undefined ||
      !KNOWN_DIRECTIVES.includes(directive) ||
      raw.includes('...') ||
      raw.includes('[')
    ) {
      out.push(raw);
      continue;
    }
    const body = raw.replace(/^# ?/, '');
    const words = body.split(/\s+/).filter(Boolean);
    const [, value, ...more] = words;
    const alternatives =
      value !== undefined && more.length === 0 && TEMPLATE_VALUE.test(value)
        ? value.split('/').map((v) => `${directive} ${v}`)
        : [body];
    const first = out.length + 1;
    const siblings = alternatives.map((_, i) => first + i);
    alternatives.forEach((line, i) => {
      out.push(line);
      examples.push({ line: first + i, directive, text: line, siblings });
    });
  }
  return { text: out.join('\n'), examples };
}

describe('Debian sample ha.cf', () => {
  it('parses as shipped (plus a node line) with no illegal directive', () => {
    const diag = new Diagnostics();
    parseHaCf(`${sample('ha.cf.gz')}\nnode alpha beta\n`, 'ha.cf', diag);
    expect(diag.errors.filter((e) => e.message.includes('Illegal directive'))).toEqual([]);
    // The shipped file has every medium commented out: the one error is that, at the end.
    expect(diag.errors.map((e) => e.message)).toEqual(['No heartbeat media defined']);
  });

  it('finds the commented examples to uncomment', () => {
    const { examples } = uncommentHaCf(sample('ha.cf.gz'));
    const names = new Set(examples.map((e) => e.directive));
    for (const name of ['keepalive', 'deadtime', 'warntime', 'initdead', 'udpport', 'bcast']) {
      expect(names).toContain(name);
    }
    for (const name of [
      'mcast',
      'ucast',
      'node',
      'stonith',
      'stonith_host',
      'ping',
      'ping_group',
    ]) {
      expect(names).toContain(name);
    }
    for (const name of ['serial', 'baud', 'watchdog', 'apiauth', 'hbaping', 'use_logd', 'msgfmt']) {
      expect(names).toContain(name);
    }
    expect(examples.filter((e) => e.directive === 'msgfmt').map((e) => e.text)).toEqual([
      'msgfmt classic',
      'msgfmt netstring',
    ]);
    expect(examples.filter((e) => e.directive === 'use_logd').map((e) => e.text)).toEqual([
      'use_logd yes',
      'use_logd no',
    ]);
    expect(examples.length).toBeGreaterThanOrEqual(40);
  });

  it('applies or ignores every uncommented example, none is illegal', () => {
    const { text, examples } = uncommentHaCf(sample('ha.cf.gz'));
    const diag = new Diagnostics();
    parseHaCf(text, 'ha.cf', diag);
    const shown = diag.all.map(formatDiagnostic).join('\n');
    expect(
      diag.errors.filter((e) => e.message.includes('Illegal directive')),
      shown,
    ).toEqual([]);
    expect(diag.errors, shown).toEqual([]);
    for (const example of examples) {
      const own = diag.all.filter((d) => d.line === example.line);
      const label = `line ${example.line}: ${example.text}\n${shown}`;
      if (IGNORED_DIRECTIVES.has(example.directive)) {
        expect(own, label).toHaveLength(1);
        expect(own[0]?.severity, label).toBe('warning');
        expect(own[0]?.message, label).toContain(`${example.directive} is ignored`);
      } else {
        // An applied line may only be told that it replaces its own template sibling.
        const unexpected = own.filter(
          (d) =>
            !example.siblings.some(
              (s) => s !== example.line && d.message.includes(`already set at line ${s}`),
            ),
        );
        expect(unexpected, label).toEqual([]);
      }
    }
  });

  it('takes the values of the applied examples', () => {
    const { text } = uncommentHaCf(sample('ha.cf.gz'));
    const diag = new Diagnostics();
    const cf = parseHaCf(text, 'ha.cf', diag);
    expect(cf.nodes).toEqual(['ken3', 'kathy']);
    expect(cf.keepaliveMs).toBe(2000);
    expect(cf.deadtimeMs).toBe(30_000);
    expect(cf.warntimeMs).toBe(10_000);
    expect(cf.initdeadMs).toBe(120_000);
    expect(cf.deadpingMs).toBe(30_000);
    expect(cf.udpport).toBe(694);
    expect(cf.hopfudge).toBe(1);
    expect(cf.autoFailback).toBe('on');
    expect(cf.log.facility).toBe('local0');
    expect(cf.log.logfile).toBe('/var/log/ha-log');
    expect(cf.log.debugfile).toBe('/var/log/ha-debug');
    expect(cf.log.debugLevel).toBe(1);
    expect(cf.media.filter((m) => m.kind === 'bcast').map((m) => m.iface)).toEqual([
      'eth0',
      'eth1',
      'eth2',
      'le0',
      'le1',
      'le2',
    ]);
    expect(cf.media.find((m) => m.kind === 'mcast')).toMatchObject({
      iface: 'eth0',
      group: '225.0.0.1',
      port: 694,
      ttl: 1,
      loop: false,
    });
    expect(cf.media.find((m) => m.kind === 'ucast')).toMatchObject({
      iface: 'eth0',
      peer: '192.168.1.2',
    });
    expect(cf.ping.map((p) => p.name)).toEqual(['10.10.10.254', 'group1']);
    expect(cf.stonith).toHaveLength(4);
    expect(cf.respawn.map((r) => r.user)).toEqual(['userid', 'hacluster']);
  });
});

describe('Debian sample haresources', () => {
  function examples(): { line: number; text: string }[] {
    return sample('haresources.gz')
      .split('\n')
      .map((raw, i) => ({ line: i + 1, raw }))
      .filter(({ raw }) => /^#[A-Za-z0-9][\w.-]*[ \t]+\S/.test(raw) && !raw.includes('...'))
      .map(({ line, raw }) => ({ line, text: raw.slice(1) }));
  }

  it('finds the commented example groups', () => {
    const found = examples().map((e) => e.text.split(/\s+/)[0]);
    expect(found.length).toBeGreaterThanOrEqual(5);
    expect(new Set(found)).toEqual(new Set(['just.linux-ha.org', 'node1']));
  });

  it.each(examples().map((e) => [e.line, e.text]))(
    'example at line %d parses: %s',
    (_line, text) => {
      const hacfDiag = new Diagnostics();
      const cf = parseHaCf(
        'node just.linux-ha.org node1\nbcast eth0\nauto_failback on\n',
        'ha.cf',
        hacfDiag,
      );
      expect(hacfDiag.errors).toEqual([]);
      const diag = new Diagnostics();
      const groups = parseHaresources(`${text}\n`, 'haresources', cf.nodes, diag);
      expect(diag.all).toEqual([]);
      expect(groups).toHaveLength(1);
      const words = text.split(/\s+/).filter(Boolean);
      expect(groups[0]?.resources.map((r) => r.text)).toEqual(words.slice(1));
      for (const resource of groups[0]?.resources ?? []) {
        if (/^\d/.test(resource.text)) expect(resource.script).toBe('IPaddr');
      }
    },
  );

  it('passes Filesystem its three arguments and keeps the broadcast form', () => {
    const diag = new Diagnostics();
    const [fs] = parseHaresources(
      'node1  10.0.0.170 Filesystem::/dev/sda1::/data1::ext2\n',
      'haresources',
      ['just.linux-ha.org', 'node1'],
      diag,
    );
    expect(fs?.resources[1]).toEqual({
      text: 'Filesystem::/dev/sda1::/data1::ext2',
      script: 'Filesystem',
      args: ['/dev/sda1', '/data1', 'ext2'],
    });
    expect(diag.all).toEqual([]);
  });

  it('accepts the IPaddr forms the sample describes in prose', () => {
    for (const form of [
      'IPaddr::135.9.8.7',
      'IPaddr::135.9.8.7/24',
      'IPaddr::135.9.8.7/24/135.9.8.210',
      'IPaddr::135.9.8.7/24/eth0',
      'IPaddr::135.9.8.7/24/eth0/135.9.8.210',
    ]) {
      const diag = new Diagnostics();
      parseHaresources(`node1 ${form}\n`, 'haresources', ['node1'], diag);
      expect(diag.all, form).toEqual([]);
    }
  });
});

describe('Debian sample authkeys', () => {
  function uncommented(): string {
    return sample('authkeys')
      .split('\n')
      .map((raw) => (/^#\S/.test(raw) ? raw.slice(1) : raw))
      .join('\n');
  }

  it('parses as shipped only to "Missing auth directive" (everything is commented out)', () => {
    const diag = new Diagnostics();
    parseAuthkeys(sample('authkeys'), 'authkeys', 0o600, diag);
    expect(diag.errors.map((e) => e.message).join()).toContain('Missing auth directive');
  });

  it('parses with its entries uncommented, warning about crc', () => {
    const diag = new Diagnostics();
    const keys = parseAuthkeys(uncommented(), 'authkeys', 0o600, diag);
    expect(diag.errors).toEqual([]);
    expect(keys?.active.index).toBe(1);
    expect(keys?.active.method).toBe('crc');
    expect([...(keys?.entries.values() ?? [])].map((e) => [e.index, e.method, e.key])).toEqual([
      [1, 'crc', ''],
      [2, 'sha1', 'HI!'],
      [3, 'md5', 'Hello!'],
    ]);
    expect(diag.warnings.some((w) => w.message.includes('crc'))).toBe(true);
    for (const d of diag.all) {
      expect(formatDiagnostic(d)).not.toContain('HI!');
      expect(formatDiagnostic(d)).not.toContain('Hello!');
    }
  });
});
