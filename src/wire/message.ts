// A heartbeat message: named fields in wire order, strings (type 0) or raw bytes (type 1).

export type Field =
  | { readonly name: string; readonly type: 0; readonly value: string }
  | { readonly name: string; readonly type: 1; readonly value: Uint8Array };

export type Message = readonly Field[];

export function stringField(name: string, value: string): Field {
  return { name, type: 0, value };
}

export function binaryField(name: string, value: Uint8Array): Field {
  return { name, type: 1, value };
}

/** The string value of the first field called `name`. */
export function getString(message: Message, name: string): string | undefined {
  const field = message.find((f) => f.name === name);
  return field?.type === 0 ? field.value : undefined;
}

export function getBinary(message: Message, name: string): Uint8Array | undefined {
  const field = message.find((f) => f.name === name);
  return field?.type === 1 ? field.value : undefined;
}
