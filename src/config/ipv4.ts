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

export function isMulticast(value: number): boolean {
  return value >>> 28 === 0xe;
}
