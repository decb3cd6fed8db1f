// Dotted-quad IPv4 addresses: parsing and the range tests the configuration checks need.

/** The address as a 32-bit unsigned number, or undefined when it is not a dotted quad. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

export function isMulticast(value: number): boolean {
  return value >>> 28 === 0xe;
}

/** Broadcast address of `address` in a network of `prefix` bits. */
export function broadcastOf(address: number, prefix: number): number {
  const hostBits = 32 - prefix;
  return hostBits === 32 ? 0xffffffff : (address | (2 ** hostBits - 1)) >>> 0;
}
