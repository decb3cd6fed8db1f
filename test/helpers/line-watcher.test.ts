// The lab's line stamps are taken when a line is written, even while the lab's own event loop is
// busy: benchmarks subtract them from a probe's stamps (compare-lab once read -0.014 ms).
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LineWatcher, monoMs } from './line-watcher.js';

// Writes a line, then the monoMs() it wrote it at into a file.
const WRITER = `
const at = Number(process.hrtime.bigint()) / 1e6;
process.stdout.write('written\\n');
require('node:fs').writeFileSync(process.argv[1], String(at));
`;

/** The event loop held this long after the line was written: its arrival would be this late. */
const HELD_MS = 300;
const WRITER_DEADLINE_MS = 10_000;

describe('LineWatcher', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = '';
  });

  it('stamps a line when it is written, not when the busy event loop gets to it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hbts-stamp-'));
    const stampFile = join(dir, 'written-at');
    const watcher = new LineWatcher();
    const writer = execa(process.execPath, ['-e', WRITER, stampFile], {
      stdout: watcher.input,
      reject: false,
    });
    watcher.release();
    // Hold the event loop (as a busy lab does) until the line is out, and HELD_MS longer.
    const deadline = monoMs() + WRITER_DEADLINE_MS;
    while (!existsSync(stampFile) && monoMs() < deadline);
    const heldUntil = monoMs() + HELD_MS;
    while (monoMs() < heldUntil);
    await writer;
    await watcher.closed;

    const writtenAt = Number(readFileSync(stampFile, 'utf8'));
    expect(watcher.lines.map((l) => l.text)).toEqual(['written']);
    const [line] = watcher.lines;
    expect(line?.at).toBeGreaterThanOrEqual(writtenAt);
    expect(line?.at).toBeLessThan(writtenAt + HELD_MS / 3);
  });

  it('keeps a last line without a newline, and lines split across reads whole', async () => {
    const watcher = new LineWatcher();
    const writer = execa(
      process.execPath,
      [
        '-e',
        "process.stdout.write('one\\ntw'); setTimeout(() => process.stdout.write('o\\nthree'), 50)",
      ],
      { stdout: watcher.input, reject: false },
    );
    watcher.release();
    await writer;
    await watcher.closed;
    expect(watcher.lines.map((l) => l.text)).toEqual(['one', 'two', 'three']);
  });
});
