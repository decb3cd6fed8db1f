// The whole exchange of a scenario as text, as etcd raft's testdata print theirs: each message a
// node sent (but heartbeats and protocol traffic) and each line it logged, in time order.

/** Fields every message carries, which say nothing about what it means. */
const STAMPS = new Set(['src', 'seq', 'hg', 'ts', 'ld', 'ttl']);

export class Transcript {
  private readonly lines: string[] = [];

  note(at: number, node: string, text: string): void {
    this.lines.push(`${(at / 1000).toFixed(3).padStart(9)} ${node.padEnd(6)} ${text}`);
  }

  sent(at: number, node: string, fields: readonly (readonly [string, string])[]): void {
    const shown = fields.filter(([name]) => !STAMPS.has(name)).map(([k, v]) => `${k}=${v}`);
    this.note(at, node, `> ${shown.join(' ')}`);
  }

  get text(): string {
    return this.lines.map((line) => `${line}\n`).join('');
  }
}
