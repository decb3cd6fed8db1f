// Every scenario in test/cluster/scenarios/ runs against the simulated two-node cluster.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from './scenario.js';

const DIR = new URL('./scenarios/', import.meta.url);
const files = readdirSync(DIR).filter((f) => f.endsWith('.txt'));

describe('membership scenarios', () => {
  it('has scenarios', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files)('%s', (file) => {
    const failures = runScenario(readFileSync(new URL(file, DIR), 'utf8'));
    expect(failures.map((f) => `${file}:${f.line}: ${f.message}`)).toEqual([]);
  });
});
