// The digests authkeys methods produce: HMAC-SHA1, HMAC-MD5, or heartbeat's unpadded hex CRC.
import { createHmac } from 'node:crypto';
import type { AuthMethod } from '../config/authkeys.js';
import { crc32Posix } from './crc32.js';

export function digest(method: AuthMethod, key: string, data: Uint8Array): string {
  if (method === 'crc') return crc32Posix(data).toString(16);
  return createHmac(method, key).update(data).digest('hex');
}
