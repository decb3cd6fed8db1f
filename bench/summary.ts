// The figures a benchmark reports for a set of samples: median, min and max (0.1 ms) and how many.
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

export function summary(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median =
    sorted.length % 2
      ? (sorted[Math.floor(mid)] ?? NaN)
      : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
  const round = (n: number): number => Math.round(n * 10) / 10;
  return {
    median: round(median),
    min: round(sorted[0] ?? NaN),
    max: round(sorted.at(-1) ?? NaN),
    runs: values.length,
  };
}
