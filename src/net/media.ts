// Opens the planned UDP sockets (dgram-as-promised), delivers what arrives, sends on every medium.
import DgramAsPromised, { type SocketAsPromised } from 'dgram-as-promised';
import { on } from 'node:events';
import type { MediaPlan, SendPlan } from './media-plan.js';

export interface IncomingDatagram {
  readonly bytes: Buffer;
  readonly link: string;
  readonly from: string;
}

export interface MediaHandlers {
  readonly onPacket: (datagram: IncomingDatagram) => void;
  /** Socket trouble after start: reported, never thrown. */
  readonly onError: (error: Error, link: string) => void;
}

export class Media {
  /** Sends not yet handed to the kernel: close() waits for them (a goodbye must leave). */
  private readonly inFlight = new Set<Promise<unknown>>();

  private constructor(
    private readonly receivers: SocketAsPromised[],
    private readonly senders: { plan: SendPlan; socket: SocketAsPromised }[],
    private readonly loops: Promise<void>[],
  ) {}

  static async open(plan: MediaPlan, handlers: MediaHandlers): Promise<Media> {
    const receivers: SocketAsPromised[] = [];
    const senders: { plan: SendPlan; socket: SocketAsPromised }[] = [];
    const loops: Promise<void>[] = [];
    try {
      for (const r of plan.receive) {
        const socket = DgramAsPromised.createSocket({ type: 'udp4', reuseAddr: true });
        receivers.push(socket);
        await socket.bind({ address: r.address, port: r.port, exclusive: false });
        if (r.multicast) socket.addMembership(r.multicast.group, r.multicast.interfaceAddress);
        loops.push(receiveLoop(socket, r.link, handlers));
      }
      for (const s of plan.send) {
        const socket = DgramAsPromised.createSocket({ type: 'udp4' });
        senders.push({ plan: s, socket });
        await socket.bind({ address: s.from, port: 0 });
        if (s.broadcast) socket.setBroadcast(true);
        if (s.multicast) {
          socket.setMulticastInterface(s.from);
          socket.setMulticastTTL(s.multicast.ttl);
          socket.setMulticastLoopback(s.multicast.loop);
        }
      }
    } catch (error) {
      await Promise.allSettled(
        [...receivers, ...senders.map((s) => s.socket)].map((s) => s.close()),
      );
      throw error;
    }
    return new Media(receivers, senders, loops);
  }

  /** Sends one datagram per medium; a failing medium is reported and the others still get it. */
  broadcast(packet: Buffer, onError: MediaHandlers['onError']): void {
    for (const { plan, socket } of this.senders) {
      const sending = socket
        .send(packet, plan.port, plan.to)
        .catch((error: unknown) => {
          onError(error instanceof Error ? error : new Error(String(error)), plan.link);
        })
        .finally(() => this.inFlight.delete(sending));
      this.inFlight.add(sending);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    const sockets = [...this.receivers, ...this.senders.map((s) => s.socket)];
    await Promise.allSettled(sockets.map((s) => s.close()));
    await Promise.allSettled(this.loops);
  }
}

async function receiveLoop(
  socket: SocketAsPromised,
  link: string,
  handlers: MediaHandlers,
): Promise<void> {
  const closed = new AbortController();
  socket.socket.once('close', () => {
    closed.abort();
  });
  try {
    for await (const [bytes, rinfo] of on(socket.socket, 'message', {
      signal: closed.signal,
    }) as AsyncIterable<[Buffer, { address: string }]>) {
      handlers.onPacket({ bytes, link, from: rinfo.address });
    }
  } catch (error) {
    if (!closed.signal.aborted)
      handlers.onError(error instanceof Error ? error : new Error(String(error)), link);
  }
}
