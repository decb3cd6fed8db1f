// Runs inside a node's namespace: prints the monotonic time of every heartbeat packet seen on the
// broadcast address, with its source, so the benchmark knows when the last one arrived.
import dgram from 'node:dgram';

const [address = '', portText = '694'] = process.argv.slice(2);
const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
socket.on('message', (_message, rinfo) => {
  process.stdout.write(`${process.hrtime.bigint()} ${rinfo.address}\n`);
});
socket.bind({ address, port: Number(portText), exclusive: false }, () => {
  process.stdout.write('ready\n');
});
