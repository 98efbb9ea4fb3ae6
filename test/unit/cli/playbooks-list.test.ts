// `lifeline playbooks list`: grouped text for people, stable JSON for machines, user folders
// overriding built-ins by id, and one-line errors with the documented exit codes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parse } from 'yaml';
import { runCli } from '../../../src/cli/run';
import type { CliIO } from '../../../src/cli/io';
import { isPlaybookFileName } from '../../../src/core/playbooks/loader';

const builtInDir = join(__dirname, '..', '..', '..', 'playbooks');
const builtInFiles = readdirSync(builtInDir).filter(isPlaybookFileName);
/** What the files say, read independently of the loader. */
const builtInRaw = new Map(builtInFiles.map((f) => {
  const v = parse(readFileSync(join(builtInDir, f), 'utf8')) as Record<string, unknown>;
  return [v.id as string, v];
}));

async function run(args: string[], color = false): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on('data', (c: Buffer) => chunks.out.push(c));
  err.on('data', (c: Buffer) => chunks.err.push(c));
  const io: CliIO = { out, err, stdin: new PassThrough(), color, cwd: process.cwd() };
  const code = await runCli(args, io);
  return { code, out: Buffer.concat(chunks.out).toString('utf8'), err: Buffer.concat(chunks.err).toString('utf8') };
}

const temp = mkdtempSync(join(tmpdir(), 'lifeline-list-'));
after(() => rmSync(temp, { recursive: true, force: true }));

function userDir(name: string, files: Record<string, string>): string {
  const d = join(temp, name);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d);
  for (const [f, text] of Object.entries(files)) writeFileSync(join(d, f), text);
  return d;
}

const playbook = (id: string, title: string, category = 'custom') => `lifeline: 1
id: ${id}
title: ${title}
category: ${category}
severity: 4
failureType: timeout
recoverable: false
recoverableReason: Ours needs a person.
source: team runbook
nodes:
  - id: done
    kind: end
    title: Done
    outcome: resolved
`;

test('--json lists every built-in once with the documented fields, straight from the files', async () => {
  const r = await run(['playbooks', 'list', '--json']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  const rows = JSON.parse(r.out) as Record<string, unknown>[];
  assert.equal(rows.length, builtInFiles.length);
  for (const row of rows) {
    assert.deepEqual(Object.keys(row), ['id', 'title', 'category', 'severity', 'failureType', 'recoverable', 'source', 'origin']);
    const raw = builtInRaw.get(row.id as string)!;
    assert.ok(raw, `unknown id ${String(row.id)}`);
    assert.equal(row.title, raw.title);
    assert.equal(row.category, raw.category ?? 'general');
    assert.equal(row.severity, raw.severity);
    assert.equal(row.failureType, raw.failureType);
    assert.equal(row.recoverable, raw.recoverable);
    assert.equal(row.source, raw.source ?? null);
    assert.equal(row.origin, 'built-in');
  }
  const keys = rows.map((r) => `${String(r.category)}\u0000${String(r.id)}`);
  assert.deepEqual(keys, [...keys].sort((a, b) => a.localeCompare(b, 'en')), 'sorted by category, then id');
});

test('the text listing groups playbooks under their category headings', async () => {
  const r = await run(['playbooks', 'list']);
  assert.equal(r.code, 0, r.err);
  assert.ok(!r.out.includes('\u001b['), 'no colour when io.color is false');
  const lines = r.out.split('\n');
  let heading = '';
  const seen = new Map<string, string>();
  for (const line of lines) {
    if (/^\S/.test(line) && !/^\d+ playbooks/.test(line)) heading = line;
    const m = /^ {2}(\S+)\s+S(\d) /.exec(line);
    if (m) seen.set(m[1]!, heading);
  }
  assert.equal(seen.size, builtInRaw.size);
  for (const [id, raw] of builtInRaw) assert.equal(seen.get(id), raw.category ?? 'general', id);
  assert.match(r.out, new RegExp(`^${builtInRaw.size} playbooks\\.`, 'm'));
  const colored = await run(['playbooks', 'list'], true);
  assert.ok(colored.out.includes('\u001b[1morchestration\u001b[0m'), 'category headings are bold at a terminal');
});

test('a user folder overrides a built-in by id and adds its own', async () => {
  const dir = userDir('override', {
    'triage.yaml': playbook('triage', 'Our own triage', 'general'),
    'mine.yml': playbook('our-outage', 'Our outage'),
  });
  const r = await run(['playbooks', 'list', '--json', '--playbooks', dir]);
  assert.equal(r.code, 0, r.err);
  const rows = JSON.parse(r.out) as { id: string; title: string; origin: string; source: string }[];
  assert.equal(rows.length, builtInFiles.length + 1);
  assert.equal(rows.filter((x) => x.id === 'triage').length, 1);
  assert.deepEqual(rows.find((x) => x.id === 'triage'), { ...rows.find((x) => x.id === 'triage'), title: 'Our own triage', origin: 'user', source: 'team runbook' });
  assert.equal(rows.find((x) => x.id === 'our-outage')?.origin, 'user');
  assert.equal(rows.find((x) => x.id === 'escalation')?.origin, 'built-in');

  const text = await run(['playbooks', 'list', '--playbooks', dir]);
  assert.match(text.out, /^ {2}triage\s.*Our own triage \(user, overrides built-in\)$/m);
  assert.match(text.out, /^custom$\n^ {2}our-outage\s.*Our outage \(user\)$/m);
  assert.match(text.out, /2 from the user folder/);
});

test('a broken user playbook is reported as file:line on stderr, the rest still listed, exit 1', async () => {
  const dir = userDir('broken', {
    'good.yaml': playbook('our-outage', 'Our outage'),
    'bad.yaml': playbook('bad-one', 'Bad').replace('severity: 4', 'severity: 9'),
  });
  const r = await run(['playbooks', 'list', '--json', '--playbooks', dir]);
  assert.equal(r.code, 1);
  const errLines = r.err.trim().split('\n');
  assert.equal(errLines.length, 1, r.err);
  assert.match(errLines[0]!, /^lifeline: .*bad\.yaml:5:11: `severity` is 9: it must be at most 5$/);
  const ids = (JSON.parse(r.out) as { id: string }[]).map((x) => x.id);
  assert.ok(ids.includes('our-outage'));
  assert.ok(!ids.includes('bad-one'));
});

test('bad usage exits 2 with one line on stderr and nothing on stdout', async () => {
  const cases: [string[], RegExp][] = [
    [['playbooks', 'list', 'extra'], /takes no arguments/],
    [['playbooks', 'list', '--bogus'], /bogus/],
    [['playbooks', 'list', '--playbooks'], /playbooks/],
    [['playbooks', 'list', '--playbooks', ''], /needs a folder/],
    [['playbooks', 'list', '--playbooks', join(temp, 'does-not-exist')], /does-not-exist: cannot read playbook folder: ENOENT/],
  ];
  for (const [args, message] of cases) {
    const r = await run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.out, '', args.join(' '));
    assert.equal(r.err.split('\n').filter(Boolean).length, 1, r.err);
    assert.match(r.err, /^lifeline: /);
    assert.match(r.err, message);
  }
});

test('--help prints the usage and exits 0', async () => {
  const r = await run(['playbooks', 'list', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.out, /^Usage: lifeline playbooks list \[--json\] \[--playbooks DIR\]/);
  const top = await run(['--help']);
  assert.match(top.out, /playbooks list/);
});
