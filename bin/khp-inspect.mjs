#!/usr/bin/env node
// Entry point of the `khp-inspect` CLI: runs the TypeScript sources through tsx, so the CLI needs no
// build step and always matches the checkout.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
