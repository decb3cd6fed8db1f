// Loads the 64 packets captured from heartbeat 3.0.6 (test/fixtures/wire) as typed test vectors.
import { readFileSync } from 'node:fs';
import { Diagnostics } from '../../src/config/diagnostics.js';
import { parseAuthkeys, type AuthKeys } from '../../src/config/authkeys.js';
import { binaryField, stringField, type Field } from '../../src/wire/message.js';

interface RawVector {
  kind: string;
  method: string;
  authkeys: string;
  packet_hex: string;
  fields: { name: string; type: number; value?: string; value_hex?: string }[];
  outer_signature: string;
  outer_signed_len: number;
  inner_auth?: string;
  inner_signed_text?: string;
}

export interface Vector {
  readonly label: string;
  readonly packet: Buffer;
  readonly fields: Field[];
  readonly keys: AuthKeys;
  readonly raw: RawVector;
}

const FILE = new URL('../fixtures/wire/heartbeat-3.0.6-packets.jsonl', import.meta.url);

export function loadVectors(): Vector[] {
  return readFileSync(FILE, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line, i) => {
      const raw = JSON.parse(line) as RawVector;
      const diag = new Diagnostics();
      const keys = parseAuthkeys(raw.authkeys, 'authkeys', 0o600, diag);
      if (!keys) throw new Error(`vector ${i}: authkeys did not parse`);
      const fields = raw.fields.map((f) =>
        f.type === 1
          ? binaryField(f.name, Uint8Array.from(Buffer.from(f.value_hex ?? '', 'hex')))
          : stringField(f.name, f.value ?? ''),
      );
      return {
        label: `#${i} ${raw.method} ${raw.kind}`,
        packet: Buffer.from(raw.packet_hex, 'hex'),
        fields,
        keys,
        raw,
      };
    });
}
