#!/usr/bin/env node
// Entry point of the `heartbeat` command: runs one subcommand and exits with its LSB status.
import { main } from './cli/main.js';

process.exitCode = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
});
