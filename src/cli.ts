#!/usr/bin/env -S node --max-semi-space-size=1
// Entry point of the `heartbeat` command: runs one subcommand and exits with its LSB status.
// The flag keeps V8's young generation small: a daemon sending heartbeats every few ms would
// otherwise grow it (and its RSS) by some 15 MB for nothing (see bench/footprint).
import { main } from './cli/main.js';

process.exitCode = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
});
