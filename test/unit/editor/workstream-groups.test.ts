import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAge, groupFindings } from '../../../src/editor/tree/workstream-groups';
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
