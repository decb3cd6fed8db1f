// Every scenario in test/cluster/scenarios/ runs against the simulated two-node cluster; a file
// that says `golden` must also print the same exchange as its .golden file, which
// SCENARIO_REWRITE=1 writes anew (then read the diff before committing it).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { playScenario } from './scenario.js';

const DIR = new URL('./scenarios/', import.meta.url);
const files = readdirSync(DIR).filter((f) => f.endsWith('.txt'));
const REWRITE = process.env.SCENARIO_REWRITE === '1';

describe('membership scenarios', () => {
  it('has scenarios, some of them golden', () => {
    expect(files.length).toBeGreaterThan(5);
    expect(readdirSync(DIR).filter((f) => f.endsWith('.golden')).length).toBeGreaterThan(0);
  });

  it.each(files)('%s', (file) => {
    const run = playScenario(readFileSync(new URL(file, DIR), 'utf8'));
    expect(run.failures.map((f) => `${file}:${f.line}: ${f.message}`)).toEqual([]);
    if (run.transcript === undefined) return;
    const golden = new URL(file.replace(/\.txt$/, '.golden'), DIR);
    if (REWRITE) writeFileSync(golden, run.transcript);
    expect(existsSync(golden), `${file} says golden: SCENARIO_REWRITE=1 writes it`).toBe(true);
    expect(run.transcript).toBe(readFileSync(golden, 'utf8'));
  });
});
