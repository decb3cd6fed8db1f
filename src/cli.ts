#!/usr/bin/env -S node --max-semi-space-size=1 --no-expose-wasm --jitless --optimize-for-size
// Entry point of the `heartbeat` command: runs one subcommand and exits with its LSB status.
// The flags trade speed the daemon does not need for memory (see bench/footprint): a small young
// generation, which heartbeats every few ms would otherwise grow by some 15 MB, and no JIT
// compiler (about 7 MB less; the work per heartbeat is tiny, takeovers wait on agents), and V8's
// size-first heap sizing (about 2 MB less).
import { main } from './cli/main.js';

process.exitCode = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
});
