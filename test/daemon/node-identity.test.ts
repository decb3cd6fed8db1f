// Node identity: the UUID persists, the generation grows by one per start, heartbeat's file formats.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGeneration } from '../../src/daemon/node-identity.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hbts-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('node identity', () => {
  it('creates a UUID once and starts the generation from the clock', async () => {
    const first = await startGeneration(dir, 1_700_000_000_500);
    expect(first.uuid).toHaveLength(16);
    expect(first.generation).toBe(1_700_000_001);
    expect(first.notes.join('\n')).toMatch(/generating a new uuid[\s\S]*No previous generation/);
    const second = await startGeneration(dir, 0);
    expect(Buffer.from(second.uuid).equals(Buffer.from(first.uuid))).toBe(true);
    expect(second.generation).toBe(first.generation + 1);
    expect(second.notes).toEqual([]);
  });

  it('writes hb_generation as heartbeat does: 15 right-aligned digits and a newline', async () => {
    await writeFile(join(dir, 'hb_generation'), '             41\n');
    const identity = await startGeneration(dir);
    expect(identity.generation).toBe(42);
    expect(await readFile(join(dir, 'hb_generation'), 'latin1')).toBe('             42\n');
    expect((await readFile(join(dir, 'hb_uuid'))).length).toBe(16);
  });

  it('keeps a UUID written by heartbeat (16 raw bytes)', async () => {
    const uuid = Buffer.from('6b68adefc2d1487da0b7ff26256b5674', 'hex');
    await writeFile(join(dir, 'hb_uuid'), uuid);
    const identity = await startGeneration(dir);
    expect(Buffer.from(identity.uuid).toString('hex')).toBe(uuid.toString('hex'));
  });

  it('recovers from a broken generation file by starting from the clock', async () => {
    await writeFile(join(dir, 'hb_generation'), 'garbage\n');
    const identity = await startGeneration(dir, 2_000_000_000_000);
    expect(identity.generation).toBe(2_000_000_001);
    expect(identity.notes).toContain('BROKEN previous generation - starting at 2000000001');
  });
});
