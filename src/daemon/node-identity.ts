// The node's persistent identity: a 16-byte UUID and a generation that grows on every start.
// Same files and formats as heartbeat (hb_uuid, hb_generation), so a migrated node keeps both.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface NodeIdentity {
  readonly uuid: Uint8Array;
  /** This run's generation: one more than the last run's. */
  readonly generation: number;
  /** What went on, for the log: a new UUID, a missing or broken generation file. */
  readonly notes: string[];
}

export const DEFAULT_STATE_DIR = '/var/lib/heartbeat';
const UUID_FILE = 'hb_uuid';
const GENERATION_FILE = 'hb_generation';
const UUID_BYTES = 16;

/** Reads (or creates) the UUID and advances the generation, written atomically and synced. */
export async function startGeneration(stateDir: string, now = Date.now()): Promise<NodeIdentity> {
  await mkdir(stateDir, { recursive: true, mode: 0o755 });
  const notes: string[] = [];
  let uuid = await readOptional(join(stateDir, UUID_FILE));
  if (uuid?.length !== UUID_BYTES) {
    uuid = randomBytes(UUID_BYTES);
    notes.push('No uuid found for current node - generating a new uuid.');
    await writeAtomically(join(stateDir, UUID_FILE), uuid);
  }
  const text = (await readOptional(join(stateDir, GENERATION_FILE)))?.toString('latin1');
  // Without a record, start from the clock so the peer never sees a lower generation (a replay).
  const fromClock = Math.floor(now / 1000);
  let previous = text === undefined ? undefined : parseGeneration(text);
  if (previous === undefined) {
    notes.push(
      `${text === undefined ? 'No' : 'BROKEN'} previous generation - starting at ${fromClock + 1}`,
    );
    previous = fromClock;
  }
  const generation = previous + 1;
  await writeAtomically(
    join(stateDir, GENERATION_FILE),
    Buffer.from(`${String(generation).padStart(15)}\n`),
  );
  return { uuid: Uint8Array.from(uuid), generation, notes };
}

function parseGeneration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,15}$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Write to a temporary file, fsync it, rename over the target, fsync the directory. */
export async function writeAtomically(path: string, data: Uint8Array): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}`;
  const file = await open(temporary, 'w', 0o644);
  try {
    await file.writeFile(data);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
