// The logger's destinations: logfile, debugfile and syslog receive what heartbeat sends them, flushed on close.
import { execa, type ResultPromise } from 'execa';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLog } from '../../src/log/logger.js';
import { waitFor } from '../helpers/wait-for.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hbts-log-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const lines = async (path: string): Promise<string[]> =>
  (await readFile(path, 'utf8')).split('\n').filter(Boolean);

describe('file destinations', () => {
  it('sends everything but debug to logfile, everything to debugfile, all flushed by close', async () => {
    const logfile = join(dir, 'ha-log');
    const debugfile = join(dir, 'ha-debug');
    const log = createLog(
      { logfile, debugfile, syslogFormat: false, debugLevel: 1, console: false },
      { pid: 4242 },
    );
    const count = 5000;
    for (let i = 0; i < count; i++) log.log('info', `record ${i}`);
    log.log('debug', 'only for the debug file');
    log.log('crit', 'last words');
    await log.close();

    const main = await lines(logfile);
    const debug = await lines(debugfile);
    expect(main).toHaveLength(count + 1);
    expect(debug).toHaveLength(count + 2);
    expect(main.some((l) => l.includes('only for the debug file'))).toBe(false);
    expect(debug).toContainEqual(expect.stringMatching(/ debug: only for the debug file$/));
    expect(main.at(-1)).toMatch(
      /^heartbeat\[4242\]: \d{4}\/\d\d\/\d\d_\d\d:\d\d:\d\d CRIT: last words$/,
    );
    expect(main[1234]).toMatch(/ info: record 1234$/);
  });

  it('drops debug records while the debug level is 0, and takes them once raised', async () => {
    const debugfile = join(dir, 'ha-debug');
    const log = createLog({ debugfile, syslogFormat: false, debugLevel: 0, console: false });
    log.log('debug', 'hidden');
    log.setDebugLevel(2);
    log.log('debug', 'shown');
    expect(log.debugLevel).toBe(2);
    await log.close();
    const text = await readFile(debugfile, 'utf8');
    expect(text).not.toContain('hidden');
    expect(text).toContain('debug: shown');
  });

  it('writes syslog-style file lines when asked (syslogmsgfmt on)', async () => {
    const logfile = join(dir, 'ha-log');
    const log = createLog(
      { logfile, syslogFormat: true, debugLevel: 0, console: false },
      { pid: 99 },
    );
    log.log('warn', 'Late heartbeat: Node beta: interval 1500 ms');
    await log.close();
    expect((await lines(logfile))[0]).toMatch(
      /^[A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d \S+ heartbeat: \[99\]: WARN: Late heartbeat: Node beta: interval 1500 ms$/,
    );
  });

  it('starts a new file on reopen after the old one was moved away', async () => {
    const logfile = join(dir, 'ha-log');
    const log = createLog({ logfile, syslogFormat: false, debugLevel: 0, console: false });
    log.log('info', 'before rotation');
    await waitFor(() => existsSync(logfile), 'log file created');
    await execa('mv', [logfile, `${logfile}.1`]);
    await log.reopen();
    log.log('info', 'after rotation');
    await log.close();
    expect(await readFile(`${logfile}.1`, 'utf8')).toContain('before rotation');
    const fresh = await readFile(logfile, 'utf8');
    expect(fresh).toContain('after rotation');
    expect(fresh).not.toContain('before rotation');
  });

  it('reports an unwritable log file once on stderr and keeps logging elsewhere', async () => {
    const debugfile = join(dir, 'ha-debug');
    const reports: string[] = [];
    const log = createLog(
      {
        logfile: join(dir, 'missing-dir', 'ha-log'),
        debugfile,
        syslogFormat: false,
        debugLevel: 0,
        console: false,
      },
      { pid: 5, reportError: (line) => reports.push(line) },
    );
    log.log('info', 'still recorded');
    log.log('info', 'and again');
    await log.close();
    expect(await readFile(debugfile, 'utf8')).toContain('and again');
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/^heartbeat\[5\]: ERROR: .*ENOENT.*missing-dir\/ha-log/);
  });
});

describe('syslog destination', () => {
  let receiver: ResultPromise | undefined;
  afterEach(() => {
    receiver?.kill();
    receiver = undefined;
  });

  it('passes records to logger with facility, severity, tag and heartbeat body, in order', async () => {
    const socket = join(dir, 'log.sock');
    receiver = execa('socat', ['-u', `UNIX-RECV:${socket}`, 'STDOUT'], {
      reject: false,
      buffer: true,
    });
    await waitFor(() => existsSync(socket), 'syslog socket bound');
    let received = '';
    receiver.stdout?.on('data', (chunk: Buffer) => (received += chunk.toString()));
    const log = createLog(
      {
        facility: 'local0',
        syslogSocket: socket,
        syslogFormat: false,
        debugLevel: 0,
        console: false,
      },
      { pid: 777 },
    );
    log.log('info', 'Configuration validated.');
    log.log('warn', 'Late heartbeat');
    log.log('crit', 'Cluster node beta returning after partition.');
    await log.close();
    await waitFor(() => received.includes('returning after partition'), 'records received');
    const records = received.split(/(?=<\d+>)/).filter(Boolean);
    expect(records).toHaveLength(3);
    // local0 = 16: info 16*8+6, warning 16*8+4, crit 16*8+2.
    expect(records[0]).toMatch(/^<134>.* heartbeat: \[777\]: info: Configuration validated\.$/);
    expect(records[1]).toMatch(/^<132>.* heartbeat: \[777\]: WARN: Late heartbeat$/);
    expect(records[2]).toMatch(/^<130>.* heartbeat: \[777\]: CRIT: Cluster node beta/);
  });
});
