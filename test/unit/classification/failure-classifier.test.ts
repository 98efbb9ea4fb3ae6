import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadPlaybookDir } from '../../../src/core/playbooks/loader';
import { engineClassifier } from '../../../src/core/classification/failure-classifier';
import type { Classification, Outcome } from '../../../src/core/classification/failure-classifier';

function known(o: Outcome | undefined): Classification {
  assert.equal(o?.kind, 'known', JSON.stringify(o));
  return o as Classification;
}

const playbooks = loadPlaybookDir(join(__dirname, '..', '..', '..', 'playbooks')).then((r) => {
  assert.deepEqual(r.errors, []);
  return r.playbooks;
});

test('terminal output streamed in awkward chunks names the same failure as the whole text', async () => {
  const c = engineClassifier(await playbooks);
  const text = '\u001b[31mTraceback (most recent call last):\u001b[0m\r\n  File "orchestrate.py", line 12\r\nsqlite3.OperationalError: database is locked\r\n';
  const whole = known(c.classify(text, 'terminal'));
  assert.equal(whole.scenario, 'db-locked');
  assert.equal(whole.title, 'Database is locked');
  assert.ok(whole.evidence.some((e) => e.text === 'sqlite3.OperationalError: database is locked' && e.source === 'terminal'));
  const s = c.stream('terminal');
  for (let i = 0; i < text.length; i += 7) s.write(text.slice(i, i + 7));
  assert.deepEqual(s.end(), whole);
});

test('the fingerprint ignores what changes between two runs of the same failure', async () => {
  const c = engineClassifier(await playbooks);
  const a = known(c.classify('sqlite3.OperationalError: database is locked (pid 4242, 2025-01-07 12:00:01)', 'terminal'));
  const b = known(c.classify('sqlite3.OperationalError: database is locked (pid 17, 2025-01-08 09:30:44)', 'terminal'));
  assert.equal(a.fingerprint, b.fingerprint);
  const other = known(c.classify('ModuleNotFoundError: No module named requests', 'terminal'));
  assert.notEqual(other.fingerprint, a.fingerprint);
});

test('clean output names no failure', async () => {
  const c = engineClassifier(await playbooks);
  assert.equal(c.classify('===== 12 passed, 0 failed in 0.8s =====\n', 'terminal'), undefined);
});

test('output that clearly failed but matches no playbook is an unrecognised failure with its type and the triage guide', async () => {
  const c = engineClassifier(await playbooks);
  const summary = c.classify('running 12 checks\nFAIL spec/frobnicator_spec.rb\n', 'terminal');
  assert.deepEqual(summary && { ...summary, evidence: summary.evidence.map((e) => e.text) }, {
    kind: 'unrecognised',
    failureType: 'test_failure',
    evidence: ['FAIL spec/frobnicator_spec.rb'],
    guide: 'triage',
  });
  const traceback = c.classify('Traceback (most recent call last):\n  File "x.py", line 3, in <module>\nFrobError: the widget is sad\n', 'terminal');
  assert.equal(traceback?.kind, 'unrecognised');
  assert.equal(traceback.kind === 'unrecognised' && traceback.failureType, 'error');
  // Only the exit code says so: still a failure, with no evidence line.
  assert.deepEqual(c.classify('doing things\n', 'terminal', 2), { kind: 'unrecognised', failureType: 'error', evidence: [], guide: 'triage' });
  assert.equal(c.classify('doing things\n', 'terminal', 0), undefined);
  // Streamed in chunks: the same answer.
  const s = c.stream('terminal');
  for (const ch of 'running\nFAIL spec/frobnicator_spec.rb\n') s.write(ch);
  assert.deepEqual(s.end(), summary);
});

test("command lines a playbook forbids are caught with the playbook's reason, once per reason", async () => {
  const c = engineClassifier(await playbooks);
  const stamp = c.forbidden('alembic stamp head');
  assert.ok(stamp.length >= 1);
  assert.equal(new Set(stamp.map((h) => h.reason)).size, stamp.length);
  assert.ok(stamp.some((h) => h.scenario === 'migration-error'));
  assert.ok(c.forbidden('rm -f .state/orchestration.db-wal').some((h) => /checkpoint/i.test(h.reason)), 'deleting the WAL is refused');
  assert.deepEqual(c.forbidden('alembic upgrade head'), []);
  assert.deepEqual(c.forbidden('git status'), []);
});
