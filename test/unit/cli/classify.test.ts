import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../../src/cli/run';
import type { CliIO } from '../../../src/cli/io';

function io(stdinText?: string): CliIO & { stdout: () => string; stderr: () => string } {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d) => (o += String(d)));
  err.on('data', (d) => (e += String(d)));
  const stdin = Readable.from(stdinText === undefined ? [] : [stdinText]) as NodeJS.ReadableStream & { isTTY?: boolean };
  if (stdinText === undefined) stdin.isTTY = true;
  return { out, err, stdin, color: false, cwd: process.cwd(), stdout: () => o, stderr: () => e };
}

test('classify --json: exit 0 and the scenario when something matched', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-cli-'));
  const file = join(dir, 'out.log');
  writeFileSync(file, 'fatal: Authentication failed for \'https://example.com/r.git/\'\n');
  const c = io();
  assert.equal(await runCli(['classify', file, '--json'], c), 0);
  const json = JSON.parse(c.stdout());
  assert.equal(json.scenario, 'auth-error');
  assert.equal(json.failure_type, 'auth_failure');
});

test('classify -: reads standard input; exit 3 and scenario null when nothing matched', async () => {
  const c = io('all good\n');
  assert.equal(await runCli(['classify', '-', '--json'], c), 3);
  assert.equal(JSON.parse(c.stdout()).scenario, null);
});

test('classify: exit 2 with a one-line error for an unreadable file or bad usage', async () => {
  const c = io();
  assert.equal(await runCli(['classify', join(tmpdir(), 'no-such-file-lifeline.log')], c), 2);
  assert.match(c.stderr(), /^lifeline: cannot read .*ENOENT\n$/);
  const d = io();
  assert.equal(await runCli(['classify', '--bogus'], d), 2);
  assert.equal(d.stderr().split('\n').filter(Boolean).length, 1);
  const t = io();
  assert.equal(await runCli(['classify'], t), 2, 'no file and a terminal on stdin');
});

test('classify prints a readable summary for people', async () => {
  const c = io('Error: connect ECONNREFUSED 127.0.0.1:6379\n');
  assert.equal(await runCli(['classify', '-'], c), 0);
  assert.match(c.stdout(), /Network connection failed \(network-failure/);
  assert.match(c.stdout(), /line 1: Error: connect ECONNREFUSED/);
});

test('classify --json: a failure no playbook knows keeps scenario null, adds failed: true and the triage guide', async () => {
  const c = io('Traceback (most recent call last):\n  File "x.py", line 1, in <module>\nKeyError: \'k\'\n');
  assert.equal(await runCli(['classify', '-', '--json'], c), 3);
  const json = JSON.parse(c.stdout());
  assert.equal(json.scenario, null);
  assert.equal(json.failed, true);
  assert.equal(json.failure_type, 'error');
  assert.equal(json.guide, 'triage');
  const h = io('KeyError: \'k\'\n');
  assert.equal(await runCli(['classify', '-'], h), 3);
  assert.match(h.stdout(), /^Failed, but no playbook recognises how \(error\)\n {2}line 1: KeyError: 'k'/);
  assert.match(h.stdout(), /triage guide/);
});

test('classify --exit-code: a non-zero code marks quiet output failed; a bad value is a usage error', async () => {
  const c = io('done?\n');
  assert.equal(await runCli(['classify', '-', '--json', '--exit-code', '1'], c), 3);
  assert.equal(JSON.parse(c.stdout()).failed, true);
  const z = io('done\n');
  assert.equal(await runCli(['classify', '-', '--json', '--exit-code', '0'], z), 3);
  assert.equal(JSON.parse(z.stdout()).failed, false);
  const b = io('x\n');
  assert.equal(await runCli(['classify', '-', '--exit-code', 'one'], b), 2);
  assert.match(b.stderr(), /--exit-code must be a whole number/);
});
