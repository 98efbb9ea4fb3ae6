#!/usr/bin/env node
// `npm test`: bootstraps what a fresh machine lacks, then runs every stage — lint, type check,
// build, unit, integration (inside a real VS Code extension host) and E2E (a real browser
// against code-server) — and ends with one line `N passed, N failed`. Exit code 1 on any failure.
// `node scripts/test.mjs unit integration` runs only the named stages (bootstrap always runs).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { ensureSystemPackages } from './host/setup.mjs';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const wants = (stage) => only.length === 0 || only.includes(stage);
const totals = { passed: 0, failed: 0 };
const failures = [];

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: opts.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8', env: { ...process.env, ...opts.env } });
  if (r.error) throw r.error;
  if (opts.capture) process.stdout.write(r.stdout ?? '');
  return r;
}

function record(stage, passed, failed) {
  totals.passed += passed;
  totals.failed += failed;
  if (failed > 0) failures.push(stage);
  console.log(`\n[${stage}] ${passed} passed, ${failed} failed\n`);
}

/** A stage that is one check: passes when the command exits 0. */
function check(stage, cmd, args) {
  if (!wants(stage)) return;
  console.log(`\n=== ${stage}: ${[cmd, ...args].join(' ')}`);
  const r = run(cmd, args);
  record(stage, r.status === 0 ? 1 : 0, r.status === 0 ? 0 : 1);
}

function bootstrap() {
  // Reinstall when the lock file changed since the last install (or there is none).
  const lock = readFileSync('package-lock.json');
  const digest = createHash('sha256').update(lock).digest('hex');
  const stamp = 'node_modules/.lifeline-install-stamp';
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return;
  console.log('=== bootstrap: npm ci');
  const r = run('npm', ['ci', '--no-audit', '--no-fund']);
  if (r.status !== 0) {
    console.error('bootstrap: `npm ci` failed; check the npm registry is reachable and package-lock.json is committed.');
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  writeFileSync(stamp, digest);
}

function listTests(dir, suffix) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => f.endsWith(suffix) && statSync(f).isFile())
    .sort();
}

function unit() {
  if (!wants('unit')) return;
  const files = listTests('test/unit', '.test.ts');
  console.log(`\n=== unit: ${files.length} files`);
  mkdirSync('out', { recursive: true });
  const tap = join('out', 'unit.tap');
  const r = run(process.execPath, [
    '--import', 'tsx', '--test', '--test-concurrency=2',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ]);
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const num = (k) => Number((text.match(new RegExp(`^# ${k} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
  const passed = num('pass');
  let failed = num('fail') + num('cancelled');
  if (r.status !== 0 && failed === 0) failed = 1; // the runner itself failed
  record('unit', passed, failed);
}

/** Stages provided by scripts/stages/<name>.mjs: each exports `run()` returning {passed, failed}. */
async function external(stage) {
  if (!wants(stage)) return;
  const file = join(root, 'scripts', 'stages', `${stage}.mjs`);
  if (!existsSync(file)) return;
  console.log(`\n=== ${stage}`);
  try {
    const mod = await import(file);
    const { passed, failed } = await mod.run();
    record(stage, passed, failed);
  } catch (e) {
    console.error(`${stage}: ${e instanceof Error ? e.message : String(e)}`);
    record(stage, 0, 1);
  }
}

/** The Debian packages (tmux for the unit stage, Chromium and the rest for the host stages), before any stage that needs them. */
async function systemPackages() {
  if (!wants('unit') && !wants('integration') && !wants('e2e')) return;
  try {
    await ensureSystemPackages();
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    record('system packages', 0, 1);
  }
}

bootstrap();
await systemPackages();
check('lint', process.execPath, ['node_modules/eslint/bin/eslint.js', '.']);
check('typecheck', process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']);
check('typecheck-webview', process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'src/webview']);
check('build', process.execPath, ['esbuild.mjs']);
unit();
for (const stage of ['integration', 'e2e']) await external(stage);

if (failures.length) console.log(`failed stages: ${failures.join(', ')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed > 0 ? 1 : 0);
