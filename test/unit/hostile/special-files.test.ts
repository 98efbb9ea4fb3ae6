// Hostile state, D8: FIFOs and devices where Lifeline reads a file. Each command must answer
// promptly (the child is killed at a deadline, so a hang fails the test) with one line or a
// finding, and leave every file as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createDb } from '../database/helpers';
import type { Row } from '../database/helpers';
import { makeRepo } from '../git/helpers';
import type { TestRepo } from '../git/helpers';
import { cliChild, mkfifo } from './cli-child';
import { hashTree, treeDiff } from './tree-hash';

const ROWS: Row[] = [
  ['ws-1', 'running', 'agent-1', '2020-01-01 00:00:00', null, null, null, null],
  ['ws-2', 'failed', 'agent-2', '2020-01-01 00:00:00', null, 'boom', null, null],
];

/** A repository with a database and one spec, as an orchestrator leaves it. */
function workspace(t: { after(fn: () => void): void }): TestRepo {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  mkdirSync(join(repo.root, '.state'));
  createDb(join(repo.root, '.state', 'orchestration.db'), ROWS);
  repo.write('workstreams/ws-1.json', '{"id": "ws-1", "depends_on": []}\n');
  return repo;
}

/** git refreshes its index on status; everything else must stay byte for byte. */
const SKIP = { skip: ['.git/index'] };

function oneLine(text: string): void {
  assert.equal(text.trim().split('\n').length, 1, `expected one line, got:\n${text}`);
}

test('a FIFO among the workstream specs is a finding, not a hang', { timeout: 60_000 }, async (t) => {
  const repo = workspace(t);
  mkfifo(join(repo.root, 'workstreams', 'zz.json'));
  const before = hashTree(repo.root, SKIP);
  const r = await cliChild(['diagnose', '--json'], repo.root);
  assert.equal(r.timedOut, false, 'diagnose hung on the FIFO');
  assert.equal(r.code, 0, r.err);
  const findings = (JSON.parse(r.out) as { findings: { id: string; detail: string }[] }).findings;
  const spec = findings.find((f) => f.id === 'invalid-spec:workstreams/zz.json');
  assert.ok(spec, r.out);
  assert.match(spec.detail, /is a FIFO, not a regular file/);
  assert.deepEqual(treeDiff(before, hashTree(repo.root, SKIP)), []);
});

test('a FIFO at .lifeline.json: diagnose, fix and journal each exit 2 with one line', { timeout: 90_000 }, async (t) => {
  const repo = workspace(t);
  mkfifo(join(repo.root, '.lifeline.json'));
  const before = hashTree(repo.root, SKIP);
  for (const args of [['diagnose'], ['fix', 'workstream.mark-failed:ws-1', '--yes'], ['journal'], ['undo', '--yes']]) {
    const r = await cliChild(args, repo.root);
    assert.equal(r.timedOut, false, `${args[0]} hung on the FIFO`);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    oneLine(r.err);
    assert.match(r.err, /\.lifeline\.json .*is a FIFO, not a regular file/);
  }
  assert.deepEqual(treeDiff(before, hashTree(repo.root, SKIP)), []);
});

test('a FIFO as the database: diagnose reports it unreadable, fix refuses (4, as for any unreadable database); nothing changes', { timeout: 60_000 }, async (t) => {
  const repo = workspace(t);
  rmSync(join(repo.root, '.state', 'orchestration.db'));
  mkfifo(join(repo.root, '.state', 'orchestration.db'));
  const before = hashTree(repo.root, SKIP);
  const d = await cliChild(['diagnose', '--json'], repo.root);
  assert.equal(d.timedOut, false, 'diagnose hung on the FIFO');
  assert.equal(d.code, 0, d.err);
  const unreadable = (JSON.parse(d.out) as { findings: { kind: string; detail: string }[] }).findings.find((f) => f.kind === 'db-unreadable');
  assert.ok(unreadable, d.out);
  assert.match(unreadable.detail, /FIFO/);
  const f = await cliChild(['fix', 'workstream.mark-failed:ws-1', '--yes'], repo.root);
  assert.equal(f.timedOut, false, 'fix hung on the FIFO');
  assert.equal(f.code, 4, f.err + f.out);
  oneLine(f.err);
  assert.match(f.err + f.out, /FIFO, not a regular file/);
  assert.deepEqual(treeDiff(before, hashTree(repo.root, SKIP)), []);
});

test("a FIFO as the database's -wal: diagnose and fix answer promptly; nothing changes", { timeout: 60_000 }, async (t) => {
  const repo = workspace(t);
  mkfifo(join(repo.root, '.state', 'orchestration.db-wal'));
  const before = hashTree(repo.root, SKIP);
  const d = await cliChild(['diagnose', '--json'], repo.root);
  assert.equal(d.timedOut, false, 'diagnose hung on the -wal FIFO');
  assert.equal(d.code, 0, d.err);
  assert.match(d.out, /db-unreadable/);
  const f = await cliChild(['fix', 'workstream.mark-failed:ws-1', '--yes'], repo.root);
  assert.equal(f.timedOut, false, 'fix hung on the -wal FIFO');
  assert.equal(f.code, 4, f.err + f.out);
  oneLine(f.err);
  assert.match(f.err + f.out, /orchestration\.db-wal is a FIFO/);
  assert.deepEqual(treeDiff(before, hashTree(repo.root, SKIP)), []);
});

test('a FIFO among the journal entries is reported, not read: journal and undo answer promptly', { timeout: 60_000 }, async (t) => {
  const repo = workspace(t);
  mkdirSync(join(repo.root, '.state', 'lifeline-journal'));
  mkfifo(join(repo.root, '.state', 'lifeline-journal', '20261201T000000000Z-aaaaaa.json'));
  const before = hashTree(repo.root, SKIP);
  const j = await cliChild(['journal'], repo.root);
  assert.equal(j.timedOut, false, 'journal hung on the FIFO');
  assert.equal(j.code, 0, j.err);
  assert.match(j.out, /^not trusted: 20261201T000000000Z-aaaaaa\.json: .* is a FIFO, not a regular file; not reading it$/m);
  const u = await cliChild(['undo', '--yes'], repo.root);
  assert.equal(u.timedOut, false, 'undo hung on the FIFO');
  assert.deepEqual(treeDiff(before, hashTree(repo.root, SKIP)), []);
});

test('a database symlinked to /dev/zero is refused at once, without reading it', { timeout: 60_000 }, async (t) => {
  const repo = workspace(t);
  rmSync(join(repo.root, '.state', 'orchestration.db'));
  symlinkSync('/dev/zero', join(repo.root, '.state', 'orchestration.db'));
  const before = hashTree(repo.root, SKIP);
  const d = await cliChild(['diagnose', '--json'], repo.root, 10_000);
  assert.equal(d.timedOut, false, 'diagnose kept reading /dev/zero');
  assert.equal(d.code, 0, d.err);
  assert.match(d.out, /db-unreadable/);
  assert.match(d.out, /leads outside the workspace/);
  const f = await cliChild(['fix', 'workstream.mark-failed:ws-1', '--yes'], repo.root, 10_000);
  assert.equal(f.timedOut, false);
  assert.equal(f.code, 4, f.err + f.out);
  oneLine(f.err);
  assert.deepEqual(treeDiff(before, hashTree(repo.root, SKIP)), []);
});

test('a database symlinked to a FIFO inside the workspace is refused as a FIFO', { timeout: 60_000 }, async (t) => {
  const repo = workspace(t);
  mkfifo(join(repo.root, '.state', 'pipe'));
  rmSync(join(repo.root, '.state', 'orchestration.db'));
  symlinkSync('pipe', join(repo.root, '.state', 'orchestration.db'));
  const before = hashTree(repo.root, SKIP);
  const f = await cliChild(['fix', 'workstream.mark-failed:ws-1', '--yes'], repo.root);
  assert.equal(f.timedOut, false, 'fix hung on the FIFO behind the link');
  assert.equal(f.code, 4, f.err + f.out);
  assert.match(f.err + f.out, /FIFO/);
  assert.deepEqual(treeDiff(before, hashTree(repo.root, SKIP)), []);
});

test('a FIFO among the playbooks is a file:line error; the others still classify', { timeout: 60_000 }, async (t) => {
  const repo = workspace(t);
  const dir = join(repo.root, 'pb');
  mkdirSync(dir);
  mkfifo(join(dir, 'evil.yaml'));
  repo.write('log.txt', 'sqlite3.OperationalError: database is locked\n');
  const r = await cliChild(['classify', 'log.txt', '--playbooks', dir], repo.root);
  assert.equal(r.timedOut, false, 'classify hung on the FIFO playbook');
  assert.match(r.err, /evil\.yaml:1: playbook .* is a FIFO, not a regular file/);
  assert.equal(r.code, 0, r.err);
});
