// Fuzzes the decoder with 100,000 random and mutated packets: nothing throws, nothing forged verifies.
import { describe, expect, it } from 'vitest';
import { verifyPacket } from '../../src/wire/packet.js';
import { loadVectors } from './vectors.js';

const vectors = loadVectors();
const originals = new Set(vectors.map((v) => v.packet.toString('hex')));
const ROUNDS = 100_000;

/** xorshift32: a reproducible stream, seeded per run and printed so a failure can be replayed. */
function rng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

function mutate(packet: Buffer, next: () => number): Buffer {
  const bytes = Buffer.from(packet);
  const pick = (n: number): number => next() % Math.max(1, n);
  switch (pick(7)) {
    case 0: {
      // flip one bit
      const at = pick(bytes.length);
      bytes[at] = (bytes[at] ?? 0) ^ (1 << pick(8));
      return bytes;
    }
    case 1: // truncate
      return bytes.subarray(0, pick(bytes.length));
    case 2: // overwrite a byte with a framing character
      bytes[pick(bytes.length)] = ':,()=#%\n0123456789'.charCodeAt(pick(18));
      return bytes;
    case 3: // duplicate a slice
      return Buffer.concat([bytes, bytes.subarray(pick(bytes.length))]);
    case 4: // delete a slice
      return Buffer.concat([
        bytes.subarray(0, pick(bytes.length)),
        bytes.subarray(pick(bytes.length)),
      ]);
    case 5: // random bytes behind a valid start
      return Buffer.concat([
        Buffer.from(next() % 2 ? '###\n' : '>>>\n'),
        randomBytes(pick(400), next),
      ]);
    default: // entirely random
      return randomBytes(pick(600), next);
  }
}

function randomBytes(length: number, next: () => number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = next() & 0xff;
  return bytes;
}

describe('decoder fuzz', () => {
  it(`survives ${ROUNDS} random and mutated packets without accepting a forgery`, () => {
    const seed = Date.now() >>> 0;
    const next = rng(seed);
    let accepted = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const vector = vectors[next() % vectors.length];
      if (!vector) throw new Error('no vectors');
      const packet = mutate(vector.packet, next);
      let result;
      try {
        result = verifyPacket(packet, vector.keys.entries);
      } catch (error) {
        throw new Error(
          `seed ${seed} round ${round}: threw ${String(error)} on ${packet.toString('hex')}`,
          { cause: error },
        );
      }
      if (result.ok) {
        accepted++;
        expect(originals.has(packet.toString('hex')), `seed ${seed} round ${round}`).toBe(true);
      }
    }
    // Some mutations (a truncation to full length, a re-flipped bit) give back the original packet.
    expect(accepted).toBeLessThan(ROUNDS / 10);
  });
});
