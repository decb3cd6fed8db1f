// Resolving ha.cf's stonith / stonith_host lines, files read as loading does, into runnable plugins.
import { existsSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Diagnostics, formatDiagnostic } from '../../src/config/diagnostics.js';
import type {
  StonithDevice,
  StonithFileDevice,
  StonithHostDevice,
} from '../../src/config/hacf/types.js';
import { readStonithFiles } from '../../src/config/stonith-files.js';
import { resolveFenceDevices, SYSTEM_PLUGIN_DIR } from '../../src/fencing/devices.js';
import { makeStonithDir, type StonithDir } from './stonith-dir.js';

const HACF = '/etc/ha.d/ha.cf';
const REAL_SSH = `${SYSTEM_PLUGIN_DIR}/ssh`;

let dir: StonithDir;

beforeEach(async () => {
  dir = await makeStonithDir();
});

afterEach(async () => {
  await dir.cleanup();
});

function host(from: string, type: string, params: string[], line = 5): StonithHostDevice {
  return { kind: 'stonith_host', from, type, params, at: { file: HACF, line } };
}

function fromFile(type: string, file: string, line = 7): StonithFileDevice {
  return { kind: 'stonith', type, file, at: { file: HACF, line } };
}

async function resolve(
  entries: StonithDevice[],
  extra: { localNode?: string; pluginDirs?: string[]; timeoutMs?: number } = {},
) {
  const diag = new Diagnostics();
  diag.readingOrder(HACF);
  const devices = await resolveFenceDevices(await readStonithFiles(entries, diag), {
    haDir: dir.haDir,
    localNode: 'alpha',
    diag,
    ...extra,
  });
  return { devices, messages: diag.all.map(formatDiagnostic) };
}

async function paramFile(name: string, text: string, mode = 0o600): Promise<string> {
  const path = join(dir.haDir, name);
  await writeFile(path, text);
  await chmod(path, mode);
  return path;
}

describe('stonith_host', () => {
  it('keeps the devices usable from this node and maps values to getconfignames in order', async () => {
    const { devices, messages } = await resolve(
      [
        host('alpha', 'external/recorder', [dir.record, 'beta,gamma', 'first', 'second'], 3),
        host('beta', 'external/not-installed-here', [], 4),
        host('*', 'external/failing', [dir.record, 'beta', 'n']),
      ],
      { localNode: 'ALPHA' },
    );
    expect(messages).toEqual([]);
    expect(devices).toEqual([
      {
        label: 'external/recorder',
        type: 'external/recorder',
        plugin: join(dir.pluginDir, 'recorder'),
        // The last name takes the rest of the line, as cluster-glue does (ssh's hostlist).
        params: { record: dir.record, hostlist: 'beta,gamma', note: 'first second' },
        at: { file: HACF, line: 3 },
      },
      expect.objectContaining({
        label: 'external/failing',
        plugin: join(dir.pluginDir, 'failing'),
      }),
    ]);
  });

  it('reports missing values with the order the plugin expects', async () => {
    const { devices, messages } = await resolve([
      host('*', 'external/recorder', [dir.record, 'beta']),
    ]);
    expect(devices).toEqual([]);
    expect(messages).toEqual([
      `${HACF}:5: stonith_host * external/recorder: missing parameter note\n` +
        '    hint: values in this order: record hostlist note',
    ]);
  });

  it('rejects values for a plugin that takes none', async () => {
    await dir.addPlugin('bare', '[ "$1" = getconfignames ] && exit 0; exit 1');
    const { messages } = await resolve([host('*', 'external/bare', ['x'])]);
    expect(messages).toEqual([
      `${HACF}:5: stonith_host * external/bare: the plugin takes no parameters, but some are given`,
    ]);
  });
});

describe('plugins', () => {
  it('accepts only external/NAME and says how to wrap other devices', async () => {
    const { messages } = await resolve([host('*', 'baytech', ['10.0.0.3', 'login', 'pw'])]);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(
      `${HACF}:5: stonith_host * baytech: only cluster-glue external plugins (external/NAME) are supported`,
    );
    expect(messages[0]).toContain(`put it in ${dir.haDir}/stonith.d/NAME and use external/NAME`);
  });

  it('lists where it looked for a missing plugin', async () => {
    const path = await paramFile('x.conf', 'ipaddr = 192.0.2.50\n');
    const { messages } = await resolve([fromFile('external/no-such-plugin', path)]);
    expect(messages).toEqual([
      `${HACF}:7: stonith external/no-such-plugin: STONITH plugin [no-such-plugin] not found in ` +
        `${dir.pluginDir}, ${SYSTEM_PLUGIN_DIR}`,
    ]);
  });

  it('refuses plugins that are not executable or writable by others', async () => {
    const lazy = await dir.addPlugin('lazy', 'exit 0', 0o644);
    const open = await dir.addPlugin('open', 'exit 0', 0o777);
    const { messages } = await resolve([
      host('*', 'external/lazy', [], 2),
      host('*', 'external/open', [], 3),
    ]);
    expect(messages).toEqual([
      `${HACF}:2: stonith_host * external/lazy: ${lazy} is not executable\n    hint: chmod 755 ${lazy}`,
      `${HACF}:3: stonith_host * external/open: ${open} is writable by group or others; ` +
        `cluster-glue refuses to run it\n    hint: chmod go-w ${open}`,
    ]);
  });

  it('reports a failing or hanging getconfignames', async () => {
    await dir.addPlugin('broken', 'echo "missing a library"; exit 2');
    await dir.addPlugin('stuck', 'sleep 1000');
    const { messages } = await resolve(
      [host('*', 'external/broken', [], 2), host('*', 'external/stuck', [], 3)],
      { timeoutMs: 300 },
    );
    expect(messages).toEqual([
      `${HACF}:2: stonith_host * external/broken: '${dir.pluginDir}/broken getconfignames' failed: ` +
        'exit code 2; last output: missing a library',
      `${HACF}:3: stonith_host * external/stuck: '${dir.pluginDir}/stuck getconfignames' failed: ` +
        'timed out after 300 ms',
    ]);
  });
});

describe('stonith TYPE FILE', () => {
  it('reads NAME = VALUE lines', async () => {
    const path = await paramFile(
      'recorder.conf',
      `# the test device\nrecord = ${dir.record}\nhostlist=beta gamma\nnote = "a;b # c"\n`,
    );
    const { devices, messages } = await resolve([fromFile('external/recorder', path)]);
    expect(messages).toEqual([]);
    expect(devices.map((d) => d.params)).toEqual([
      { record: dir.record, hostlist: 'beta gamma', note: 'a;b # c' },
    ]);
  });

  it('points at the line of unknown names and names what a required parameter lacks', async () => {
    const path = await paramFile(
      'typo.conf',
      '; ini comment\nhostlsit = beta\n\nnote = x\ncolour = blue\npasswd = se#cret\n',
    );
    const { devices, messages } = await resolve([fromFile('external/recorder', path)]);
    expect(devices).toEqual([]);
    // In line order; what is missing is reported at the last line, where it would be added.
    expect(messages).toEqual([
      `${path}:2: external/recorder has no parameter hostlsit\n    hint: did you mean hostlist?`,
      `${path}:5: external/recorder has no parameter colour\n` +
        '    hint: external/recorder takes: record hostlist note',
      `${path}:6: warning: the value of passwd stops at the first ';' or '#', which starts a comment\n` +
        '    hint: put the value in double quotes if those characters belong to it',
      `${path}:6: external/recorder has no parameter passwd\n` +
        '    hint: external/recorder takes: record hostlist note',
      `${path}:6: record is not set, and external/recorder requires it`,
      `${path}:6: hostlist is not set, and external/recorder requires it`,
    ]);
  });

  it('warns about names a plugin may need when it does not say which are required', async () => {
    await dir.addPlugin(
      'plain',
      '[ "$1" = getconfignames ] && echo ipaddr passwd && exit 0; exit 1',
    );
    const path = await paramFile('plain.conf', 'ipaddr = 192.0.2.50\n');
    const { devices, messages } = await resolve([fromFile('external/plain', path)]);
    expect(messages).toEqual([
      `${path}:1: warning: passwd is not set; external/plain may need it ` +
        '(it does not say which parameters are required)',
    ]);
    expect(devices.map((d) => d.params)).toEqual([{ ipaddr: '192.0.2.50' }]);
  });

  it("also reads heartbeat's one-line form, values in getconfignames order", async () => {
    const path = await paramFile('old.conf', `# old style\n\n${dir.record} beta  a  spaced note\n`);
    const short = await paramFile('short.conf', `${dir.record} beta\n`);
    const { devices, messages } = await resolve([
      fromFile('external/recorder', path, 7),
      fromFile('external/recorder', short, 8),
    ]);
    expect(devices.map((d) => d.params)).toEqual([
      { record: dir.record, hostlist: 'beta', note: 'a  spaced note' },
    ]);
    expect(messages).toEqual([
      `${short}:1: external/recorder: missing parameter note\n` +
        '    hint: values in this order: record hostlist note',
    ]);
  });

  it('reports a missing file at its ha.cf line and warns when others can read it', async () => {
    const open = await paramFile('open.conf', `record = ${dir.record}\nhostlist = beta\n`, 0o644);
    const { devices, messages } = await resolve([
      fromFile('external/recorder', join(dir.haDir, 'absent.conf'), 7),
      fromFile('external/recorder', open, 8),
    ]);
    expect(messages).toEqual([
      `${HACF}:7: Invalid Stonith config file [${dir.haDir}/absent.conf]: it does not exist`,
      `${open}: warning: [${open}] can be read by group or others (mode 644), and it may hold ` +
        `device passwords\n    hint: chmod 600 ${open}`,
    ]);
    expect(devices).toHaveLength(1);
  });

  it("lists each file's problems in ha.cf order, whichever step found them", async () => {
    const typo = await paramFile('typo.conf', `record = ${dir.record}\nhostlist = b\ncolour = x\n`);
    const open = await paramFile('open.conf', `record = ${dir.record}\nhostlist = beta\n`, 0o644);
    const { messages } = await resolve([
      fromFile('external/recorder', typo, 7),
      fromFile('external/recorder', open, 8),
    ]);
    // Found in this order: open.conf's mode (reading), then typo.conf's name (the plugin's check).
    expect(messages).toEqual([
      `${typo}:3: external/recorder has no parameter colour\n` +
        '    hint: external/recorder takes: record hostlist note',
      `${open}: warning: [${open}] can be read by group or others (mode 644), and it may hold ` +
        `device passwords\n    hint: chmod 600 ${open}`,
    ]);
  });
});

describe.skipIf(!existsSync(REAL_SSH))("cluster-glue's installed external/ssh", () => {
  it('resolves with its own getconfignames and getinfo-xml', async () => {
    const path = await paramFile('ssh.conf', 'hostlist = alpha beta\n');
    const typo = await paramFile('ssh-typo.conf', 'hostlist = alpha\nlive_dangerously = no\n');
    const { devices, messages } = await resolve(
      [
        host('*', 'external/ssh', ['alpha', 'beta'], 2),
        fromFile('external/ssh', path, 3),
        fromFile('external/ssh', typo, 4),
      ],
      { pluginDirs: [SYSTEM_PLUGIN_DIR] },
    );
    expect(devices.map((d) => [d.plugin, d.params])).toEqual([
      [REAL_SSH, { hostlist: 'alpha beta' }],
      [REAL_SSH, { hostlist: 'alpha beta' }],
    ]);
    // livedangerously is known from getinfo-xml, which also says it is optional.
    expect(messages).toEqual([
      `${typo}:2: external/ssh has no parameter live_dangerously\n` +
        '    hint: did you mean livedangerously?',
    ]);
  });
});
