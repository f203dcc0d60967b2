#!/usr/bin/env node
// The portcullis command runs the compiled code; `npm run build` produces it.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/entry.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('portcullis: dist/ is missing; run "npm run build" first');
  process.exit(1);
}
await import(entry.href);
