// heartbeat's older text framing (">>>\n", `name=value` lines, "<<<\n"): accepted on receipt only.
import type { Field, Message } from './message.js';

const START = '>>>\n';
const END = '<<<\n';
const MAX_FIELDS = 256;

export function isTextFramed(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x3e &&
    bytes[1] === 0x3e &&
    bytes[2] === 0x3e &&
    bytes[3] === 0x0a
  );
}

export function decodeText(
  bytes: Uint8Array,
): { ok: true; fields: Message } | { ok: false; error: string } {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (!text.startsWith(START)) return { ok: false, error: 'does not start with >>>' };
  if (!text.endsWith(END)) return { ok: false, error: 'does not end with <<<' };
  const lines = text.slice(START.length, text.length - END.length).split('\n');
  if (lines.pop() !== '') return { ok: false, error: 'last field not terminated' };
  if (lines.length > MAX_FIELDS) return { ok: false, error: 'too many fields' };
  const fields: Field[] = [];
  for (const line of lines) {
    const equals = line.indexOf('=');
    if (equals <= 0) return { ok: false, error: 'line without name=value' };
    const name = line.slice(0, equals);
    const value = line.slice(equals + 1);
    if (name.startsWith('(1)')) {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return { ok: false, error: 'bad base64 value' };
      fields.push({
        name: name.slice(3),
        type: 1,
        value: Uint8Array.from(Buffer.from(value, 'base64')),
      });
    } else if (name.startsWith('(')) {
      return { ok: false, error: 'unsupported field type' };
    } else {
      fields.push({ name, type: 0, value });
    }
  }
  return { ok: true, fields };
}
