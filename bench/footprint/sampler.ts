// Samples one process's resident memory and CPU time from /proc at a fixed rate, and summarises them.
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

export interface Sample {
  /** Seconds since sampling began. */
  readonly atS: number;
  readonly rssKb: number;
  /** utime + stime of every thread, plus reaped children's (clock ticks). */
  readonly cpuTicks: number;
}

export interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

const monoS = (): number => Number(process.hrtime.bigint()) / 1e9;
export const round = (n: number, places = 1): number => Math.round(n * 10 ** places) / 10 ** places;
export const mb = (kb: number): number => kb / 1024;

/** Clock ticks per second, the unit of /proc/PID/stat times. */
export async function clockTicks(): Promise<number> {
  const { stdout } = await execa('getconf', ['CLK_TCK']);
  return Number(stdout.trim());
}

function readProc(pid: number): { rssKb: number; cpuTicks: number } {
  const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  const rss = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  // A zombie has no VmRSS line: the process is gone.
  if (!rss?.[1]) throw new Error(`process ${String(pid)} has exited`);
  const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
  // Fields after the command name "(...)", which may itself hold spaces; utime is field 14.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuTicks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return { rssKb: Number(rss[1]), cpuTicks };
}

/** One sample per `intervalMs` for `seconds`, on a fixed schedule so that slow reads do not drift. */
export async function sampleFor(
  pid: number,
  seconds: number,
  intervalMs = 1000,
  onSample?: (sample: Sample) => void,
): Promise<Sample[]> {
  const samples: Sample[] = [];
  const start = monoS();
  for (let i = 0; i * intervalMs <= seconds * 1000; i++) {
    const wait = start + (i * intervalMs) / 1000 - monoS();
    if (wait > 0) await delay(wait * 1000);
    let proc;
    try {
      proc = readProc(pid);
    } catch {
      throw new Error(`the measured process (pid ${String(pid)}) exited during sampling`);
    }
    const sample = { atS: monoS() - start, ...proc };
    samples.push(sample);
    onSample?.(sample);
  }
  return samples;
}

export function stats(values: readonly number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2
      ? (sorted[mid] ?? NaN)
      : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
  return {
    median: round(median),
    min: round(sorted[0] ?? NaN),
    max: round(sorted.at(-1) ?? NaN),
  };
}

/** Average CPU over the samples as % of one core. */
export function cpuPercent(samples: readonly Sample[], ticksPerSecond: number): number {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last || last.atS <= first.atS) return NaN;
  return round(
    ((last.cpuTicks - first.cpuTicks) / ticksPerSecond / (last.atS - first.atS)) * 100,
    2,
  );
}

/** Median/min/max RSS in MB and average CPU: the idle figure of one process. */
export function idleFigures(samples: readonly Sample[], ticksPerSecond: number) {
  return {
    seconds: round(samples.at(-1)?.atS ?? 0),
    samples: samples.length,
    rss_mb: stats(samples.map((s) => mb(s.rssKb))),
    cpu_percent_of_one_core: cpuPercent(samples, ticksPerSecond),
  };
}
