// Heartbeat media (bcast/udp, mcast, ucast) and udpport, with heartbeat's port-ordering rule.
import type { Diagnostics } from '../diagnostics.js';
import { isMulticast, parseIpv4 } from '../ipv4.js';
import {
  markSet,
  parseIntegerIn,
  type DirectiveHandler,
  type DirectiveLine,
  type Draft,
} from './draft.js';

export const DEFAULT_UDPPORT = 694;
const INTERFACE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.:@-]{0,14}$/;

function checkInterface(name: string, line: DirectiveLine, diag: Diagnostics): boolean {
  if (INTERFACE_NAME.test(name)) return true;
  diag.error(
    line.at,
    `${line.name}: "${name}" is not an interface name`,
    'for example: eth0, ens3, bond0',
  );
  return false;
}

/** The port of the first bcast or ucast line stays for all later lines of that kind. */
function portFor(kind: 'bcast' | 'ucast', line: DirectiveLine, draft: Draft): number {
  const fixed = draft.mediaPorts.get(kind);
  if (fixed) return fixed.port;
  const port = draft.udpport ?? DEFAULT_UDPPORT;
  draft.mediaPorts.set(kind, { port, at: line.at });
  return port;
}

const bcast: DirectiveHandler = (line, draft, diag) => {
  if (line.values.length === 0) {
    diag.error(line.at, `${line.name} needs at least one interface`, 'for example: bcast eth1');
    return;
  }
  for (const iface of line.values) {
    if (!checkInterface(iface, line, diag)) continue;
    draft.media.push({ kind: 'bcast', iface, port: portFor('bcast', line, draft), at: line.at });
  }
};

const udp: DirectiveHandler = (line, draft, diag) => {
  diag.warn(line.at, "directive 'udp' replaced by 'bcast'", 'udp is the old name of bcast');
  bcast(line, draft, diag);
};

const MCAST_FORM = 'mcast IF GROUP PORT TTL LOOP, for example: mcast eth1 239.0.0.43 694 1 0';

const mcast: DirectiveHandler = (line, draft, diag) => {
  const words = line.rest.split(/\s+/).filter(Boolean);
  const [iface, group, portText, ttlText, loopText, ...extra] = words;
  const names = ['interface', 'mcast address', 'port', 'ttl', 'loop'];
  if (words.length < 5) {
    diag.error(line.at, `mcast: missing ${names.slice(words.length).join(', ')}`, MCAST_FORM);
    return;
  }
  if (extra.length > 0) {
    diag.error(line.at, `mcast takes 5 values, got ${words.length}`, MCAST_FORM);
    return;
  }
  if (iface === undefined || group === undefined || portText === undefined) return;
  let ok = checkInterface(iface, line, diag);
  const groupValue = parseIpv4(group);
  if (groupValue === undefined || !isMulticast(groupValue)) {
    diag.error(
      line.at,
      `mcast [${iface}] bad addr [${group}]`,
      'the group must be a multicast address, 224.0.0.0 to 239.255.255.255',
    );
    ok = false;
  }
  const port = integerField(portText, 1, 65535);
  const ttl = integerField(ttlText ?? '', 1, 255);
  const loop = integerField(loopText ?? '', 0, 1);
  if (port === undefined)
    diag.error(line.at, `mcast [${iface}] bad port [${portText}]`, 'the port must be 1 to 65535');
  if (ttl === undefined)
    diag.error(
      line.at,
      `mcast [${iface}] bad ttl [${ttlText ?? ''}]`,
      'the ttl must be 1 to 255 (1 keeps heartbeats on the local segment)',
    );
  if (loop === undefined)
    diag.error(line.at, `mcast [${iface}] bad loop [${loopText ?? ''}]`, 'loop must be 0 or 1');
  if (!ok || port === undefined || ttl === undefined || loop === undefined) return;
  draft.media.push({ kind: 'mcast', iface, group, port, ttl, loop: loop === 1, at: line.at });
};

function integerField(text: string, low: number, high: number): number | undefined {
  const value = Number(text);
  return /^\d+$/.test(text) && value >= low && value <= high ? value : undefined;
}

const ucast: DirectiveHandler = (line, draft, diag) => {
  const words = line.rest.split(/\s+/).filter(Boolean);
  const [iface, peer, ...extra] = words;
  const form = 'ucast IF PEER-ADDRESS, for example: ucast eth0 192.0.2.12';
  if (iface === undefined || peer === undefined) {
    diag.error(
      line.at,
      iface === undefined
        ? 'ucast: missing interface and target IP address'
        : `ucast: [${iface}] missing target IP address`,
      form,
    );
    return;
  }
  if (extra.length > 0) {
    diag.error(line.at, `ucast takes 2 values, got ${words.length}`, `one peer per line; ${form}`);
    return;
  }
  if (!checkInterface(iface, line, diag)) return;
  const value = parseIpv4(peer);
  if (value === undefined || value === 0 || value === 0xffffffff || isMulticast(value)) {
    diag.error(line.at, `ucast: [${peer}] is not a unicast IPv4 address`, form);
    return;
  }
  draft.media.push({
    kind: 'ucast',
    iface,
    peer,
    port: portFor('ucast', line, draft),
    at: line.at,
  });
};

const udpport: DirectiveHandler = (line, draft, diag) => {
  const port = parseIntegerIn(line, diag, 1, 65535, 'a port');
  if (port === undefined) return;
  markSet(line, draft, diag);
  draft.udpport = port;
  for (const [kind, fixed] of draft.mediaPorts) {
    diag.warn(
      line.at,
      `udpport ${port} comes after the first ${kind} line (line ${fixed.at.line}), which keeps port ${fixed.port}`,
      'heartbeat reads udpport when the first bcast/ucast line is read: move udpport above the media lines',
    );
  }
};

export const mediaDirectives: Record<string, DirectiveHandler> = {
  bcast,
  udp,
  mcast,
  ucast,
  udpport,
};
