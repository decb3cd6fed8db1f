// Turns bench/compare's JSON (on stdin) into the Markdown tables README quotes: per setting and
// shape, each metric's medians (ms) for ours, heartbeat and keepalived, and ours' ratios.
import { text } from 'node:stream/consumers';
import type { Figures, MetricTable } from './report.js';

interface SettingResult {
  readonly keepalive_ms: number;
  readonly deadtime_ms: number;
  readonly faults: Record<string, MetricTable>;
  readonly faults_with_service: Record<string, MetricTable>;
}

const PEERS = ['ours', 'heartbeat', 'keepalived'] as const;

const cell = (figures: Figures | undefined): string =>
  figures ? `${figures.median} (${figures.min}-${figures.max}, n=${figures.n})` : '-';

function table(title: string, metrics: Record<string, MetricTable>): string[] {
  const lines = [
    `**${title}**`,
    '',
    '| metric | ours | heartbeat 3.0.6 | keepalived 2.2.7 | ours/heartbeat | ours/keepalived |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const [metric, row] of Object.entries(metrics)) {
    const figures = PEERS.map((peer) => cell(row[peer]));
    const ratios = [row.ratio?.heartbeat, row.ratio?.keepalived].map((r) => r?.toString() ?? '-');
    lines.push(`| ${metric} | ${[...figures, ...ratios].join(' | ')} |`);
  }
  return [...lines, ''];
}

const document = JSON.parse(await text(process.stdin)) as { settings: SettingResult[] };
const out: string[] = [];
for (const setting of document.settings) {
  const name = `${setting.keepalive_ms} ms / ${setting.deadtime_ms} ms vs advert ${setting.keepalive_ms / 1000} s`;
  out.push(...table(`${name}, address only`, setting.faults));
  out.push(...table(`${name}, address + service`, setting.faults_with_service));
}
process.stdout.write(out.join('\n'));
