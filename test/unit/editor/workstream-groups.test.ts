import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAge, groupFindings, groupForView } from '../../../src/editor/tree/workstream-groups';
import type { Finding } from '../../../src/core/fixups/types';

const t = (m: string, ...a: (string | number | boolean)[]) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(a[Number(i)]));

function finding(kind: Finding['kind'], subject: string, extra: Partial<Finding> = {}): Finding {
  return { id: `${kind}:${subject}`, kind, subject, source: 'git', scenario: 'stuck-agent', detail: `${kind} ${subject}`, actions: [], ...extra };
}

test('findings fall into the fixed groups in order, empty groups left out, rows sorted', () => {
  const groups = groupFindings(
    [
      finding('orphaned-worktree', '.worktrees/b'),
      finding('stuck-workstream', 'ws-9'),
      finding('dependency-cycle', 'ws-3'),
      finding('stuck-workstream', 'ws-10'),
      finding('dirty-worktree', '.worktrees/a'),
    ],
    t,
  );
  assert.deepEqual(
    groups.map((g) => [g.id, g.rows.map((r) => r.label)]),
    [
      ['stuck', ['ws-10', 'ws-9']],
      ['blocked', ['ws-3']],
      ['worktrees', ['.worktrees/a', '.worktrees/b']],
    ],
  );
});

test('a row shows age, branch, commits ahead and whether its process is alive', () => {
  const [g] = groupFindings([finding('stuck-workstream', 'ws-15', { facts: { ageMinutes: 135, branch: 'ws/ws-15/agent-2', aheadOfMain: 3, processAlive: false } })], t);
  assert.equal(g!.rows[0]!.description, '2 h · ws/ws-15/agent-2 · 3 ahead · no process');
});

test('cycles are marked, and the context value names every offered action once', () => {
  const [g] = groupFindings(
    [
      finding('dependency-cycle', 'ws-3', {
        actions: [
          { id: 'workstream.unblock:ws-3', title: 'Clear blocked_by of ws-3', effect: 'reversible' },
          { id: 'workstream.unblock:ws-4', title: 'Clear blocked_by of ws-4', effect: 'reversible' },
          { id: 'workstream.mark-failed:ws-3', title: 'Mark failed', effect: 'reversible' },
        ],
      }),
    ],
    t,
  );
  const row = g!.rows[0]!;
  assert.equal(row.cycle, true);
  assert.match(row.description, /^cycle/);
  assert.equal(row.contextValue, 'lifeline-finding kind-dependency-cycle act-workstream.unblock act-workstream.mark-failed');
  // The package.json menu clauses match whole action names, not prefixes.
  assert.match(row.contextValue, /\bact-workstream\.mark-failed(?:\s|$)/);
  assert.doesNotMatch(row.contextValue, /\bact-workstream\.mark(?:\s|$)/);
});

test('ages read in minutes, hours, then days', () => {
  assert.equal(formatAge(5, t), '5 min');
  assert.equal(formatAge(61, t), '1 h');
  assert.equal(formatAge(3 * 1440, t), '3 d');
});

test("every per-action menu entry in package.json matches the rows that offer that action, and only those", async () => {
  const pkg = JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(new URL('../../../package.json', import.meta.url), 'utf8'))) as {
    contributes: { menus: Record<string, { command: string; when?: string }[]> };
  };
  const { TREE_ACTION_COMMANDS } = await import('../../../src/editor/commands');
  const entries = pkg.contributes.menus['view/item/context']!;
  for (const [action, command] of Object.entries(TREE_ACTION_COMMANDS)) {
    const entry = entries.find((e) => e.command === command);
    assert.ok(entry?.when, `no context menu entry for ${command}`);
    const re = new RegExp(entry.when.match(/viewItem =~ \/(.+)\/$/)![1]!);
    const offering = groupFindings([finding('stuck-workstream', 'ws-1', { actions: [{ id: `${action}:ws-1`, title: action, effect: 'reversible' }] })], t)[0]!.rows[0]!;
    const other = groupFindings([finding('stuck-workstream', 'ws-1', { actions: [{ id: 'db.checkpoint', title: 'x', effect: 'reversible' }] })], t)[0]!.rows[0]!;
    assert.match(offering.contextValue, re, command);
    assert.doesNotMatch(other.contextValue, re, command);
    assert.match(entry.when, /isWorkspaceTrusted/, `${command} must be hidden in untrusted workspaces`);
  }
});

test('one tool: the groups are the top level; two or more: one node per tool, each with its own groups', () => {
  const alone = groupForView([finding('stuck-workstream', 'ws-1', { source: 'orchestration-db' }), finding('prunable-worktree', '.worktrees/x')], t);
  assert.ok('groups' in alone, 'the orchestration database and plain git are the same repository');
  assert.deepEqual(alone.groups.map((g) => g.id), ['stuck', 'worktrees']);

  const mixed = groupForView(
    [
      finding('ghost-run', 'squad-login', { source: 'claude-squad' }),
      finding('stuck-workstream', 'ws-1', { source: 'orchestration-db' }),
      finding('locked-worktree', '.claude/worktrees/a', { source: 'claude-code' }),
      finding('ghost-run', 'vk-ab12cd34', { source: 'vibe-kanban' }),
      finding('dirty-worktree', '.claude/worktrees/b', { source: 'claude-code' }),
    ],
    t,
  );
  assert.ok('tools' in mixed);
  assert.deepEqual(
    mixed.tools.map((x) => [x.tool, x.count, x.groups.map((g) => [g.id, g.rows.map((r) => r.label)])]),
    [
      ['repository', 1, [['stuck', ['ws-1']]]],
      ['claude-code', 2, [['worktrees', ['.claude/worktrees/a', '.claude/worktrees/b']]]],
      ['vibe-kanban', 1, [['stuck', ['vk-ab12cd34']]]],
      ['claude-squad', 1, [['stuck', ['squad-login']]]],
    ],
  );
});

test("a tool's row reads in its own words: the task title as the label, the id beside it", () => {
  const [g] = groupFindings([finding('ghost-run', 'vk-ab12cd34', { source: 'vibe-kanban', facts: { title: 'Fix the login form', branch: 'vk/ab12-fix-login', ageMinutes: 200 } })], t);
  assert.equal(g!.rows[0]!.label, 'Fix the login form');
  assert.equal(g!.rows[0]!.description, 'vk-ab12cd34 · 3 h · vk/ab12-fix-login');
  const [same] = groupFindings([finding('ghost-run', 'fix-login', { source: 'claude-squad', facts: { title: 'fix-login' } })], t);
  assert.equal(same!.rows[0]!.description, '', 'a title equal to the id is not said twice');
});
