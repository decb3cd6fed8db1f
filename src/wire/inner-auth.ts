// The inner `auth` field of classic-format messages: a digest over every other field as `name=value\n` lines.
import type { AuthEntry } from '../config/authkeys.js';
import { digest } from './digest.js';
import type { Field, Message } from './message.js';

/** One field as heartbeat renders it for the inner signature and the text framing. */
export function renderTextField(field: Field): string {
  return field.type === 0
    ? `${field.name}=${field.value}\n`
    : `(1)${field.name}=${Buffer.from(field.value).toString('base64')}\n`;
}

export function innerSignedText(fields: Message): string {
  return fields
    .filter((f) => f.name !== 'auth')
    .map(renderTextField)
    .join('');
}

export function innerAuthValue(fields: Message, key: AuthEntry): string {
  return `${key.index} ${digest(key.method, key.key, Buffer.from(innerSignedText(fields), 'latin1'))}`;
}
