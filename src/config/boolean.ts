// Heartbeat booleans: true/on/yes/y/1 and false/off/no/n/0, in any case.

const TRUE_WORDS = new Set(['true', 'on', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'off', 'no', 'n', '0']);

export function parseBoolean(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  if (TRUE_WORDS.has(lower)) return true;
  if (FALSE_WORDS.has(lower)) return false;
  return undefined;
}

export const BOOLEAN_SPELLINGS = 'true/on/yes/y/1 or false/off/no/n/0';
