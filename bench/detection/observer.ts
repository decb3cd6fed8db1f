// Runs inside a node's namespace: prints the monotonic time, source and message type of every
// packet seen on the broadcast address, so the benchmark knows when the last status arrived.
import dgram from 'node:dgram';

const [address = '', portText = '694'] = process.argv.slice(2);
const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
socket.on('message', (message, rinfo) => {
  const type = /\(0\)t=([A-Za-z_-]+),/.exec(message.toString('latin1'))?.[1] ?? '?';
  process.stdout.write(`${process.hrtime.bigint()} ${rinfo.address} ${type}\n`);
});
socket.bind({ address, port: Number(portText), exclusive: false }, () => {
  process.stdout.write('ready\n');
});
