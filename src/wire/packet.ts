// Signs outgoing packets and verifies incoming ones with the authkeys entry each names.
import { timingSafeEqual } from 'node:crypto';
import type { AuthEntry } from '../config/authkeys.js';
import { digest } from './digest.js';
import { innerAuthValue, innerSignedText } from './inner-auth.js';
import { getString, stringField, type Message } from './message.js';
import { decodeNetstring, encodeFields, encodeSignature, isNetstring } from './netstring.js';
import { decodeText, isTextFramed } from './text-format.js';

export interface EncodeOptions {
  /** Add the inner `auth` field (heartbeat's default `msgfmt classic`). */
  readonly innerAuth: boolean;
}

/** The datagram for `fields` (without an auth field), signed with `key`. */
export function encodePacket(fields: Message, key: AuthEntry, options: EncodeOptions): Buffer {
  const all = options.innerAuth
    ? [...fields, stringField('auth', innerAuthValue(fields, key))]
    : fields;
  const framed = encodeFields(all);
  return Buffer.concat([framed, encodeSignature(key.index, digest(key.method, key.key, framed))]);
}

export type VerifyResult =
  | { readonly ok: true; readonly fields: Message; readonly keyIndex: number }
  | { readonly ok: false; readonly error: string };

/**
 * Decodes and authenticates a datagram. Netstring packets must carry a valid outer signature,
 * text-framed ones a valid inner `auth` field, made with the key of the entry they name.
 */
export function verifyPacket(
  bytes: Uint8Array,
  keys: ReadonlyMap<number, AuthEntry>,
): VerifyResult {
  if (isNetstring(bytes)) {
    const decoded = decodeNetstring(bytes);
    if (!decoded.ok) return decoded;
    const { packet } = decoded;
    const key = keys.get(packet.authIndex);
    if (!key)
      return {
        ok: false,
        error: `signed with key ${packet.authIndex}, which authkeys does not list`,
      };
    if (!sameDigest(digest(key.method, key.key, packet.signed), packet.authDigest)) {
      return { ok: false, error: `bad signature (key ${packet.authIndex})` };
    }
    return { ok: true, fields: packet.fields, keyIndex: key.index };
  }
  if (isTextFramed(bytes)) {
    const decoded = decodeText(bytes);
    if (!decoded.ok) return decoded;
    const auth = /^(\d{1,2}) ([0-9a-f]{1,64})$/.exec(getString(decoded.fields, 'auth') ?? '');
    if (!auth) return { ok: false, error: 'text packet without a valid auth field' };
    const key = keys.get(Number(auth[1]));
    if (!key)
      return { ok: false, error: `signed with key ${auth[1] ?? ''}, which authkeys does not list` };
    const expected = digest(
      key.method,
      key.key,
      Buffer.from(innerSignedText(decoded.fields), 'latin1'),
    );
    if (!sameDigest(expected, auth[2] ?? ''))
      return { ok: false, error: `bad signature (key ${key.index})` };
    return { ok: true, fields: decoded.fields, keyIndex: key.index };
  }
  return { ok: false, error: 'not a heartbeat packet' };
}

function sameDigest(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'latin1');
  const b = Buffer.from(received, 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}
