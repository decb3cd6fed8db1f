// heartbeat's netstring framing: "###\n", `LEN:(T)name=value,` items, "%%%\n", then `LEN:N DIGEST,`.
import type { Field, Message } from './message.js';

const START = Buffer.from('###\n');
const END = Buffer.from('%%%\n');
const MAX_LENGTH_DIGITS = 6;

export interface DecodedNetstring {
  readonly fields: Message;
  /** Bytes covered by the outer signature: from "###\n" through "%%%\n". */
  readonly signed: Uint8Array;
  readonly authIndex: number;
  readonly authDigest: string;
}

export type DecodeResult =
  | { readonly ok: true; readonly packet: DecodedNetstring }
  | { readonly ok: false; readonly error: string };

export function isNetstring(bytes: Uint8Array): boolean {
  return startsWith(bytes, 0, START);
}

export function decodeNetstring(bytes: Uint8Array): DecodeResult {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!startsWith(buffer, 0, START)) return fail('does not start with ###');
  const fields: Field[] = [];
  let at = START.length;
  while (!startsWith(buffer, at, END)) {
    const item = readItem(buffer, at);
    if (typeof item === 'string') return fail(item);
    const field = parseField(item.body);
    if (typeof field === 'string') return fail(field);
    fields.push(field);
    at = item.next;
  }
  const signedEnd = at + END.length;
  const auth = readItem(buffer, signedEnd);
  if (typeof auth === 'string') return fail(`signature: ${auth}`);
  if (auth.next !== buffer.length) return fail('bytes after the signature');
  const match = /^(\d{1,2}) ([0-9a-f]{1,64})$/.exec(auth.body.toString('latin1'));
  if (!match) return fail('malformed signature');
  return {
    ok: true,
    packet: {
      fields,
      signed: buffer.subarray(0, signedEnd),
      authIndex: Number(match[1]),
      authDigest: match[2] ?? '',
    },
  };
}

/** The framed fields, "###\n" through "%%%\n": what the outer signature covers. */
export function encodeFields(fields: Message): Buffer {
  const parts: Buffer[] = [START];
  for (const field of fields) {
    const value = field.type === 0 ? Buffer.from(field.value, 'latin1') : Buffer.from(field.value);
    const body = Buffer.concat([Buffer.from(`(${field.type})${field.name}=`, 'latin1'), value]);
    parts.push(Buffer.from(`${body.length}:`), body, Buffer.from(','));
  }
  parts.push(END);
  return Buffer.concat(parts);
}

export function encodeSignature(index: number, digest: string): Buffer {
  const body = `${index} ${digest}`;
  return Buffer.from(`${body.length}:${body},`, 'latin1');
}

function readItem(buffer: Buffer, at: number): { body: Buffer; next: number } | string {
  const colon = buffer.indexOf(0x3a, at);
  if (colon === -1 || colon === at || colon - at > MAX_LENGTH_DIGITS) return 'bad item length';
  const digits = buffer.toString('latin1', at, colon);
  if (!/^\d+$/.test(digits)) return 'bad item length';
  const length = Number(digits);
  const end = colon + 1 + length;
  if (end >= buffer.length) return 'item runs past the end';
  if (buffer[end] !== 0x2c) return 'item not terminated by a comma';
  return { body: buffer.subarray(colon + 1, end), next: end + 1 };
}

function parseField(body: Buffer): Field | string {
  if (body.length < 4 || body[0] !== 0x28 || body[2] !== 0x29) return 'field without a (type)';
  const type = body[1];
  const equals = body.indexOf(0x3d, 3);
  if (equals <= 3) return 'field without a name';
  const name = body.toString('latin1', 3, equals);
  const value = body.subarray(equals + 1);
  if (type === 0x30) return { name, type: 0, value: value.toString('latin1') };
  if (type === 0x31) return { name, type: 1, value: Uint8Array.from(value) };
  return `unsupported field type (${String.fromCharCode(type ?? 0)})`;
}

function startsWith(buffer: Uint8Array, at: number, prefix: Uint8Array): boolean {
  if (at + prefix.length > buffer.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buffer[at + i] !== prefix[i]) return false;
  return true;
}

function fail(error: string): DecodeResult {
  return { ok: false, error };
}
