// The codec against every packet captured from heartbeat 3.0.6: decode, verify, re-encode byte for byte.
import { describe, expect, it } from 'vitest';
import { crc32Posix } from '../../src/wire/crc32.js';
import { innerAuthValue, innerSignedText } from '../../src/wire/inner-auth.js';
import { decodeNetstring } from '../../src/wire/netstring.js';
import { encodePacket, verifyPacket } from '../../src/wire/packet.js';
import { loadVectors } from './vectors.js';

const vectors = loadVectors();

describe('heartbeat 3.0.6 test vectors', () => {
  it('covers sha1, md5 and crc', () => {
    expect(vectors).toHaveLength(64);
    expect(new Set(vectors.map((v) => v.raw.method))).toEqual(new Set(['sha1', 'md5', 'crc']));
  });

  it.each(vectors.map((v) => [v.label, v] as const))('%s decodes to its fields', (_label, v) => {
    const decoded = decodeNetstring(v.packet);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.packet.fields).toEqual(v.fields);
    expect(decoded.packet.signed.length).toBe(v.raw.outer_signed_len);
    expect(`${decoded.packet.authIndex} ${decoded.packet.authDigest}`).toBe(v.raw.outer_signature);
  });

  it.each(vectors.map((v) => [v.label, v] as const))(
    '%s verifies with its authkeys',
    (_label, v) => {
      const result = verifyPacket(v.packet, v.keys.entries);
      expect(result).toMatchObject({ ok: true, keyIndex: v.keys.active.index });
    },
  );

  it.each(vectors.map((v) => [v.label, v] as const))(
    '%s re-encodes to the same bytes',
    (_label, v) => {
      const withoutAuth = v.fields.filter((f) => f.name !== 'auth');
      const innerAuth = v.raw.inner_auth !== undefined;
      if (innerAuth) {
        expect(innerSignedText(withoutAuth)).toBe(v.raw.inner_signed_text);
        expect(innerAuthValue(withoutAuth, v.keys.active)).toBe(v.raw.inner_auth);
      }
      expect(encodePacket(withoutAuth, v.keys.active, { innerAuth }).toString('hex')).toBe(
        v.packet.toString('hex'),
      );
    },
  );
});

describe('crc digest', () => {
  it('matches the CRC-32/POSIX check value without the length suffix', () => {
    expect(crc32Posix(Buffer.from('123456789')).toString(16)).toBe('765e7680');
  });
});
