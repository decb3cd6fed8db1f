// Cluster membership directives: node, ping, ping_group, hopfudge, msgfmt, failback and mode.
import { BOOLEAN_SPELLINGS, parseBoolean } from '../boolean.js';
import { parseIpv4 } from '../ipv4.js';
import { markSet, parseIntegerIn, singleValue, type DirectiveHandler } from './draft.js';
import type { AutoFailback } from './types.js';

export const NODE_NAME = /^[a-z0-9]([a-z0-9._-]{0,98})$/;

const node: DirectiveHandler = (line, draft, diag) => {
  if (line.values.length === 0) {
    diag.error(
      line.at,
      'node needs at least one node name',
      'for example: node alpha beta (as `uname -n` prints them)',
    );
    return;
  }
  for (const raw of line.values) {
    const name = raw.toLowerCase();
    if (!NODE_NAME.test(name)) {
      diag.error(
        line.at,
        `node "${raw}" is not a valid node name`,
        'node names are host names as `uname -n` prints them',
      );
      continue;
    }
    const earlier = draft.nodes.find((n) => n.name === name);
    if (earlier) {
      diag.warn(line.at, `node ${name} is already listed at line ${earlier.at.line}`);
      continue;
    }
    draft.nodes.push({ name, at: line.at });
    if (!draft.origins.has('node')) draft.origins.set('node', line.at);
  }
};

function failbackWord(text: string): AutoFailback | undefined {
  if (text.toLowerCase() === 'legacy') return 'legacy';
  const value = parseBoolean(text);
  return value === undefined ? undefined : value ? 'on' : 'off';
}

const autoFailback: DirectiveHandler = (line, draft, diag) => {
  const text = singleValue(line, diag, 'auto_failback on');
  if (text === undefined) return;
  const value = failbackWord(text);
  if (value === undefined) {
    diag.error(
      line.at,
      `auto_failback "${text}" must be on, off or legacy`,
      `booleans are ${BOOLEAN_SPELLINGS}`,
    );
    return;
  }
  markSet(line, draft, diag);
  draft.autoFailback = value;
};

/** heartbeat 3.0.6 reads any nice_failback as 'auto_failback legacy' unless auto_failback is given. */
const niceFailback: DirectiveHandler = (line, _draft, diag) => {
  const text = singleValue(line, diag, 'auto_failback off');
  if (text === undefined) return;
  if (parseBoolean(text) === undefined) {
    diag.error(
      line.at,
      `nice_failback "${text}" is not a boolean`,
      'write auto_failback on, off or legacy instead',
    );
    return;
  }
  diag.warn(
    line.at,
    `nice_failback flag is obsolete: 'nice_failback ${text}' is strictly interpreted as 'auto_failback legacy'`,
    "Use auto_failback {on, off, legacy} instead; 'auto_failback off' keeps resources where they are",
  );
};

/** crm/pacemaker: this manager runs haresources only, so only "off" is accepted. */
const pacemaker: DirectiveHandler = (line, _draft, diag) => {
  const text = singleValue(line, diag, `${line.name} off`);
  if (text === undefined || parseBoolean(text) === false) return;
  diag.error(
    line.at,
    `${line.name} ${text}: this is a haresources-mode cluster manager; CRM/Pacemaker mode is not supported`,
    'for a CRM cluster use Pacemaker with Corosync; here remove the line or write "crm off"',
  );
};

const autojoin: DirectiveHandler = (line, _draft, diag) => {
  const text = singleValue(line, diag, 'autojoin none');
  if (text === undefined) return;
  if (text.toLowerCase() === 'none') {
    diag.warn(line.at, 'autojoin is ignored: nodes join only when listed on node lines');
    return;
  }
  diag.error(
    line.at,
    `R1 style resource management conflicts with autojoin ${text}`,
    'list every node on node lines and remove autojoin (or write "autojoin none")',
  );
};

const hopfudge: DirectiveHandler = (line, draft, diag) => {
  const value = parseIntegerIn(line, diag, 0, 255, 'a hop count');
  if (value === undefined) return;
  markSet(line, draft, diag);
  draft.hopfudge = value;
};

const msgfmt: DirectiveHandler = (line, draft, diag) => {
  const text = singleValue(line, diag, 'msgfmt classic');
  if (text === undefined) return;
  if (text !== 'classic' && text !== 'netstring') {
    diag.error(line.at, `msgfmt "${text}" must be classic or netstring`);
    return;
  }
  markSet(line, draft, diag);
  draft.msgfmt = text;
};

/** A DNS name (letters, digits, hyphens, dots); all digits and dots must be an IPv4 address. */
const HOST_NAME =
  /^(?=.*[a-z-])[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

/** Addresses or host names, as heartbeat takes them; names are resolved when the node starts. */
function pingHosts(
  words: string[],
  line: Parameters<DirectiveHandler>[0],
  diag: Parameters<DirectiveHandler>[2],
): string[] | undefined {
  const bad = words.find((w) => parseIpv4(w) === undefined && !HOST_NAME.test(w));
  if (bad === undefined) return words.map((w) => w.toLowerCase());
  diag.error(
    line.at,
    `${line.name}: "${bad}" is neither an IPv4 address nor a host name`,
    'for example: ping 192.0.2.254, or ping router.example.com',
  );
  return undefined;
}

const ping: DirectiveHandler = (line, draft, diag) => {
  if (line.values.length === 0) {
    diag.error(line.at, 'ping needs at least one address', 'for example: ping 192.0.2.254');
    return;
  }
  // Each host is a ping node of its own, named as written (lower-case).
  for (const host of pingHosts(line.values, line, diag) ?? [])
    draft.ping.push({ name: host, hosts: [host], group: false, at: line.at });
};

const pingGroup: DirectiveHandler = (line, draft, diag) => {
  const [name, ...hosts] = line.rest.split(/\s+/).filter(Boolean);
  if (name === undefined || hosts.length === 0) {
    diag.error(
      line.at,
      'ping_group needs a name and at least one address',
      'for example: ping_group routers 192.0.2.253 192.0.2.254',
    );
    return;
  }
  const checked = pingHosts(hosts, line, diag);
  if (checked)
    draft.ping.push({ name: name.toLowerCase(), hosts: checked, group: true, at: line.at });
};

export const membershipDirectives: Record<string, DirectiveHandler> = {
  node,
  auto_failback: autoFailback,
  nice_failback: niceFailback,
  crm: pacemaker,
  pacemaker,
  autojoin,
  hopfudge,
  msgfmt,
  ping,
  ping_group: pingGroup,
};
