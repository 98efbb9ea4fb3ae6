import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecoverySession } from '../../../src/core/decisions/session';
import { failureReport } from '../../../src/core/decisions/failure-report';
import { recoveryAnalysis } from '../../../src/core/decisions/recovery-analysis';
import { parsePlaybook } from '../../../src/core/playbooks/loader';
import { ScriptedWorkspace, WORKTREE_YAML, worktreePlaybook } from './fixtures';

const trigger = {
  source: 'terminal' as const,
  at: '2025-01-07T12:00:00.000Z',
  commandLine: 'python orchestrate.py --resume',
  exitCode: 1,
  confidence: 0.92,
  evidence: [{ text: 'workstream ws-15 running for 75 min without a commit', line: 12 }, { text: 'contains ``` fences' }],
};

async function walked() {
  const ws = new ScriptedWorkspace();
  ws.answers.set('process.alive', { answer: 'no', detail: 'no process in .worktrees/a' });
  ws.answers.set('worktree.dirty', { answer: 'yes', detail: '2 files changed' });
  ws.results.set('worktree.save-wip', { ok: false, message: 'fatal: cannot lock ref' });
  const s = RecoverySession.start(worktreePlaybook(), ws, { id: 'sess-1', subject: 'ws-15', trigger });
  await s.advance();
  await s.confirm('save');
  await s.continueStep('manual');
  await s.confirm('mark');
  return s;
}

/** The text under a `### heading` up to the next heading. */
function section(md: string, heading: string): string {
  const m = md.match(new RegExp(`^### ${heading}\\n([\\s\\S]*?)(?=^### |$(?![\\s\\S]))`, 'm'));
  assert.ok(m, `no section ${heading} in:\n${md}`);
  return m[1]!;
}

test("the failure report follows seed 002's template, section by section", async () => {
  const s = await walked();
  const md = failureReport(s.playbook, s.state, { now: new Date('2025-01-07T13:00:00Z') });
  // Every heading of seed 002's template (bar its vendor-specific "Memory System Update"), in its order.
  const headings = ['Failure Summary', 'What Happened', 'Root Cause', 'Attempted Fixes', 'Current State', 'Resolution Plan', 'Lessons Learned'];
  const ours = [...md.matchAll(/^### (.+)$/gm)].map((m) => m[1]);
  assert.deepEqual(ours, headings);

  const summary = section(md, 'Failure Summary');
  assert.match(summary, /^- \*\*Timestamp\*\*: 2025-01-07T12:00:00.000Z$/m);
  assert.match(summary, /^- \*\*Component\*\*: Agent stuck on a workstream \(`stuck-agent`, orchestration\) — `ws-15`$/m);
  assert.match(summary, /^- \*\*Severity\*\*: 3 \(Major\) — Stop and fix/m);
  assert.match(summary, /^- \*\*Impact\*\*: `ws-15` and the command `python orchestrate.py --resume`; work on it stops/m);

  const happened = section(md, 'What Happened');
  assert.match(happened, /exit code 1/);
  assert.match(happened, /confidence 92%/);
  // The evidence sits in a fence its own backticks cannot close.
  assert.match(happened, /^````\n12: workstream ws-15 running for 75 min without a commit\ncontains ``` fences\n````$/m);

  const cause = section(md, 'Root Cause');
  assert.match(cause, /^The agent stopped but its workstream row still says running\./);
  assert.match(cause, /Is the agent process still alive\? — no \(checked: no process in .worktrees\/a\)/);

  const fixes = section(md, 'Attempted Fixes');
  assert.match(fixes, /^1\. worktree\.save-wip ws-15 \(`worktree\.save-wip:ws-15`, .*\)\n {3}- Result: did not work — fatal: cannot lock ref$/m);
  assert.match(fixes, /^2\. workstream\.mark-failed ws-15 .*\n {3}- Result: worked — workstream\.mark-failed done\n {3}- Journal: j-2$/m);

  const current = section(md, 'Current State');
  assert.match(current, /System status: Running \(resolved by the guide\)/);
  assert.match(current, /Data impact: Some — workstream\.mark-failed ws-15 \(each can be undone/);

  const plan = section(md, 'Resolution Plan');
  assert.match(plan, /^1\. Immediate: none/m);
  assert.match(plan, /^2\. Short-term: Save the agent's work/m);
  assert.match(plan, /^3\. Long-term: /m);

  assert.match(section(md, 'Lessons Learned'), /Path taken: Is the agent process still alive\? → no; Does the worktree hold uncommitted work\? → yes; Save the work in progress → failed; Commit the work by hand; Mark the workstream failed → done\./);
});

test('a fresh session with nothing known says so instead of inventing', () => {
  const yaml = `lifeline: 1
id: bare
title: Bare
severity: 4
failureType: error
recoverable: false
recoverableReason: Needs a person.
nodes:
  - {id: a, kind: step, title: Look around, commands: [{run: git status}], next: z}
  - {id: z, kind: end, title: Z, outcome: escalate}
`;
  const pb = parsePlaybook(yaml, 'bare.yaml').playbook!;
  const s = RecoverySession.start(pb, new ScriptedWorkspace(), { id: 'b' });
  const md = failureReport(pb, s.state);
  assert.match(section(md, 'Root Cause'), /^Under investigation\.$/m);
  assert.match(section(md, 'Attempted Fixes'), /^None yet\.$/m);
  assert.match(section(md, 'What Happened'), /No output was captured/);
  assert.match(section(md, 'Current State'), /System status: Down/);
  assert.match(section(md, 'Current State'), /Data impact: None/);
  assert.match(section(md, 'Resolution Plan'), /Immediate: Look around \(`git status`\)\./);
});

test("the recovery analysis has seed 004's fields with its null rules, plus the classifier's", async () => {
  const s = await walked();
  const a = recoveryAnalysis(s.playbook, s.state);
  assert.deepEqual(Object.keys(a).slice(0, 6), ['root_cause', 'recoverable', 'recovery_plan', 'human_instructions', 'suggested_actions', 'escalation_reason']);
  assert.equal(a.root_cause, 'The agent stopped but its workstream row still says running. (ws-15)');
  assert.equal(a.recoverable, true);
  assert.equal(a.recovery_plan, "Save the agent's work, mark the workstream failed, let the orchestrator retry.");
  assert.equal(a.human_instructions, null);
  assert.equal(a.escalation_reason, null);
  assert.deepEqual(a.suggested_actions, ['Save work in progress', 'Mark the workstream failed']);
  assert.equal(a.scenario, 'stuck-agent');
  assert.equal(a.failure_type, 'timeout');
  assert.equal(a.severity, 3);
  assert.equal(a.confidence, 0.92);
  assert.deepEqual(a.evidence, ['workstream ws-15 running for 75 min without a commit', 'contains ``` fences']);
  assert.deepEqual(a.attempted_fixes, [
    { action: 'worktree.save-wip:ws-15', ok: false, message: 'fatal: cannot lock ref', undone: false },
    { action: 'workstream.mark-failed:ws-15', ok: true, message: 'workstream.mark-failed done', undone: false },
  ]);
  // It is JSON through and through.
  assert.deepEqual(JSON.parse(JSON.stringify(a)), a);
});

test('an escalated session is not recoverable and says why; instructions come from the steps', async () => {
  const ws = new ScriptedWorkspace();
  ws.answers.set('process.alive', { answer: 'no' });
  ws.answers.set('worktree.dirty', { answer: 'no' });
  // Declining no longer escalates; a failed fix-up whose onFailure is an escalate end does.
  const yaml = WORKTREE_YAML.replace('    next: resolved\n  - id: manual', '    next: resolved\n    onFailure: give-up\n  - id: manual').concat(
    '  - id: give-up\n    kind: end\n    title: Hand it over\n    outcome: escalate\n',
  );
  const playbook = parsePlaybook(yaml, 'stuck-agent.yaml').playbook!;
  ws.results.set('workstream.mark-failed', { ok: false, message: 'database is busy' });
  const s = RecoverySession.start(playbook, ws, { id: 'e', subject: 'ws-15' });
  await s.advance();
  await s.confirm('mark');
  assert.equal(s.state.current, 'give-up');
  const a = recoveryAnalysis(s.playbook, s.state);
  assert.equal(a.recoverable, false);
  assert.equal(a.recovery_plan, null);
  assert.equal(a.human_instructions, '1. Commit the work by hand: git commit -a -m wip');
  assert.equal(a.escalation_reason, 'The work can be saved and the workstream retried.');
  assert.equal(a.confidence, null);
  assert.deepEqual(a.evidence, []);
});
