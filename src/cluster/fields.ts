// Reading heartbeat's numeric fields: hex for seq, hg, ts, dt and ackseq; decimal for rexmit ranges.
import { getString, type Message } from '../wire/message.js';

export function hexField(message: Message, name: string): number | undefined {
  const text = getString(message, name);
  if (text === undefined || !/^[0-9a-fA-F]{1,13}$/.test(text)) return undefined;
  return Number.parseInt(text, 16);
}

export function decimalField(message: Message, name: string): number | undefined {
  const text = getString(message, name);
  if (text === undefined || !/^\d{1,15}$/.test(text)) return undefined;
  return Number(text);
}
