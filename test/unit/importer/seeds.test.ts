// The acceptance tests of the importer against the seed runbooks: the scenarios each yields,
// their symptoms, steps and commands, and the promise that every command in every fenced
// block lands verbatim in some node's commands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importRunbook } from '../../../src/core/importer/import-runbook';
import { ImportError } from '../../../src/core/importer/errors';
import { playbookToYaml } from '../../../src/core/importer/playbook-yaml';
import { parsePlaybook } from '../../../src/core/playbooks/loader';
import { isTextSymptom } from '../../../src/core/playbooks/model';
import type { Playbook, PlaybookNode } from '../../../src/core/playbooks/model';
import { readSeed, seedPath, unmangle } from './helpers';
import { blockRole, commandLines, comparable, fencedBlocks } from './fence-lines';

const cache = new Map<string, Playbook[]>();
function seed(prefix: string): Playbook[] {
  if (!cache.has(prefix)) cache.set(prefix, importRunbook(readSeed(prefix), seedPath(prefix)).playbooks);
  return cache.get(prefix)!;
}

/** The seed's text as its authors wrote it: 001 was read as Mac Roman, 003 as cp1252 (repaired here by Python). */
function seedText(prefix: string): string {
  const raw = readSeed(prefix).toString('utf8');
  if (prefix === '001') return unmangle(raw, 'mac_roman');
  if (prefix === '003') return unmangle(raw, 'cp1252');
  return raw;
}

/** A seed's command as the playbook writes it: its `<placeholders>` as `{{placeholders}}` the guide fills. */
const written = (cmd: string): string =>
  cmd.replace(/<([A-Za-z][A-Za-z0-9 _-]{0,40})>/g, (_, w: string) => `{{${w.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')}}}`);
const runs = (p: Playbook): string[] => p.nodes.flatMap((n) => (n.kind === 'step' ? n.commands.map((c) => c.run) : []));
const node = (p: Playbook, id: string): PlaybookNode => {
  const n = p.nodes.find((x) => x.id === id);
  assert.ok(n, `${p.id} has no node ${id}`);
  return n;
};
const steps = (p: Playbook): string[] => p.nodes.filter((n) => n.kind === 'step').map((n) => n.title);
/** Whether some symptom of the playbook matches a line of output. */
const matches = (p: Playbook, line: string): boolean => p.symptoms.some((s) => isTextSymptom(s) && new RegExp(s.pattern, 'iu').test(line));

test('seed 001 yields its six scenarios', () => {
  assert.deepEqual(
    seed('001').map((p) => [p.id, p.title]),
    [
      ['orchestrator-crashes-mid-execution', 'Orchestrator Crashes Mid-Execution'],
      ['agent-hangs-for-1-hour', 'Agent Hangs for >1 Hour'],
      ['git-worktree-corruption', 'Git Worktree Corruption'],
      ['tests-fail-after-merge', 'Tests Fail After Merge'],
      ['database-lock-errors', 'Database Lock Errors'],
      ['dependency-deadlock', 'Dependency Deadlock'],
    ],
  );
});

test('seed 001: symptoms from the lists, the quoted errors and the quick-triage table', () => {
  const [crash, hang, corruption, , lock, deadlock] = seed('001');
  // Every symptom line the runbook writes for worktree corruption is recognised.
  for (const line of [
    '`git worktree list` shows "prunable" entries',
    'Error: "fatal: \'.worktrees/agent-1-ws-22\' is not a valid path"',
    'Cannot remove worktree with standard commands',
    '`.git/worktrees/` directory has orphaned folders',
  ]) {
    assert.ok(matches(corruption!, line.replace(/`/g, '')), line);
  }
  // The quoted error matches the real message, not just the runbook's sentence.
  assert.ok(matches(corruption!, "fatal: '.worktrees/agent-1-ws-22' is not a valid path"));
  assert.ok(matches(lock!, 'sqlite3.OperationalError: database is locked'));
  assert.ok(matches(crash!, 'Traceback ... KeyboardInterrupt'));
  // From the triage table: "symptom -> the scenario it jumps to".
  assert.ok(matches(crash!, 'Python crash, worktrees remain'));
  assert.ok(matches(hang!, 'Workstream stuck "running" >1 hour'));
  assert.ok(matches(corruption!, 'not a valid path'));
  assert.ok(matches(deadlock!, 'All agents stuck at 0%'));
  assert.ok(!matches(lock!, 'All agents stuck at 0%'), 'a triage row lands on its own scenario only');
  assert.deepEqual(corruption!.rootCauses.length, 4);
});

test('seed 001: steps, verbatim commands and the decision tree', () => {
  const [crash, hang, corruption] = seed('001');
  assert.deepEqual(steps(corruption!).slice(0, 5), [
    'Step 1: Prune Invalid Entries',
    'Step 2: Manual Cleanup (If Prune Fails)',
    'Step 3: Rebuild Worktree Metadata',
    'Step 4: Clean Physical Directories',
    'Step 5: Reset Database State',
  ]);
  const all = seed('001').flatMap(runs);
  for (const cmd of ['git worktree prune', 'git worktree prune -v', 'git worktree repair', 'git merge ws/<ws-id>/<agent-id> --no-edit', 'git merge ws/<ws-id>/agent-<N> --no-edit  # Or handle conflicts']) {
    assert.ok(all.includes(written(cmd)), cmd);
  }
  assert.ok(runs(corruption!).includes('git worktree repair'));
  assert.ok(runs(crash!).includes('git merge ws/{{ws-id}}/{{agent-id}} --no-edit'));
  // The guide asks for what the runbook left in angle brackets.
  assert.deepEqual(crash!.inputs.map((i) => i.name).filter((n) => n === 'ws-id' || n === 'agent-id').sort(), ['agent-id', 'ws-id']);

  // "Has commits AND changes look correct? ├─ YES → Step 3 └─ NO → Step 4"
  const q = node(crash!, 'decide-has-commits-and-changes-look-correct');
  assert.equal(q.kind, 'question');
  assert.equal(node(crash!, 'step-2-check-each-running-workstream').kind === 'step' && (node(crash!, 'step-2-check-each-running-workstream') as { next?: string }).next, q.id);
  assert.deepEqual(q.kind === 'question' && q.options.map((o) => o.next), ['step-3-manual-merge-if-work-is-valid', 'step-4-mark-failed-workstreams']);
  // The two branches are alternatives: both continue with step 5.
  for (const id of ['step-3-manual-merge-if-work-is-valid', 'step-4-mark-failed-workstreams']) {
    const n = node(crash!, id);
    assert.equal(n.kind === 'step' && n.next, 'step-5-clean-up-worktrees');
  }
  const hangQ = hang!.nodes.find((n) => n.kind === 'question' && n.id !== 'outcome');
  assert.deepEqual(hangQ?.kind === 'question' && hangQ.options.map((o) => o.label), ['YES: Step 3 (save work)', 'NO: Step 4 (abandon and retry)']);
});

test('seed 001: prevention and escalation are reachable from every scenario', () => {
  for (const p of seed('001')) {
    const outcome = node(p, 'outcome');
    assert.equal(outcome.kind, 'question');
    assert.ok(runs(p).includes('python scripts/preflight_validator.py'), p.id);
    assert.ok(runs(p).includes('sqlite3 .state/orchestration.db .dump > state_dump.sql'), p.id);
    assert.ok(p.nodes.some((n) => n.kind === 'end' && n.outcome === 'resolved'));
    assert.ok(p.nodes.some((n) => n.kind === 'end' && n.outcome === 'escalate'));
  }
});

test('seed 003 yields its ten scenarios with procedures as steps and no mojibake left', () => {
  const playbooks = seed('003');
  assert.deepEqual(
    playbooks.map((p) => p.title),
    [
      'Incomplete or Invalid Prompts',
      'Architecture Conflicts',
      'Test Failures During Generation',
      'Quality Gate Failures',
      'Mid-Workflow Requirement Changes',
      'External Dependency Failures',
      'Rollback to Previous Stage',
      'User Aborts Workflow',
      'Conflicting Quality Requirements',
      'Infinite Loop / Stuck State',
    ],
  );
  assert.deepEqual(steps(playbooks[0]!).slice(0, 8), [
    'STOP immediately — do NOT proceed to Stage 2',
    'Identify ALL missing fields using PROMPT_VALIDATION_GUIDE.md',
    'Use PROMPT_TEMPLATES.md to formulate clarification questions',
    'Send clarification request to user with',
    'WAIT for user response',
    'Re-validate prompt',
    'If still incomplete → repeat steps 2-6',
    'If complete → proceed to Stage 2',
  ]);
  assert.ok(playbooks.every((p) => p.symptoms.length >= 3), 'each scenario lists its symptoms');
  assert.equal(playbooks[2]!.failureType, 'test_failure');
  assert.equal(playbooks[0]!.summary, 'Stage: 1 (Prompt Validation)');
  const json = JSON.stringify(playbooks);
  assert.doesNotMatch(json, /â€|ðŸ|â†|Ã|Â/);
});

test('seed 000 yields its seven scenarios; General Principles is shared, not an eighth', () => {
  const playbooks = seed('000');
  assert.deepEqual(
    playbooks.map((p) => p.id),
    ['import-module-not-found', 'test-failure', 'database-migration-error', 'authentication-jwt-error', 'n-1-query-slow-response', 'rate-limit-quota-error-gemini-api', 'serena-memory-unavailable'],
  );
  const [imports, tests, migration, auth] = playbooks;
  assert.deepEqual(imports!.symptoms.map((s) => isTextSymptom(s) && s.pattern), ['ModuleNotFoundError', 'ImportError', 'No module named X']);
  assert.equal(tests!.failureType, 'test_failure');
  assert.equal(auth!.failureType, 'auth_failure');
  assert.ok(runs(tests!).includes('pytest path/to/test.py::test_name -v'));
  assert.ok(runs(migration!).includes('alembic current'));
  assert.ok(runs(migration!).includes('alembic downgrade -1'));
  assert.ok(!seed('000').flatMap(runs).some((r) => r.includes('pip install')), '"do NOT install yourself" is not offered');
  // "**NEVER do this**: `alembic stamp head` (risk of data loss)"
  assert.equal(migration!.forbidden.length, 1);
  assert.match('alembic  stamp head', new RegExp(migration!.forbidden[0]!.pattern));
  assert.match(migration!.forbidden[0]!.reason, /risk of data loss/);
  assert.ok(!steps(migration!).some((t) => /NEVER/.test(t)), 'a prohibition is not a step');
  for (const p of playbooks) assert.ok(p.nodes.some((n) => n.title === 'General Principles'), p.id);
});

test('seed 002 has no scenario headings and reads as one runbook; seed 004 has no scenarios', () => {
  const r = importRunbook(readSeed('002'), seedPath('002'));
  assert.equal(r.layout, 'single');
  assert.deepEqual(r.playbooks.map((p) => p.id), ['failure-recovery']);
  assert.throws(() => importRunbook(readSeed('004'), seedPath('004')), (e: unknown) => e instanceof ImportError && /no scenarios found/.test(e.message));
});

test('every command line of every fenced block of every seed lands verbatim in some node', () => {
  let checked = 0;
  for (const prefix of ['000', '001', '002', '003', '004']) {
    const blocks = fencedBlocks(seedText(prefix));
    if (prefix === '004') {
      assert.equal(blocks.length, 0, 'seed 004 has no fenced blocks (and no scenarios)');
      continue;
    }
    const commandLinesOut = new Set(seed(prefix).flatMap(runs).flatMap((r) => r.split('\n').map((l) => l.trim())));
    for (const b of blocks.filter((x) => blockRole(x) === 'commands')) {
      for (const line of commandLines(b)) {
        assert.ok(commandLinesOut.has(written(line)), `seed ${prefix} line ${b.line}: "${line}" is in no node's commands`);
        checked++;
      }
    }
  }
  assert.ok(checked >= 200, `only ${checked} command lines checked`);
});

test('every line of the seeds\' procedures, trees and other text blocks lands in a node', () => {
  let checked = 0;
  for (const prefix of ['001', '002', '003']) {
    const blocks = fencedBlocks(seedText(prefix)).filter((b) => blockRole(b) === 'prose');
    const texts = seed(prefix).flatMap((p) => p.nodes.flatMap((n) => [n.title, ...(n.body ?? '').split('\n')]));
    const shown = new Set(texts.map(comparable));
    const inText = (s: string): boolean => shown.has(s) || texts.some((t) => comparable(t).includes(s));
    for (const b of blocks) {
      for (const raw of b.lines.filter((l) => l.trim())) {
        const line = comparable(raw);
        if (!line) continue;
        // A numbered line becomes a step titled without its number (and without a closing colon).
        const unnumbered = line.replace(/^\d+\.\s+/, '').replace(/:$/, '');
        assert.ok(inText(line) || inText(unnumbered), `seed ${prefix} line ${b.line}: "${raw.trim()}" is nowhere`);
        checked++;
      }
    }
  }
  assert.ok(checked > 100, `only ${checked} lines checked`);
});

test('no symptom is invented: each one is text the runbook holds', () => {
  for (const prefix of ['000', '001', '003']) {
    const source = comparable(seedText(prefix).replace(/[`*]/g, ''));
    for (const p of seed(prefix)) {
      for (const s of p.symptoms) {
        assert.ok(isTextSymptom(s));
        const literal = comparable(s.pattern.replace(/\\(.)/g, '$1'));
        assert.ok(source.includes(literal), `${p.id}: "${literal}" is not in seed ${prefix}`);
      }
    }
  }
});

test('every imported seed playbook survives YAML and the playbook loader unchanged', () => {
  for (const prefix of ['000', '001', '002', '003']) {
    for (const p of seed(prefix)) {
      const r = parsePlaybook(playbookToYaml(p, 'test'), `${p.id}.yaml`);
      assert.deepEqual(r.errors, [], p.id);
      assert.deepEqual(r.playbook, p);
    }
  }
});
