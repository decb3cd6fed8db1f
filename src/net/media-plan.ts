// Plans the UDP sockets for ha.cf's media on this machine: what to bind, where to send. Pure.
import type { Medium } from '../config/hacf/types.js';
import type { InterfaceInfo } from './interfaces.js';

/** A socket that receives heartbeats; packets arriving on it belong to `link`. */
export interface ReceivePlan {
  readonly link: string;
  readonly address: string;
  readonly port: number;
  /** Join this multicast group on the interface address. */
  readonly multicast?: { readonly group: string; readonly interfaceAddress: string };
}

/** One destination every outgoing message is sent to, from a socket bound to `from`. */
export interface SendPlan {
  readonly link: string;
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly broadcast: boolean;
  readonly multicast?: { readonly ttl: number; readonly loop: boolean };
}

export interface MediaPlan {
  readonly receive: ReceivePlan[];
  readonly send: SendPlan[];
  /** Start-up errors: missing or unusable interfaces (heartbeat silently sent nothing). */
  readonly errors: string[];
}

export function planMedia(
  media: readonly Medium[],
  interfaces: ReadonlyMap<string, InterfaceInfo | undefined>,
  localAddresses: ReadonlySet<string>,
): MediaPlan {
  const receive = new Map<string, ReceivePlan>();
  const send: SendPlan[] = [];
  const errors: string[] = [];
  for (const medium of media) {
    const where = `${medium.at.file}:${medium.at.line}`;
    const info = interfaces.get(medium.iface);
    const ipv4 = info?.ipv4[0];
    if (!info) {
      errors.push(`${where}: ${medium.kind} ${medium.iface}: no such interface`);
      continue;
    }
    if (!info.up) errors.push(`${where}: ${medium.kind} ${medium.iface}: interface is down`);
    if (!ipv4) {
      errors.push(`${where}: ${medium.kind} ${medium.iface}: the interface has no IPv4 address`);
      continue;
    }
    const link = medium.iface;
    const addReceive = (plan: ReceivePlan): void => {
      receive.set(`${plan.address}:${plan.port}`, plan);
    };
    switch (medium.kind) {
      case 'bcast': {
        // heartbeat silently sent nothing here, and both nodes took the resources.
        const withBroadcast = info.ipv4.find((a) => a.broadcast !== undefined);
        if (!info.canBroadcast || withBroadcast?.broadcast === undefined) {
          errors.push(
            `${where}: bcast ${medium.iface}: the interface has no IPv4 broadcast address ` +
              `(add one, e.g. ip addr add ${ipv4.address}/${ipv4.prefix} brd + dev ${medium.iface}, or use ucast)`,
          );
          continue;
        }
        const { address, broadcast } = withBroadcast;
        addReceive({ link, address: broadcast, port: medium.port });
        send.push({ link, from: address, to: broadcast, port: medium.port, broadcast: true });
        break;
      }
      case 'ucast':
        addReceive({ link, address: ipv4.address, port: medium.port });
        // One ha.cf serves both nodes: the line naming our own address is the peer's.
        if (!localAddresses.has(medium.peer)) {
          send.push({
            link,
            from: ipv4.address,
            to: medium.peer,
            port: medium.port,
            broadcast: false,
          });
        }
        break;
      case 'mcast':
        addReceive({
          link,
          address: medium.group,
          port: medium.port,
          multicast: { group: medium.group, interfaceAddress: ipv4.address },
        });
        send.push({
          link,
          from: ipv4.address,
          to: medium.group,
          port: medium.port,
          broadcast: false,
          multicast: { ttl: medium.ttl, loop: medium.loop },
        });
        break;
    }
  }
  if (errors.length === 0 && send.length === 0) {
    errors.push('no medium sends to the peer: every ucast line names one of our own addresses');
  }
  return { receive: [...receive.values()], send, errors };
}
