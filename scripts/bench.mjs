#!/usr/bin/env node
// `npm run bench`: runs every benchmark in scripts/bench/ (or the named ones) and prints each
// figure beside its anchor (ripgrep, native git, native SQLite) measured in the same run.
// Benchmarks, not tests: they report numbers and never fail the build.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);
const build = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);
const benches = readdirSync(join(root, 'scripts', 'bench'))
  .filter((f) => f.endsWith('.mjs') && !f.includes('.child.'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();
for (const f of benches) {
  console.log(`\n### ${f.replace(/\.mjs$/, '')}`);
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'bench', f)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) console.log(`(${f} exited ${r.status})`);
}
