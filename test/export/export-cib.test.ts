// `heartbeat export-cib` checked by Pacemaker 2.1.5's own offline tools: the CIB is well-formed,
// names its schema, passes crm_verify, and crm_simulate starts each group on its home node,
// moves it when that node fails, and brings it back or not as auto_failback said.
import { execa } from 'execa';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const EXAMPLE = new URL('../../ha.d.example', import.meta.url).pathname;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'hbts-cib-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A configuration directory with these ha.cf lines and haresources, and what else it needs. */
function configDir(name: string, hacf: string[], haresources: string[]): string {
  const dir = join(work, name);
  mkdirSync(join(dir, 'resource.d'), { recursive: true });
  writeFileSync(join(dir, 'ha.cf'), [...hacf, 'logfile /dev/null', ''].join('\n'));
  writeFileSync(join(dir, 'haresources'), `${haresources.join('\n')}\n`);
  writeFileSync(join(dir, 'resource.d', 'myapp'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(dir, 'resource.d', 'myapp'), 0o755);
  // A STONITH plugin that names its one parameter, as cluster-glue plugins do.
  mkdirSync(join(dir, 'stonith.d'));
  const plugin = join(dir, 'stonith.d', 'labswitch');
  writeFileSync(plugin, '#!/bin/sh\n[ "$1" = getconfignames ] && echo hostlist\nexit 0\n');
  chmodSync(plugin, 0o755);
  return dir;
}

/** Exports DIR, checks what Pacemaker's tools say of it, and returns the CIB's path and text. */
async function exported(
  dir: string,
  extra: string[] = [],
): Promise<{ file: string; xml: string; err: string }> {
  const run = await runCli(['export-cib', '-d', dir, ...extra]);
  expect(run.code, run.err).toBe(0);
  const file = join(work, `${dir.split('/').at(-1) ?? 'cib'}.xml`);
  await writeFile(file, run.out);
  // crm_verify accepts a truncated file or one without a schema: those are checked here.
  const wellFormed = await execa('xmllint', ['--noout', file], { reject: false });
  expect(wellFormed.exitCode, wellFormed.stderr).toBe(0);
  expect(run.out).toMatch(/<cib validate-with="pacemaker-3\.\d+"/);
  if (run.out.includes('name="stonith-enabled" value="true"')) {
    // Nodes never seen are fenced first (startup-fencing), as heartbeat fenced a peer it did not
    // hear within initdead: crm_verify warns of that (exit 78), and of nothing else.
    const verbose = await execa('crm_verify', ['--xml-file', file, '-VVV'], { reject: false });
    const warnings = [...verbose.stderr.matchAll(/\) \s*(?:warning|error): (.*)$/gm)].map(
      (m) => m[1],
    );
    expect(warnings).toEqual([
      'Scheduling node alpha for fencing',
      'Scheduling node beta for fencing',
    ]);
  } else await expectVerified(file);
  return { file, xml: run.out, err: run.err };
}

async function expectVerified(file: string): Promise<void> {
  const verify = await execa('crm_verify', ['--xml-file', file, '-V'], { reject: false });
  expect(verify.exitCode, verify.stdout + verify.stderr).toBe(0);
}

/** crm_simulate from FILE with node changes; where each resource runs after, and the result file. */
async function simulate(
  file: string,
  changes: string[],
  step: string,
): Promise<{ file: string; where: Map<string, string> }> {
  const out = join(work, `${step}.xml`);
  const run = await execa('crm_simulate', ['-x', file, '-S', ...changes, '-O', out], {
    reject: false,
  });
  expect(run.exitCode, run.stderr).toBe(0);
  const revised = run.stdout.slice(run.stdout.indexOf('Revised Cluster Status'));
  expect(revised).not.toBe('');
  // The cluster as it is after the step (nodes seen, resources placed) is valid as it stands.
  await expectVerified(out);
  const where = new Map<string, string>();
  for (const [, id = '', node = ''] of revised.matchAll(/\* (\S+)\s+\([^)]*\):\s+Started (\S+)/g))
    where.set(id, node);
  return { file: out, where };
}

/** Sets the ping agent's attribute on nodes of a simulated CIB, then simulates what follows. */
async function withPingd(
  file: string,
  values: Record<string, number>,
  step: string,
): Promise<{ file: string; where: Map<string, string> }> {
  for (const [node, value] of Object.entries(values)) {
    const set = await execa(
      'crm_attribute',
      ['--node', node, '--name', 'pingd', '--update', String(value), '--lifetime', 'reboot'],
      { env: { CIB_file: file }, reject: false },
    );
    expect(set.exitCode, set.stderr).toBe(0);
  }
  return simulate(file, [], step);
}

describe('heartbeat export-cib', () => {
  it('exports ha.d.example: a group on alpha that fails over to beta and comes back (auto_failback on)', async () => {
    const { file, xml, err } = await exported(EXAMPLE);
    expect(xml).toContain(
      '<nvpair id="rsc-options-resource-stickiness" name="resource-stickiness" value="0"/>',
    );
    expect(err).toContain('warning: no STONITH device is configured');
    const ids = ['ip_203.0.113.10', 'ip_198.51.100.1', 'haproxy'];
    const started = await simulate(file, ['-u', 'alpha', '-u', 'beta'], 'example-start');
    expect(ids.map((id) => started.where.get(id))).toEqual(['alpha', 'alpha', 'alpha']);
    const failed = await simulate(started.file, ['-d', 'alpha'], 'example-failed');
    expect(ids.map((id) => failed.where.get(id))).toEqual(['beta', 'beta', 'beta']);
    const back = await simulate(failed.file, ['-u', 'alpha'], 'example-back');
    expect(ids.map((id) => back.where.get(id))).toEqual(['alpha', 'alpha', 'alpha']);
  });

  it('writes a corosync.conf beside it: knet by name on the first interface, the others listed', async () => {
    const conf = join(work, 'example-corosync.conf');
    const run = await runCli(['export-cib', '-d', EXAMPLE, '--corosync', conf]);
    expect(run.code, run.err).toBe(0);
    const text = readFileSync(conf, 'utf8');
    expect(text).toMatch(
      /nodelist \{\n {4}node \{\n {8}name: alpha\n {8}nodeid: 1\n {8}ring0_addr: alpha\n/,
    );
    expect(text).toContain('    token: 3000\n');
    expect(text).toContain('    two_node: 1\n');
    // ha.d.example heartbeats on eth1 (bcast) and eth0 (ucast): eth0 would be a second link.
    expect(run.err).toContain(
      `${EXAMPLE}/ha.cf:34: not translated: ucast eth0: a second knet link needs each node's address on eth0 (add ring1_addr to both nodes in corosync.conf)`,
    );
    expect(run.err.match(/ucast eth0: a second knet link/g)).toHaveLength(1);
    const unwritable = await runCli([
      'export-cib',
      '-d',
      EXAMPLE,
      '--corosync',
      '/nonexistent/dir/c.conf',
    ]);
    expect(unwritable.code).toBe(1);
    expect(unwritable.err).toMatch(
      /^export-cib: cannot write \/nonexistent\/dir\/c\.conf: ENOENT/m,
    );
  });

  it('maps every kind of resource, a STONITH device, and auto_failback off (the group stays)', async () => {
    const stonithFile = join(work, 'ipmi.cfg');
    writeFileSync(
      stonithFile,
      'hostname = alpha\nipaddr = 192.0.2.50\nuserid = admin\npasswd = s3cret\n',
    );
    chmodSync(stonithFile, 0o600);
    const dir = configDir(
      'mapping',
      [
        'node alpha beta',
        'bcast eth0',
        'auto_failback off',
        `stonith external/ipmi ${stonithFile}`,
        'stonith_host alpha external/labswitch beta',
      ],
      [
        'alpha 192.0.2.10/24/eth0:web/192.0.2.255 SendArp::192.0.2.10/eth0 myapp heartbeat',
        'beta IPaddr2::198.51.100.20/24/eth1',
      ],
    );
    writeFileSync(
      join(dir, 'timeouts.ini'),
      '[defaults]\nstart = 90s\n[myapp]\nstop = 1500ms\nmonitor = 5s\nmigration_threshold = 2\nfailure_timeout = 10m\n',
    );
    const { file, xml, err } = await exported(dir);
    const nvpairs = (id: string): string[] =>
      [
        ...xml.matchAll(
          new RegExp(
            `<nvpair id="${id.replaceAll('.', '\\.')}-[^"]+" name="([^"]+)" value="([^"]*)"/>`,
            'g',
          ),
        ),
      ].map(([, name, value]) => `${name}=${value}`);
    expect(xml).toContain(
      '<primitive id="ip_192.0.2.10" class="ocf" provider="heartbeat" type="IPaddr2">',
    );
    expect(nvpairs('ip_192.0.2.10')).toEqual([
      'ip=192.0.2.10',
      'cidr_netmask=24',
      'nic=eth0',
      'iflabel=web',
      'broadcast=192.0.2.255',
    ]);
    expect(xml).toContain(
      '<primitive id="arp_192.0.2.10" class="ocf" provider="heartbeat" type="SendArp">',
    );
    expect(nvpairs('arp_192.0.2.10')).toEqual(['ip=192.0.2.10', 'nic=eth0']);
    // Pacemaker 2.1 has no heartbeat class: a resource.d script runs as lsb by its path.
    expect(xml).toContain(`<primitive id="myapp" class="lsb" type="${dir}/resource.d/myapp">`);
    // timeouts.ini: operation timeouts for every resource, a monitor and failure settings for some.
    const ops = (id: string): string[] =>
      [
        ...xml.matchAll(
          new RegExp(
            `<op id="${id.replaceAll('.', '\\.')}-[^"]+" name="(\\w+)" interval="(\\w+)" timeout="(\\w+)"/>`,
            'g',
          ),
        ),
      ].map(([, name, interval, timeout]) => `${name} ${interval} ${timeout}`);
    expect(ops('myapp')).toEqual(['start 0s 90s', 'stop 0s 1500ms', 'monitor 5s 20s']);
    expect(nvpairs('myapp-meta_attributes')).toEqual([
      'migration-threshold=2',
      'failure-timeout=600s',
    ]);
    expect(ops('heartbeat')).toEqual(['start 0s 90s', 'stop 0s 60s']);
    expect(xml).not.toContain('heartbeat-meta_attributes');
    expect(xml).toContain('<primitive id="heartbeat" class="lsb" type="heartbeat">');
    // A line of one resource is a primitive, located by itself.
    expect(xml).toContain(
      '<rsc_location id="loc_ip_198.51.100.20" rsc="ip_198.51.100.20" node="beta" score="100"/>',
    );
    expect(xml).toContain('name="stonith-enabled" value="true"');
    expect(xml).toContain('<primitive id="fence_ipmi" class="stonith" type="external/ipmi">');
    expect(nvpairs('fence_ipmi')).toEqual([
      'hostname=alpha',
      'ipaddr=192.0.2.50',
      'userid=admin',
      'passwd=CHANGE-ME',
    ]);
    expect(xml).not.toContain('s3cret');
    // Positional parameters named by the plugin; a device for alpha alone is kept off beta.
    expect(xml).toContain(
      '<primitive id="fence_labswitch" class="stonith" type="external/labswitch">',
    );
    expect(nvpairs('fence_labswitch')).toEqual(['hostlist=beta']);
    expect(xml).toContain(
      '<rsc_location id="loc_fence_labswitch_not_beta" rsc="fence_labswitch" node="beta" score="-INFINITY"/>',
    );
    expect(err).toContain('secret parameters written as CHANGE-ME');
    expect(xml).toContain('name="resource-stickiness" value="200"');
    const shown = await runCli(['export-cib', '-d', dir, '--show-secrets']);
    expect(shown.out).toContain('name="passwd" value="s3cret"');

    const group = ['ip_192.0.2.10', 'arp_192.0.2.10', 'myapp', 'heartbeat'];
    const started = await simulate(file, ['-u', 'alpha', '-u', 'beta'], 'mapping-start');
    expect(group.map((id) => started.where.get(id))).toEqual(['alpha', 'alpha', 'alpha', 'alpha']);
    expect(started.where.get('ip_198.51.100.20')).toBe('beta');
    const failed = await simulate(started.file, ['-d', 'alpha'], 'mapping-failed');
    expect(group.map((id) => failed.where.get(id))).toEqual(['beta', 'beta', 'beta', 'beta']);
    const back = await simulate(failed.file, ['-u', 'alpha'], 'mapping-back');
    expect(group.map((id) => back.where.get(id))).toEqual(['beta', 'beta', 'beta', 'beta']);
  });

  it('keeps groups off a node that reaches none of the ping nodes (ping, ping_group, ipfail)', async () => {
    const dir = configDir(
      'ping',
      [
        'node alpha beta',
        'bcast eth0',
        'auto_failback on',
        'deadping 8',
        'ping 192.0.2.1',
        'ping_group uplinks 192.0.2.2 192.0.2.3',
        'respawn hacluster /usr/lib/heartbeat/ipfail',
      ],
      ['alpha 192.0.2.10/24'],
    );
    const { file, xml } = await exported(dir);
    expect(xml).toContain('<primitive id="ping" class="ocf" provider="pacemaker" type="ping">');
    expect(xml).toContain('name="host_list" value="192.0.2.1 192.0.2.2 192.0.2.3"');
    expect(xml).toContain('name="dampen" value="8s"');
    // Both nodes up, no connectivity known yet: the group waits.
    const up = await simulate(file, ['-u', 'alpha', '-u', 'beta'], 'ping-up');
    expect(up.where.get('ip_192.0.2.10')).toBeUndefined();
    const connected = await withPingd(up.file, { alpha: 1000, beta: 1000 }, 'ping-connected');
    expect(connected.where.get('ip_192.0.2.10')).toBe('alpha');
    const alphaCut = await withPingd(connected.file, { alpha: 0 }, 'ping-alpha-cut');
    expect(alphaCut.where.get('ip_192.0.2.10')).toBe('beta');
  });

  it('exports a load-balancer pair: a VIP and its balancer on each node, each staying put (auto_failback off)', async () => {
    const dir = configDir(
      'balancer',
      [
        'node alpha beta',
        'bcast eth0',
        'ucast eth1 198.51.100.2',
        'auto_failback off',
        'ping 203.0.113.1',
        'respawn hacluster /usr/lib/heartbeat/ipfail',
      ],
      ['alpha 203.0.113.10/24/eth0 myapp', 'beta IPaddr2::203.0.113.11/24/eth0 heartbeat'],
    );
    const { file } = await exported(dir);
    const groups = ['ip_203.0.113.10', 'myapp', 'ip_203.0.113.11', 'heartbeat'];
    const up = await simulate(file, ['-u', 'alpha', '-u', 'beta'], 'balancer-up');
    const connected = await withPingd(up.file, { alpha: 1000, beta: 1000 }, 'balancer-connected');
    expect(groups.map((id) => connected.where.get(id))).toEqual(['alpha', 'alpha', 'beta', 'beta']);
    const alphaDown = await simulate(connected.file, ['-d', 'alpha'], 'balancer-alpha-down');
    expect(groups.map((id) => alphaDown.where.get(id))).toEqual(['beta', 'beta', 'beta', 'beta']);
    const alphaBack = await simulate(alphaDown.file, ['-u', 'alpha'], 'balancer-alpha-back');
    const again = await withPingd(alphaBack.file, { alpha: 1000 }, 'balancer-alpha-connected');
    expect(groups.map((id) => again.where.get(id))).toEqual(['beta', 'beta', 'beta', 'beta']);
  });

  it('lists what it cannot carry over with FILE:LINE, and refuses a broken configuration (exit 6)', async () => {
    const dir = configDir(
      'untranslated',
      [
        'node alpha beta',
        'bcast eth0',
        'auto_failback on',
        'stonith_host * external/nosuch alpha beta',
        'respawn root /usr/sbin/mydaemon -f',
      ],
      ['alpha 192.0.2.10/24 nosuchscript::arg myapp::one::two'],
    );
    const { file, err } = await exported(dir);
    // What did carry over still runs: the group, its unknown script written as lsb, on alpha.
    const started = await simulate(file, ['-u', 'alpha', '-u', 'beta'], 'untranslated-start');
    expect(
      ['ip_192.0.2.10', 'nosuchscript_arg', 'myapp_one_two'].map((id) => started.where.get(id)),
    ).toEqual(['alpha', 'alpha', 'alpha']);
    expect(err).toContain(
      `${dir}/ha.cf:4: not translated: stonith_host * external/nosuch: its parameters are positional, and naming them failed: STONITH plugin [nosuch] not found`,
    );
    expect(err).toContain(
      `${dir}/ha.cf:5: not translated: respawn root /usr/sbin/mydaemon -f: Pacemaker respawns no programs`,
    );
    expect(err).toContain(
      `${dir}/haresources:1: not translated: nosuchscript::arg: written as lsb:nosuchscript; lsb passes no arguments, so arg cannot be given (wrap the call in a script, or use an OCF agent); nosuchscript is in neither resource.d nor /etc/init.d here`,
    );
    expect(err).toContain(
      `${dir}/haresources:1: not translated: myapp::one::two: written as lsb:${dir}/resource.d/myapp; lsb passes no arguments, so one two cannot be given`,
    );
    const broken = configDir(
      'broken',
      ['node alpha beta', 'bcast eth0', 'deadtime 1', 'keepalive 2'],
      [],
    );
    const run = await runCli(['export-cib', '-d', broken]);
    expect(run.code).toBe(6);
    expect(run.out).toBe('');
    expect(run.err).toMatch(/ha\.cf:\d+: .*deadtime/);
  });
});
