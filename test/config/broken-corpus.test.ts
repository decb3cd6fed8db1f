// A corpus of broken ha.cf, authkeys and haresources files, each checked for its FILE:LINE error.
import { afterAll, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/config/diagnostics.js';
import { loadConfig } from '../../src/config/load.js';
import { makeConfigDir, type ConfigDir, type ConfigFiles } from '../helpers/config-dir.js';

type FileName = 'ha.cf' | 'authkeys' | 'haresources';

interface BrokenCase {
  readonly file: FileName;
  readonly content: string;
  readonly line: number;
  readonly message: string;
}

/** Valid files; a case replaces one. Lines 1-4 of ha.cf, 1-2 of authkeys, 1 of haresources. */
const HACF = 'node alpha beta\nucast lo 127.0.0.1\nauto_failback on\nlogfile /var/log/ha-log\n';
const AUTHKEYS = 'auth 1\n1 sha1 corpus-secret\n';
const HARESOURCES = 'alpha 192.0.2.10/24 httpd\n';

const hacf = (...lines: string[]): string => HACF + lines.map((l) => `${l}\n`).join('');
const auth = (...lines: string[]): string => AUTHKEYS + lines.map((l) => `${l}\n`).join('');
const res = (...lines: string[]): string => HARESOURCES + lines.map((l) => `${l}\n`).join('');

const CASES: BrokenCase[] = [
  // ha.cf: values
  {
    file: 'ha.cf',
    content: hacf('keepalive 0'),
    line: 5,
    message: 'keepalive must be more than 0',
  },
  { file: 'ha.cf', content: hacf('keepalive 2x'), line: 5, message: '"2x" is not a time' },
  { file: 'ha.cf', content: hacf('keepalive 10sec'), line: 5, message: '"10sec" is not a time' },
  { file: 'ha.cf', content: hacf('keepalive 5 ms'), line: 5, message: 'keepalive takes one value' },
  { file: 'ha.cf', content: hacf('deadtime -1'), line: 5, message: '"-1" is not a time' },
  { file: 'ha.cf', content: hacf('warntime 0'), line: 5, message: 'warntime must be more than 0' },
  { file: 'ha.cf', content: hacf('initdead soon'), line: 5, message: '"soon" is not a time' },
  { file: 'ha.cf', content: hacf('deadtime 2'), line: 5, message: 'must exceed 2 x keepalive' },
  {
    file: 'ha.cf',
    content: hacf('keepalive 2', 'deadtime 4'),
    line: 6,
    message: 'must exceed 2 x keepalive',
  },
  { file: 'ha.cf', content: hacf('keepalive 15'), line: 5, message: 'must exceed 2 x keepalive' },
  { file: 'ha.cf', content: hacf('warntime 40'), line: 5, message: 'less than deadtime' },
  {
    file: 'ha.cf',
    content: hacf('deadtime 20', 'initdead 15'),
    line: 6,
    message: 'is smaller than deadtime',
  },
  { file: 'ha.cf', content: hacf('udpport 0'), line: 5, message: 'udpport "0"' },
  { file: 'ha.cf', content: hacf('udpport 65536'), line: 5, message: 'udpport "65536"' },
  { file: 'ha.cf', content: hacf('udpport ha-cluster'), line: 5, message: 'udpport "ha-cluster"' },
  { file: 'ha.cf', content: hacf('hopfudge 256'), line: 5, message: 'hopfudge "256"' },
  { file: 'ha.cf', content: hacf('debug 256'), line: 5, message: 'debug "256"' },
  { file: 'ha.cf', content: hacf('msgfmt Classic'), line: 5, message: 'msgfmt "Classic"' },
  { file: 'ha.cf', content: hacf('syslogmsgfmt maybe'), line: 5, message: 'syslogmsgfmt "maybe"' },
  {
    file: 'ha.cf',
    content: hacf('auto_failback maybe'),
    line: 5,
    message: 'auto_failback "maybe"',
  },
  { file: 'ha.cf', content: hacf('nice_failback perhaps'), line: 5, message: '"perhaps"' },
  { file: 'ha.cf', content: hacf('crm on'), line: 5, message: 'CRM/Pacemaker' },
  { file: 'ha.cf', content: hacf('pacemaker respawn'), line: 5, message: 'CRM/Pacemaker' },
  { file: 'ha.cf', content: hacf('autojoin any'), line: 5, message: 'autojoin any' },
  // ha.cf: media
  { file: 'ha.cf', content: hacf('bcast'), line: 5, message: 'bcast needs' },
  { file: 'ha.cf', content: hacf('udp'), line: 5, message: 'udp needs' },
  { file: 'ha.cf', content: hacf('bcast eth0/1'), line: 5, message: '"eth0/1"' },
  { file: 'ha.cf', content: hacf('mcast'), line: 5, message: 'missing interface' },
  { file: 'ha.cf', content: hacf('mcast lo 239.0.0.1 694 1'), line: 5, message: 'missing loop' },
  {
    file: 'ha.cf',
    content: hacf('mcast lo 10.0.0.1 694 1 0'),
    line: 5,
    message: 'mcast [lo] bad addr [10.0.0.1]',
  },
  {
    file: 'ha.cf',
    content: hacf('mcast lo 240.0.0.1 694 1 0'),
    line: 5,
    message: 'bad addr [240.0.0.1]',
  },
  { file: 'ha.cf', content: hacf('mcast lo 239.0.0.1 0 1 0'), line: 5, message: 'bad port [0]' },
  {
    file: 'ha.cf',
    content: hacf('mcast lo 239.0.0.1 70000 1 0'),
    line: 5,
    message: 'bad port [70000]',
  },
  { file: 'ha.cf', content: hacf('mcast lo 239.0.0.1 694 0 0'), line: 5, message: 'bad ttl [0]' },
  {
    file: 'ha.cf',
    content: hacf('mcast lo 239.0.0.1 694 256 0'),
    line: 5,
    message: 'bad ttl [256]',
  },
  { file: 'ha.cf', content: hacf('mcast lo 239.0.0.1 694 1 2'), line: 5, message: 'bad loop [2]' },
  { file: 'ha.cf', content: hacf('ucast lo'), line: 5, message: 'missing target' },
  {
    file: 'ha.cf',
    content: hacf('ucast lo peer.example.com'),
    line: 5,
    message: 'peer.example.com',
  },
  { file: 'ha.cf', content: hacf('ucast lo 224.0.0.1'), line: 5, message: '224.0.0.1' },
  { file: 'ha.cf', content: hacf('ucast lo 10.0.0.300'), line: 5, message: '10.0.0.300' },
  // ha.cf: logging, membership, processes
  { file: 'ha.cf', content: hacf('logfile var/log/ha-log'), line: 5, message: 'absolute path' },
  { file: 'ha.cf', content: hacf('debugfile ha-debug'), line: 5, message: '"ha-debug"' },
  {
    file: 'ha.cf',
    content: hacf('logfacility local8'),
    line: 5,
    message: 'Log facility(local8) not valid',
  },
  {
    file: 'ha.cf',
    content: hacf('logfacility LOCAL0'),
    line: 5,
    message: 'Log facility(LOCAL0) not valid',
  },
  { file: 'ha.cf', content: hacf('node bad/name'), line: 5, message: 'bad/name' },
  { file: 'ha.cf', content: hacf('node gamma'), line: 5, message: '3 nodes' },
  { file: 'ha.cf', content: hacf('ping'), line: 5, message: 'ping needs' },
  { file: 'ha.cf', content: hacf('ping router/1'), line: 5, message: '"router/1"' },
  { file: 'ha.cf', content: hacf('ping_group grp'), line: 5, message: 'ping_group needs' },
  {
    file: 'ha.cf',
    content: hacf('ping 192.0.2.254', 'deadping 2'),
    line: 6,
    message: 'deadping 2s',
  },
  { file: 'ha.cf', content: hacf('stonith'), line: 5, message: 'No Stonith type given' },
  {
    file: 'ha.cf',
    content: hacf('stonith baytech stonith.cfg'),
    line: 5,
    message: 'Invalid Stonith config file [stonith.cfg]',
  },
  {
    file: 'ha.cf',
    content: hacf('stonith_host'),
    line: 5,
    message: 'No Stonith hostname argument given',
  },
  {
    file: 'ha.cf',
    content: hacf('stonith_host gamma baytech 10.0.0.3 login pw'),
    line: 5,
    message: 'stonith_host gamma',
  },
  { file: 'ha.cf', content: hacf('respawn hacluster'), line: 5, message: 'respawn needs' },
  {
    file: 'ha.cf',
    content: hacf('respawn hacluster ipfail'),
    line: 5,
    message: 'Client child command [ipfail] is not full pathname',
  },
  // ha.cf: names
  {
    file: 'ha.cf',
    content: hacf('keepalived 2'),
    line: 5,
    message: 'Illegal directive [keepalived]',
  },
  { file: 'ha.cf', content: hacf('Node alpha'), line: 5, message: 'Illegal directive [Node]' },
  {
    file: 'ha.cf',
    content: hacf('keepalive,2'),
    line: 5,
    message: 'Illegal directive [keepalive,2]',
  },
  {
    file: 'ha.cf',
    content: hacf('normalpoll on'),
    line: 5,
    message: 'Illegal directive [normalpoll]',
  },
  {
    file: 'ha.cf',
    content: `# comment\n\n\tlogdaemon yes  # not a directive\n${HACF}`,
    line: 3,
    message: 'Illegal directive [logdaemon]',
  },
  {
    file: 'ha.cf',
    content: `${HACF}\r\n# CRLF\r\ndebug_level 1\r\n`,
    line: 7,
    message: 'Illegal directive [debug_level]',
  },
  // authkeys
  { file: 'authkeys', content: 'auth\n1 sha1 k\n', line: 1, message: 'Invalid auth line' },
  {
    file: 'authkeys',
    content: '# keys\nauth x\n1 sha1 k\n',
    line: 2,
    message: 'Invalid auth line',
  },
  { file: 'authkeys', content: auth('16 sha1 k2'), line: 3, message: 'Invalid authnum [16]' },
  { file: 'authkeys', content: auth('2 sha256 k2'), line: 3, message: 'Invalid authtype [sha256]' },
  { file: 'authkeys', content: auth('2 SHA1 k2'), line: 3, message: 'Invalid authtype [SHA1]' },
  {
    file: 'authkeys',
    content: 'auth 1\n\n1 sha1\n',
    line: 3,
    message: 'Auth method [sha1] requires a key',
  },
  {
    file: 'authkeys',
    content: 'auth 1\n1 md5\n',
    line: 2,
    message: 'Auth method [md5] requires a key',
  },
  { file: 'authkeys', content: auth('one sha1 k2'), line: 3, message: 'is invalid' },
  { file: 'authkeys', content: auth('3'), line: 3, message: 'is invalid' },
  {
    file: 'authkeys',
    content: '# keys\nauth 4\n1 sha1 k\n',
    line: 2,
    message: 'Auth Key [4] not found in keyfile',
  },
  // haresources
  { file: 'haresources', content: 'gamma 192.0.2.10\n', line: 1, message: 'Bad nodename' },
  {
    file: 'haresources',
    content: '# groups\n\nalpha 192.0.2.10\nDelta 192.0.2.11\n',
    line: 4,
    message: 'Bad nodename in haresources [Delta]',
  },
  { file: 'haresources', content: res('beta'), line: 2, message: 'no resources' },
  { file: 'haresources', content: 'alpha 192.0.2.300\n', line: 1, message: '"192.0.2.300"' },
  { file: 'haresources', content: 'alpha 192.0.2.10/33\n', line: 1, message: 'netmask "33"' },
  { file: 'haresources', content: 'alpha 192.0.2.10/0\n', line: 1, message: 'netmask "0"' },
  {
    file: 'haresources',
    content: 'alpha 192.0.2.10/24/eth0/192.0.2.999\n',
    line: 1,
    message: 'broadcast "192.0.2.999"',
  },
  {
    file: 'haresources',
    content: 'alpha 192.0.2.10/24/0eth\n',
    line: 1,
    message: 'broadcast "0eth"',
  },
  {
    file: 'haresources',
    content: 'alpha IPaddr::192.0.2.10::eth0\n',
    line: 1,
    message: 'takes one argument',
  },
  { file: 'haresources', content: 'alpha IPaddr\n', line: 1, message: 'needs an address' },
  { file: 'haresources', content: 'alpha IPaddr2::vip.example\n', line: 1, message: 'vip.example' },
  { file: 'haresources', content: 'alpha 224.0.0.5\n', line: 1, message: 'service address' },
  {
    file: 'haresources',
    content: res('beta 192.0.2.20 httpd::'),
    line: 2,
    message: 'empty argument',
  },
  {
    file: 'haresources',
    content: res('beta 192.0.2.20 ../bin/sh'),
    line: 2,
    message: 'not a resource script name',
  },
  {
    file: 'haresources',
    content: res('beta 192.0.2.10/24 httpd'),
    line: 2,
    message: 'already defined at line 1',
  },
  {
    file: 'haresources',
    content: res('beta IPaddr2::192.0.2.10/24'),
    line: 2,
    message: 'already managed at line 1',
  },
  {
    file: 'haresources',
    content: '# c\nalpha 192.0.2.11 \\\n  httpd\ngamma 192.0.2.12\n',
    line: 4,
    message: 'Bad nodename in haresources [gamma]',
  },
  {
    file: 'haresources',
    content: '\nalpha 192.0.2.10 \\\n  192.0.2.300 \\\n  httpd\n',
    line: 2,
    message: '"192.0.2.300"',
  },
];

const FILE_KEY: Record<FileName, keyof ConfigFiles> = {
  'ha.cf': 'hacf',
  authkeys: 'authkeys',
  haresources: 'haresources',
};

const dirs: ConfigDir[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((d) => d.cleanup()));
});

/** A valid directory (node alpha) with some files replaced. */
async function directory(files: ConfigFiles = {}): Promise<string> {
  const made = await makeConfigDir({
    hacf: HACF,
    authkeys: AUTHKEYS,
    haresources: HARESOURCES,
    ...files,
  });
  dirs.push(made);
  return made.dir;
}

describe('broken configuration corpus', () => {
  it('has at least 60 cases, spread over the three files', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    for (const file of ['ha.cf', 'authkeys', 'haresources'] as const) {
      expect(CASES.filter((c) => c.file === file).length).toBeGreaterThanOrEqual(10);
    }
  });

  it('starts from a directory that loads without errors', async () => {
    const dir = await directory();
    const loaded = await loadConfig({ dir });
    expect(loaded.diagnostics.errors).toEqual([]);
    expect(loaded.config).toBeDefined();
  });

  it.each(CASES.map((c) => [c.file, JSON.stringify(c.content.split('\n').at(c.line - 1)), c]))(
    '%s line %s',
    async (_file, _shown, c) => {
      const dir = await directory({ [FILE_KEY[c.file]]: c.content });
      const path = `${dir}/${c.file}`;
      const loaded = await loadConfig({ dir });
      expect(loaded.config).toBeUndefined();
      const matching = loaded.diagnostics.all.filter(
        (d) => d.file === path && d.message.includes(c.message),
      );
      expect(matching, JSON.stringify(loaded.diagnostics.all, null, 1)).toHaveLength(1);
      const [d] = matching;
      expect(d?.severity).toBe('error');
      expect(d?.line).toBe(c.line);
      const rendered = d ? formatDiagnostic(d) : '';
      expect(rendered.startsWith(`${path}:${c.line}: `)).toBe(true);
      expect(rendered.split('\n')[0]).toContain(c.message);
      expect(rendered).not.toContain('warning:');
    },
  );

  it('reports all errors of several broken files together', async () => {
    const dir = await directory({
      hacf: hacf('keepalive 0', 'bcast', 'foo 1'),
      authkeys: auth('16 sha1 x', '2 rot13 y'),
      haresources: res('gamma 192.0.2.11', 'beta 192.0.2.12/40'),
    });
    const loaded = await loadConfig({ dir });
    expect(loaded.config).toBeUndefined();
    const rendered = loaded.diagnostics.errors.map((d) => formatDiagnostic(d).split('\n')[0]);
    const places = rendered.map((r) => r?.slice(dir.length + 1).split(': ')[0]).sort();
    expect(places).toEqual([
      'authkeys:3',
      'authkeys:4',
      'ha.cf:5',
      'ha.cf:6',
      'ha.cf:7',
      'haresources:2',
      'haresources:3',
    ]);
  });
});
