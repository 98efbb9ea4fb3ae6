// `lifeline playbooks import` end to end through the CLI dispatcher: JSON for machines, a
// summary for people, --out files the loader accepts, no overwrite without --force, and one-line
// errors with the documented exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlaybookDir } from '../../../src/core/playbooks/loader';
import { EXIT } from '../../../src/cli/io';
import { cli, fixtures } from './helpers';

function workdir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-import-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  copyFileSync(join(fixtures, 'issue-numbered.md'), join(dir, 'runbook.md'));
  return dir;
}

const oneLine = (s: string): boolean => s.endsWith('\n') && !s.slice(0, -1).includes('\n');

test('--json prints the canonical playbooks and nothing else', async (t) => {
  const dir = workdir(t);
  const r = await cli(['playbooks', 'import', 'runbook.md', '--json'], dir);
  assert.equal(r.code, EXIT.ok);
  assert.equal(r.err, '');
  const playbooks = JSON.parse(r.out) as { id: string; title: string; symptoms: unknown[]; nodes: { id: string; kind: string }[]; source: string }[];
  assert.deepEqual(playbooks.map((p) => p.id), ['webhook-signature-rejected', 'issue-2', 'slow-checkout']);
  assert.ok(playbooks.every((p) => p.title && Array.isArray(p.symptoms) && p.nodes.length > 0));
  assert.equal(playbooks[0]!.source, 'imported from runbook.md');
  assert.deepEqual(Object.keys(playbooks[0]!.nodes[0]!).slice(0, 3), ['id', 'kind', 'title']);
  assert.equal(readdirSync(dir).length, 1, 'nothing written without --out');
});

test('people get a summary naming each playbook and what to review', async (t) => {
  const dir = workdir(t);
  const r = await cli(['playbooks', 'import', 'runbook.md'], dir);
  assert.equal(r.code, EXIT.ok);
  assert.match(r.out, /^Imported 3 playbooks from runbook\.md \(one per scenario section\):/);
  for (const id of ['webhook-signature-rejected', 'issue-2', 'slow-checkout']) assert.match(r.out, new RegExp(`^  ${id} +`, 'm'));
  assert.match(r.out, /webhook-signature-rejected +Webhook signature rejected +\(2 symptoms, \d+ nodes, 3 commands\)/);
  assert.match(r.out, /Nothing written: pass --out DIR/);
  assert.doesNotMatch(r.out, /once resolved|when not resolved|Left out/, 'this runbook has no general sections');
  assert.match(r.out, /Review before use/);
});

test('the summary says where the general sections went', async (t) => {
  const dir = workdir(t);
  writeFileSync(join(dir, 'general.md'), '# R\n\n## Overview\n\nWords.\n\n## Issue: A\n\n1. Do `git status`\n\n## Prevention\n\n- Be careful\n\n## Escalation\n\nCall the on-call person.\n');
  const r = await cli(['playbooks', 'import', 'general.md'], dir);
  assert.equal(r.code, EXIT.ok, r.err);
  assert.match(r.out, /^Every playbook ends with, once resolved: Prevention$/m);
  assert.match(r.out, /^Every playbook offers, when not resolved: Escalation$/m);
  assert.match(r.out, /^Left out: Overview$/m);
});

test('--out writes one YAML file per playbook that the loader accepts as imported', async (t) => {
  const dir = workdir(t);
  const json = JSON.parse((await cli(['playbooks', 'import', 'runbook.md', '--json'], dir)).out) as unknown[];
  const r = await cli(['playbooks', 'import', 'runbook.md', '--out', 'imported'], dir);
  assert.equal(r.code, EXIT.ok, r.err);
  assert.deepEqual(readdirSync(join(dir, 'imported')).sort(), ['issue-2.yaml', 'slow-checkout.yaml', 'webhook-signature-rejected.yaml']);
  assert.match(r.out, /Wrote 3 files: imported[\\/]webhook-signature-rejected\.yaml/);
  const loaded = await loadPlaybookDir(join(dir, 'imported'));
  assert.deepEqual(loaded.errors, []);
  const byId = new Map(loaded.playbooks.map((p) => [p.id, p]));
  assert.deepEqual((json as { id: string }[]).map((p) => byId.get(p.id)), json);
  assert.match(readFileSync(join(dir, 'imported', 'issue-2.yaml'), 'utf8'), /^# Imported from runbook\.md by `lifeline playbooks import`\./);
});

test('existing files are never replaced without --force: a one-line refusal, files untouched', async (t) => {
  const dir = workdir(t);
  assert.equal((await cli(['playbooks', 'import', 'runbook.md', '--out', 'out'], dir)).code, EXIT.ok);
  const mine = join(dir, 'out', 'issue-2.yaml');
  writeFileSync(mine, '# my own edits\n');
  const before = readdirSync(join(dir, 'out')).sort();
  const webhook = readFileSync(join(dir, 'out', 'webhook-signature-rejected.yaml'), 'utf8');
  writeFileSync(join(dir, 'out', 'webhook-signature-rejected.yaml'), '# also mine\n');

  const refused = await cli(['playbooks', 'import', 'runbook.md', '--out', 'out'], dir);
  assert.equal(refused.code, EXIT.refused);
  assert.equal(refused.out, '');
  assert.ok(oneLine(refused.err), refused.err);
  assert.match(refused.err, /^lifeline: refusing to overwrite .*webhook-signature-rejected\.yaml \(and 2 more\); pass --force to replace\n$/);
  assert.equal(readFileSync(mine, 'utf8'), '# my own edits\n');
  assert.deepEqual(readdirSync(join(dir, 'out')).sort(), before);

  const forced = await cli(['playbooks', 'import', 'runbook.md', '--out', 'out', '--force'], dir);
  assert.equal(forced.code, EXIT.ok, forced.err);
  assert.equal(readFileSync(join(dir, 'out', 'webhook-signature-rejected.yaml'), 'utf8'), webhook);
  assert.notEqual(readFileSync(mine, 'utf8'), '# my own edits\n');
  assert.deepEqual(readdirSync(join(dir, 'out')).sort(), before, 'no temporary files left');
});

test('--json with --out writes the files and prints only the JSON', async (t) => {
  const dir = workdir(t);
  const r = await cli(['playbooks', 'import', 'runbook.md', '--json', '--out', 'out'], dir);
  assert.equal(r.code, EXIT.ok, r.err);
  assert.equal((JSON.parse(r.out) as unknown[]).length, 3);
  assert.equal(readdirSync(join(dir, 'out')).length, 3);
});

test('a file too large to be a runbook exits 1 without being read whole', async (t) => {
  const dir = workdir(t);
  writeFileSync(join(dir, 'huge.md'), Buffer.alloc(5 * 1024 * 1024 + 1, 0x61));
  const r = await cli(['playbooks', 'import', 'huge.md'], dir);
  assert.equal(r.code, EXIT.failure);
  assert.match(r.err, /^lifeline: huge\.md: too large for a runbook \(5242881 bytes; the limit is 5242880\)\n$/);
});

test('a file without scenarios exits 1 with one line and writes nothing', async (t) => {
  const dir = workdir(t);
  copyFileSync(join(fixtures, 'no-scenarios.md'), join(dir, 'notes.md'));
  const r = await cli(['playbooks', 'import', 'notes.md', '--out', 'out'], dir);
  assert.equal(r.code, EXIT.failure);
  assert.equal(r.out, '');
  assert.ok(oneLine(r.err), r.err);
  assert.match(r.err, /^lifeline: notes\.md: no scenarios found: /);
  assert.ok(!existsSync(join(dir, 'out')));
});

test('an unreadable file exits 2 with one line', async (t) => {
  const dir = workdir(t);
  for (const [target, why] of [['missing.md', 'ENOENT'], ['.', 'not a regular file']] as const) {
    const r = await cli(['playbooks', 'import', target], dir);
    assert.equal(r.code, EXIT.usage, target);
    assert.equal(r.err, `lifeline: cannot read ${target}: ${why}\n`);
  }
});

test('bad usage exits 2: no file, two files, an unknown option, --out onto a file', async (t) => {
  const dir = workdir(t);
  for (const args of [[], ['a.md', 'b.md'], ['runbook.md', '--bogus'], ['runbook.md', '--out', 'runbook.md']]) {
    const r = await cli(['playbooks', 'import', ...args], dir);
    assert.equal(r.code, EXIT.usage, args.join(' '));
    assert.ok(oneLine(r.err), r.err);
  }
  const help = await cli(['playbooks', 'import', '--help'], dir);
  assert.equal(help.code, EXIT.ok);
  assert.match(help.out, /^Usage: lifeline playbooks import FILE\.md \[--json\] \[--out DIR\] \[--force\]/);
});
