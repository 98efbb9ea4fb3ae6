// The built-in playbooks as a set: they load cleanly, every seed scenario has one, their
// symptoms recognise real tool output without stealing root causes, their forbidden commands
// catch what they must and nothing the playbooks themselves offer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isPlaybookFileName, loadPlaybookDir } from '../../../src/core/playbooks/loader';
import { isTextSymptom } from '../../../src/core/playbooks/model';
import type { Playbook } from '../../../src/core/playbooks/model';
import { compileForbidden, forbiddenHits } from '../../../src/core/playbooks/forbidden';
import { compilePattern } from '../../../src/core/playbooks/patterns';

const dir = join(__dirname, '..', '..', '..', 'playbooks');

/** Issue 2's root-cause scenario ids, written on another branch (db-locked is already here). */
const ROOT_CAUSE_IDS = [
  'worktree-corruption', 'db-locked', 'migration-error', 'import-error', 'test-failure', 'auth-error',
  'rate-limit', 'merge-conflict', 'network-failure', 'timeout', 'process-crash', 'dependency-cycle',
];

/** Every scenario (and recovery section) of the seeds -> the playbook that covers it. */
const SEED_SCENARIOS: [seed: string, heading: string, id: string][] = [
  ['000', 'Import / Module Not Found', 'import-error'],
  ['000', 'Test Failure', 'test-failure'],
  ['000', 'Database Migration Error', 'migration-error'],
  ['000', 'Authentication / JWT Error', 'auth-error'],
  ['000', 'N+1 Query / Slow Response', 'slow-response'],
  ['000', 'Rate Limit / Quota Error (Gemini API)', 'rate-limit'],
  ['000', 'Serena Memory Unavailable', 'memory-service-down'],
  ['000', 'General Principles: After 3 failures', 'repeated-failure'],
  ['000', 'General Principles: Blocked', 'blocked-no-progress'],
  ['000', 'General Principles: Out of scope', 'out-of-scope-issue'],
  ['001', 'Scenario 1: Orchestrator Crashes Mid-Execution', 'orchestrator-crash'],
  ['001', 'Scenario 1: Orchestrator Crashes Mid-Execution', 'ghost-run'],
  ['001', 'Scenario 2: Agent Hangs for >1 Hour', 'agent-hang'],
  ['001', 'Scenario 3: Git Worktree Corruption', 'worktree-corruption'],
  ['001', 'Scenario 4: Tests Fail After Merge', 'tests-fail-after-merge'],
  ['001', 'Scenario 5: Database Lock Errors', 'db-locked'],
  ['001', 'Scenario 6: Dependency Deadlock', 'dependency-cycle'],
  ['001', 'Prevention Best Practices', 'orchestrator-crash'],
  ['001', 'Escalation: When to Seek Help', 'escalation'],
  ['001', 'Emergency Reset (Nuclear Option)', 'emergency-reset'],
  ['002', 'Severity Levels', 'triage'],
  ['002', 'Failure Response Protocol', 'triage'],
  ['002', 'Failure Report Template', 'escalation'],
  ['002', 'Strategy 1: Rollback and Retry', 'rollback-and-retry'],
  ['002', 'Strategy 2: Workaround and Continue', 'workaround'],
  ['002', 'Strategy 3: Decompose and Simplify', 'decompose'],
  ['002', 'Pattern 1: Dependency Not Running', 'dependency-not-running'],
  ['002', 'Pattern 2: Port Conflicts', 'port-conflict'],
  ['002', 'Pattern 3: Configuration Mismatch', 'config-mismatch'],
  ['002', 'Pattern 4: API Breaking Changes', 'api-breaking-change'],
  ['002', 'Pattern 5: Test False Positives', 'test-false-positive'],
  ['002', 'Post-Mortem Process', 'post-mortem'],
  ['002', 'Diagnostic Commands', 'triage'],
  ['002', 'Recovery Commands (clean recovery)', 'dependency-not-running'],
  ['003', 'Scenario 1: Incomplete or Invalid Prompts', 'invalid-prompt'],
  ['003', 'Scenario 2: Architecture Conflicts', 'architecture-conflict'],
  ['003', 'Scenario 3: Test Failures During Generation', 'generation-test-failure'],
  ['003', 'Scenario 4: Quality Gate Failures', 'quality-gate'],
  ['003', 'Scenario 5: Mid-Workflow Requirement Changes', 'requirement-change'],
  ['003', 'Scenario 6: External Dependency Failures', 'external-dependency-down'],
  ['003', 'Scenario 7: Rollback to Previous Stage', 'rollback-stage'],
  ['003', 'Scenario 8: User Aborts Workflow', 'user-abort'],
  ['003', 'Scenario 9: Conflicting Quality Requirements', 'conflicting-quality-requirements'],
  ['003', 'Scenario 10: Infinite Loop / Stuck State', 'infinite-loop'],
  ['003', 'Decision Tree Reference', 'triage'],
  ['004', 'Example 1: Missing Import', 'import-error'],
  ['004', 'Example 2: Git Conflict', 'merge-conflict'],
  ['004', 'Example 3: Auth Failure', 'auth-error'],
  ['004', 'Example 4: Network Failure', 'network-failure'],
  ['004', 'Example 5: Test Logic Error', 'test-failure'],
];

/** Commands of the seeds that must be offered verbatim by the playbook covering them, their placeholders written as {{placeholders}}. */
const SEED_COMMANDS: Record<string, string[]> = {
  'orchestrator-crash': [
    `sqlite3 .state/orchestration.db "SELECT workstream_id, status, agent_id, started_at FROM workstream_status WHERE status='running'"`,
    'git log {{branch}} --oneline -5',
    'git diff {{main-branch}}..{{branch}} --name-only',
    'git worktree prune',
    'python scripts/preflight_validator.py',
    '.\\scripts\\run_multi_agent_refactor.ps1 -Resume',
  ],
  'agent-hang': [
    'Get-Process aider | Format-Table Id, CPU, StartTime, WorkingSet -AutoSize',
    'Get-Process aider | Where-Object { $_.Id -eq {{pid}} } | Stop-Process -Force',
    'git push origin {{branch}}',
  ],
  'tests-fail-after-merge': ['pytest -v --tb=short', 'git log --oneline main -10', '.\\scripts\\run_multi_agent_refactor.ps1 -Workstreams {{ws-id}}'],
  escalation: ['sqlite3 .state/orchestration.db .dump > state_dump.sql', 'tar -czf logs_{{timestamp}}.tar.gz logs/'],
  'emergency-reset': ['Get-Process python | Stop-Process', 'Get-Process aider | Stop-Process', 'Remove-Item .worktrees -Recurse -Force', 'Remove-Item logs/* -Force', 'python scripts/preflight_validator.py'],
  triage: ['netstat -tlnp 2>/dev/null | grep LISTEN', 'df -h', 'free -h', 'journalctl -p err -n 20 --no-pager'],
  'rollback-and-retry': ['git diff > /tmp/failed-changes.patch', 'git checkout -- .'],
  'generation-test-failure': ['pytest {{test}} -v'],
};

let loaded: { playbooks: Playbook[]; errors: unknown[] } | undefined;
async function builtIns(): Promise<Playbook[]> {
  loaded ??= await loadPlaybookDir(dir);
  assert.deepEqual(loaded.errors, []);
  return loaded.playbooks;
}
const byId = async () => new Map((await builtIns()).map((p) => [p.id, p]));
const mine = async () => (await builtIns()).filter((p) => !ROOT_CAUSE_IDS.includes(p.id));
const commandsOf = (p: Playbook) => p.nodes.flatMap((n) => (n.kind === 'step' ? n.commands : []));

test('every built-in playbook loads without a lint error, one per file named after its id', async () => {
  const files = readdirSync(dir).filter(isPlaybookFileName).sort();
  const playbooks = await builtIns();
  assert.equal(playbooks.length, files.length);
  assert.deepEqual(playbooks.map((p) => `${p.id}.yaml`).sort(), files);
  assert.ok(playbooks.length >= 31, `${playbooks.length} playbooks`);
});

test('every seed scenario has a playbook, and the playbook names the seed as its source', async () => {
  const ids = await byId();
  for (const [seed, heading, id] of SEED_SCENARIOS) {
    const p = ids.get(id);
    assert.ok(p, `seed ${seed} "${heading}": no playbook ${id}.yaml`);
    assert.match(p.source ?? '', new RegExp(`\\bseed ${seed}\\b`), `${id}.source should cite seed ${seed} ("${heading}")`);
  }
  // And the other way round: every playbook of this set covers some seed section.
  const covered = new Set(SEED_SCENARIOS.map((r) => r[2]));
  for (const p of await mine()) assert.ok(covered.has(p.id), `${p.id} is in no row of SEED_SCENARIOS`);
});

test('the seeds\' commands are offered verbatim', async () => {
  const ids = await byId();
  for (const [id, wanted] of Object.entries(SEED_COMMANDS)) {
    const offered = commandsOf(ids.get(id)!).map((c) => c.run);
    for (const w of wanted) assert.ok(offered.includes(w), `${id} does not offer: ${w}`);
  }
});

test('each playbook answers seed 004: a recovery plan when recoverable, human instructions and a reason when not', async () => {
  for (const p of await mine()) {
    assert.ok(p.analysis, `${p.id}: no analysis`);
    assert.ok(p.rootCauses.length > 0, `${p.id}: no root causes`);
    if (p.recoverable) assert.ok(p.analysis.recoveryPlan, `${p.id}: recoverable without a recovery plan`);
    else {
      assert.ok(p.analysis.humanInstructions, `${p.id}: needs a person but gives no instructions`);
      assert.ok(p.analysis.escalationReason, `${p.id}: needs a person but gives no escalation reason`);
    }
  }
});

test('every playbook can end resolved or escalate, and every escalation promises a failure report', async () => {
  for (const p of await builtIns()) {
    const ends = p.nodes.filter((n) => n.kind === 'end');
    assert.ok(ends.length > 0, p.id);
    for (const n of ends) {
      if (n.kind === 'end' && n.outcome === 'escalate') assert.match(`${n.title} ${n.body ?? ''}`, /failure report/i, `${p.id}.${n.id}`);
    }
  }
});

test('a hand-over to "the X playbook" names a playbook that exists (or a root-cause id)', async () => {
  const ids = await byId();
  for (const p of await mine()) {
    for (const n of p.nodes) {
      for (const m of `${n.title} ${n.body ?? ''}`.matchAll(/\b(?:the|with) ([a-z0-9]+(?:-[a-z0-9]+)+|[a-z]+) playbook\b/g)) {
        const ref = m[1]!;
        assert.ok(ids.has(ref), `${p.id}.${n.id} refers to a missing playbook "${ref}"`);
      }
    }
  }
});

test('PowerShell commands are marked as such and every such step also has a command for other shells', async () => {
  const cmdlet = /(?:^|[\s|({;])(?:Get|Set|Remove|Stop|Start|Move|Select|ForEach|Where|Write|Test|Out|Compress|Invoke|Measure|Join|Format|Sort)-[A-Z][A-Za-z]+\b|^\.\\/;
  for (const p of await builtIns()) {
    for (const n of p.nodes) {
      if (n.kind !== 'step') continue;
      for (const c of n.commands) if (cmdlet.test(c.run)) assert.equal(c.shell, 'powershell', `${p.id}.${n.id}: ${c.run}`);
      if (n.commands.some((c) => c.shell === 'powershell')) {
        assert.ok(n.commands.some((c) => c.shell !== 'powershell'), `${p.id}.${n.id} has only PowerShell commands`);
      }
    }
  }
});

test('symptoms of these playbooks weigh under 50, so a root-cause playbook matching the same output wins', async () => {
  // Except where the line itself names the situation as the cause: an orchestrator logging its
  // own unhandled error is an orchestrator crash, whatever killed it (issue 10).
  const rootCauseLines: Record<string, RegExp> = { 'orchestrator-crash': /own log says it stopped/ };
  for (const p of await mine()) {
    for (const s of p.symptoms) if (!rootCauseLines[p.id]?.test(s.description ?? '')) assert.ok(s.weight < 50, `${p.id}: weight ${s.weight}`);
  }
});

/** Ids of this set's playbooks with a text symptom matching `line` (as the engine reads them: case-insensitive unless marked). */
async function matching(line: string): Promise<string[]> {
  const hits = new Set<string>();
  for (const p of await mine()) {
    for (const s of p.symptoms) {
      if (!isTextSymptom(s)) continue;
      const hit = compilePattern(s.pattern, s.caseSensitive).test(line);
      if (hit && !(s.unless && compilePattern(s.unless, s.caseSensitive).test(line))) hits.add(p.id);
    }
  }
  return [...hits];
}

test('text symptoms recognise the tools\' real messages', async () => {
  const cases: [string, string][] = [
    ['Error: listen EADDRINUSE: address already in use :::3000', 'port-conflict'],
    ['OSError: [Errno 98] Address already in use', 'port-conflict'],
    ['Error response from daemon: driver failed programming external connectivity: Bind for 0.0.0.0:5432 failed: port is already allocated', 'port-conflict'],
    ['OSError: [WinError 10048] Only one usage of each socket address (protocol/network address/port) is normally permitted', 'port-conflict'],
    ['\tIs the server running on host "localhost" (127.0.0.1) and accepting', 'dependency-not-running'],
    ['Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?', 'dependency-not-running'],
    ["ERROR 2002 (HY000): Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)", 'dependency-not-running'],
    ['redis.exceptions.ConnectionError: Error 111 connecting to localhost:6379. Connection refused.', 'dependency-not-running'],
    ['FAIL Required test coverage of 99% not reached. Total coverage: 83.33%', 'quality-gate'],
    ['Coverage failure: total of 83 is less than fail-under=99', 'quality-gate'],
    ['Jest: "global" coverage threshold for lines (80%) not met: 76.5%', 'quality-gate'],
    ['>> Issue: [B602:subprocess_popen_with_shell_equals_true] subprocess call with shell=True seems safe, but may be changed in the future, consider rewriting without shell', 'quality-gate'],
    ['m.py:3: error: Incompatible return value type (got "int", expected "str")  [return-value]', 'generation-test-failure'],
    ['Found 1 error in 1 file (checked 1 source file)', 'generation-test-failure'],
    ['src/app.py:1:8: F401 [*] `os` imported but unused', 'generation-test-failure'],
    ['Found 3 errors.', 'generation-test-failure'],
    ['WARN[0000] The "DATABASE_URL" variable is not set. Defaulting to a blank string.', 'config-mismatch'],
    ['pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings', 'config-mismatch'],
    ["KeyError: 'DATABASE_URL'", 'config-mismatch'],
    ['Potential n+1 query detected on `User.addresses`', 'slow-response'],
    ['USE eager loading detected', 'slow-response'],
    ['2024-05-01 10:00:00 UTC LOG:  duration: 2034.117 ms  statement: SELECT * FROM orders', 'slow-response'],
    ['write_memory failed: connection refused', 'memory-service-down'],
    ['Error calling tool read_memory: request timed out', 'memory-service-down'],
    ["fatal: clone of 'https://example.com/x/y.git' into submodule path '/src/vendor/y' failed", 'external-dependency-down'],
    ['error pulling image configuration: received unexpected HTTP status: 503 Service Unavailable', 'external-dependency-down'],
    ['  File "/repo/scripts/multi_agent_orchestrator.py", line 212, in run', 'orchestrator-crash'],
    ["TypeError: Client.__init__() got an unexpected keyword argument 'timeout'", 'api-breaking-change'],
    ["jsonschema.exceptions.ValidationError: 'name' is a required property", 'api-breaking-change'],
    ['**Status**: blocked', 'blocked-no-progress'],
  ];
  for (const [line, id] of cases) assert.deepEqual(await matching(line), [id], line);
});

test('text symptoms stay silent on success output and on the root-cause playbooks\' messages', async () => {
  const lines = [
    'Error: ECONNREFUSED, Connection refused',
    "HTTPConnectionPool(host='x', port=80): Max retries exceeded with url: / (Caused by NewConnectionError('Failed to establish a new connection: [Errno 111] Connection refused'))",
    '=========== 6 passed, 2 warnings in 553.59 seconds ===========',
    'Successfully rebased and updated refs/heads/update-refs.',
    'Found 0 errors. Watching for file changes.',
    'Found 0 errors.',
    'test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured',
    'Required test coverage of 80% reached. Total coverage: 100.00%',
    'found 0 vulnerabilities',
    'Traceback (most recent call last):',
    'KeyboardInterrupt',
    'FAILED tests/test_a.py::test_x - AssertionError: assert 1 == 2',
    'sqlite3.OperationalError: database is locked',
    "ModuleNotFoundError: No module named 'requests'",
    'HTTP/1.1 429 Too Many Requests',
    "KeyError: 'name'",
    'Terraform Cloud has been successfully initialized!',
  ];
  for (const line of lines) assert.deepEqual(await matching(line), [], line);
});

/** Playbooks whose forbidden list catches `command` (compiled as the editor does: case-insensitive). */
async function forbiddenBy(command: string): Promise<string[]> {
  return [...new Set(forbiddenHits(compileForbidden(await builtIns()), command).map((r) => r.playbookId))];
}

test('forbidden commands are caught by the playbooks where they would do harm', async () => {
  const cases: [string, string[]][] = [
    ['alembic stamp head', ['rollback-and-retry', 'slow-response']],
    ['rm .state/orchestration.db-wal', ['agent-hang', 'db-locked', 'emergency-reset', 'orchestrator-crash']],
    ['Remove-Item .state/orchestration.db-wal', ['agent-hang', 'db-locked', 'emergency-reset', 'orchestrator-crash']],
    ['Remove-Item .state/orchestration.db-wal -ErrorAction SilentlyContinue', ['agent-hang', 'db-locked', 'emergency-reset', 'orchestrator-crash']],
    ['rm .state/orchestration.db', ['orchestrator-crash']],
    ['Remove-Item .state\\orchestration.db', ['orchestrator-crash']],
    ['git push --force origin main', ['rollback-and-retry', 'tests-fail-after-merge']],
    ['git push origin +main', ['rollback-and-retry', 'tests-fail-after-merge']],
    ['git push -f origin master', ['rollback-and-retry', 'tests-fail-after-merge']],
    ['git clean -fdx', ['rollback-and-retry']],
    ['rm -rf .git', ['emergency-reset']],
    ['Remove-Item .git -Recurse -Force', ['emergency-reset']],
    ['git push origin --delete ws/ws-15/agent-1', ['emergency-reset']],
    ['pip install --trusted-host pypi.org requests', ['external-dependency-down']],
    ['npm config set strict-ssl false', ['external-dependency-down']],
    ['git commit --no-verify -m "skip gates"', ['quality-gate']],
  ];
  for (const [command, ids] of cases) {
    const by = await forbiddenBy(command);
    for (const id of ids) assert.ok(by.includes(id), `${id} should forbid: ${command} (forbidden by ${by.join(', ') || 'none'})`);
    // Root-cause playbooks from the other branch may forbid more; this set forbids exactly these.
    assert.deepEqual(by.filter((id) => !ROOT_CAUSE_IDS.includes(id)).sort(), ids.filter((id) => !ROOT_CAUSE_IDS.includes(id)).sort(), command);
  }
});

test('forbidden patterns spare the safe commands next to them', async () => {
  const safe = [
    'alembic upgrade head',
    'alembic downgrade -1',
    'alembic current',
    'sqlite3 .state/orchestration.db "PRAGMA wal_checkpoint(TRUNCATE);"',
    'sqlite3 .state/orchestration.db .dump > state_dump.sql',
    'Move-Item .state/orchestration.db .state/orchestration.db.before-reset',
    'git push origin main',
    'git push --force-with-lease origin ws/ws-15/agent-1',
    'git clean -n',
    'git clean -fd',
    'Remove-Item .git/worktrees/agent-1-ws-22 -Recurse -Force',
    'rm -rf .git/worktrees/agent-1-ws-22',
    'cat .gitignore',
    'git worktree remove .worktrees/agent-1-ws-22 --force',
    'git push origin ws/ws-15/agent-1',
    'pip install --index-url https://mirror.example/simple requests',
    'git commit -m "fix: retry"',
  ];
  for (const command of safe) assert.deepEqual(await forbiddenBy(command), [], command);
});

test('no built-in playbook offers a command that any built-in playbook forbids', async () => {
  const all = await builtIns();
  const rules = compileForbidden(all);
  for (const p of all) {
    for (const c of commandsOf(p)) {
      for (const line of c.run.split(/\r?\n/)) {
        const hit = forbiddenHits(rules, line)[0];
        assert.equal(hit, undefined, `${p.id} offers "${line}", which ${hit?.playbookId} forbids`);
      }
    }
  }
});

test('action parameters are literal values, never <placeholders> (they are passed to the fix-up as written)', async () => {
  for (const p of await builtIns()) {
    for (const n of p.nodes) {
      if (n.kind !== 'action' || !n.params) continue;
      for (const [k, v] of Object.entries(n.params)) assert.doesNotMatch(v, /<[^>]+>/, `${p.id}.${n.id}.params.${k}`);
    }
  }
});

test('a playbook that needs a person can reach an escalation, and every playbook can reach a resolution', async () => {
  for (const p of await mine()) {
    const outcomes = new Set(p.nodes.flatMap((n) => (n.kind === 'end' ? [n.outcome] : [])));
    assert.ok(outcomes.has('resolved'), `${p.id} can never be resolved`);
    if (!p.recoverable) assert.ok(outcomes.has('escalate'), `${p.id} needs a person but never escalates`);
  }
});
