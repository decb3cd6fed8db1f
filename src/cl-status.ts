#!/usr/bin/env node
// Entry point of the `cl_status` command: `heartbeat cl-status` under heartbeat's own name.
import { main } from './cli/main.js';

process.exitCode = await main(['cl-status', ...process.argv.slice(2)], {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
});
