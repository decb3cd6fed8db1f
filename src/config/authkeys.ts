// authkeys: `auth N` picks the signing entry; entries `N crc|md5|sha1 [KEY]`. Keys never reach a message.
import type { Diagnostics, Origin } from './diagnostics.js';

export type AuthMethod = 'crc' | 'md5' | 'sha1';

export interface AuthEntry {
  readonly index: number;
  readonly method: AuthMethod;
  /** Empty for crc. */
  readonly key: string;
  readonly at: Origin;
}

export interface AuthKeys {
  /** The entry that signs what we send. */
  readonly active: AuthEntry;
  /** Every entry, by index: packets signed with any of them are accepted (key rotation). */
  readonly entries: ReadonlyMap<number, AuthEntry>;
}

const METHODS: readonly string[] = ['crc', 'md5', 'sha1'];
/** Keys published in sample files: ha.d.example's, and heartbeat's commented-out samples. */
const EXAMPLE_KEYS: readonly string[] = [
  'replace-this-example-key-with-your-own-random-secret',
  'HI!',
  'Hello!',
];
/** Below this a key can be guessed or brute-forced; heartbeat sets no minimum. */
const SHORT_KEY = 16;
const MAKE_KEY = 'openssl rand -hex 32';
const GROUP_OR_OTHER_READ = 0o044;

/** Parses the file; `mode` is its permission bits (a readable-by-others file is refused). */
export function parseAuthkeys(
  text: string,
  file: string,
  mode: number,
  diag: Diagnostics,
): AuthKeys | undefined {
  if ((mode & GROUP_OR_OTHER_READ) !== 0) {
    diag.error(file, `Bad permissions on keyfile [${file}], 600 recommended.`, `chmod 600 ${file}`);
  }
  const entries = new Map<number, AuthEntry>();
  let auth: { index: number; at: Origin } | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const at = { file, line: i + 1 };
    if (line.startsWith('auth')) {
      const index = parseAuthLine(line, at, diag);
      if (index === undefined) return;
      if (auth) diag.error(at, `auth given twice (first at line ${auth.at.line})`);
      else auth = { index, at };
      return;
    }
    const entry = parseEntry(line, at, diag);
    if (!entry) return;
    const earlier = entries.get(entry.index);
    if (earlier)
      diag.error(at, `entry ${entry.index} is defined twice (first at line ${earlier.at.line})`);
    else entries.set(entry.index, entry);
  });
  if (!auth) {
    diag.error(
      { file, line: 1 },
      `Missing auth directive in keyfile [${file}]`,
      'add "auth 1" above the entries',
    );
    return undefined;
  }
  const active = entries.get(auth.index);
  if (!active) {
    diag.error(
      auth.at,
      `Auth Key [${auth.index}] not found in keyfile [${file}]`,
      `add an entry such as "${auth.index} sha1 SECRET"`,
    );
    return undefined;
  }
  return { active, entries };
}

/** As heartbeat's sscanf("auth %d"): the number counts, what follows is ignored, never quoted. */
function parseAuthLine(line: string, at: Origin, diag: Diagnostics): number | undefined {
  const match = /^auth\s*(\d+)(.*)$/.exec(line);
  if (!match) {
    diag.error(
      at,
      'Invalid auth line',
      'write "auth N", N the entry (0 to 15) that signs outgoing packets',
    );
    return undefined;
  }
  const [, index = '', rest = ''] = match;
  if (rest.trim() !== '') {
    diag.warn(
      at,
      `text after "auth ${index}" is ignored`,
      'the auth line names an entry; keys go on entry lines',
    );
  }
  return Number(index);
}

function parseEntry(line: string, at: Origin, diag: Diagnostics): AuthEntry | undefined {
  // Only the shape is quoted back: the line itself may hold a key.
  const match = /^(\d+)\s+(\S+)(?:\s+(\S+))?(\s+\S.*)?$/.exec(line);
  if (!match) {
    diag.error(
      at,
      'Auth line is invalid: expected "auth N" or "N METHOD [KEY]"',
      'for example: 1 sha1 a-long-random-secret',
    );
    return undefined;
  }
  const [, indexText = '', method = '', key, extra] = match;
  const index = Number(indexText);
  if (index > 15) {
    diag.error(at, `Invalid authnum [${indexText}]`, 'entries are numbered 0 to 15');
    return undefined;
  }
  if (!METHODS.includes(method)) {
    diag.error(
      at,
      `Invalid authtype ${quoteMethod(method, index)}`,
      'methods are crc, md5 and sha1 (lower case), then the key',
    );
    return undefined;
  }
  if (method === 'crc') {
    if (key !== undefined) {
      diag.warn(
        at,
        `Auth method [crc] doesn't use a key: entry ${index} is dropped, as heartbeat does`,
        `write "${index} crc" alone`,
      );
      return undefined;
    }
    diag.warn(
      at,
      `entry ${index} uses crc, which authenticates nothing`,
      'anyone who can send UDP to the cluster can forge heartbeats; use sha1 with a random key',
    );
    return { index, method: 'crc', key: '', at };
  }
  if (key === undefined) {
    diag.error(
      at,
      `Auth method [${method}] requires a key`,
      `for example: ${index} ${method} a-long-random-secret`,
    );
    return undefined;
  }
  if (extra !== undefined) {
    diag.warn(
      at,
      `entry ${index}: only the first word of the key is used`,
      'heartbeat ignores everything after the first blank',
    );
  }
  warnWeakKey(index, key, at, diag);
  return { index, method: method as AuthMethod, key, at };
}

/** Anyone who knows or guesses the key can forge heartbeats, standby requests, and deaths. */
function warnWeakKey(index: number, key: string, at: Origin, diag: Diagnostics): void {
  if (EXAMPLE_KEYS.includes(key)) {
    diag.warn(
      at,
      `entry ${index} holds a published example key`,
      `put the same new key on both nodes, for example from \`${MAKE_KEY}\``,
    );
  } else if (key.length < SHORT_KEY) {
    diag.warn(
      at,
      `entry ${index}: its key is ${key.length} characters, shorter than ${SHORT_KEY}`,
      `a short key can be guessed; use a long random one, for example from \`${MAKE_KEY}\``,
    );
  }
}

/** Quotes a wrong method word unless it could be a key glued to a method ("sha1SECRET"). */
function quoteMethod(word: string, index: number): string {
  const glued = METHODS.some((m) => word.toLowerCase().startsWith(m) && word.length > m.length);
  return /^[A-Za-z0-9-]{1,8}$/.test(word) && !glued ? `[${word}]` : `on entry ${index}`;
}
