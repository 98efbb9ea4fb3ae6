// Hostile state (#13): an agent's worktree folder whose name holds a newline. `lifeline fix`
// refuses any action id with a control character, so diagnose must not offer one: the findings
// about that worktree keep every other fix-up and say why the worktree's own are missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseActionId } from '../../../src/core/fixups/action-id';
import { writeDb } from '../fixups/python-rows';
import { addWorktree, git, makeRepo } from '../git/helpers';
import { cli } from './cli-io';

const REASON = 'No fix-up is offered for this worktree: its path contains a control character.';
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString().replace('T', ' ').slice(0, 19);

interface Finding {
  id: string;
  detail: string;
  actions: { id: string }[];
}

test('diagnose offers no action id for a worktree whose path holds a newline, says why, and fix accepts every id it offers', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  // ws-1's worktree: stuck, with uncommitted work, locked, and a newline in its folder name.
  const odd = addWorktree(repo, '.worktrees/agent-1\nws-1', 'ws/ws-1/agent-1');
  writeFileSync(join(odd, 'partial.py'), 'x = 1\n');
  git(repo.root, 'worktree', 'lock', odd);
  // ws-2's: the same trouble under a plain name, which keeps its fix-ups.
  const plain = addWorktree(repo, '.worktrees/agent-2-ws-2', 'ws/ws-2/agent-2');
  writeFileSync(join(plain, 'partial.py'), 'y = 2\n');
  git(repo.root, 'worktree', 'lock', plain);
  mkdirSync(join(repo.root, '.state'));
  writeDb(join(repo.root, '.state', 'orchestration.db'), [
    { workstream_id: 'ws-1', status: 'running', agent_id: 'agent-1', started_at: minutesAgo(120) },
    { workstream_id: 'ws-2', status: 'running', agent_id: 'agent-2', started_at: minutesAgo(120) },
  ]);

  const json = await cli(['diagnose', '--json'], repo.root);
  assert.equal(json.code, 0, json.err);
  const findings = (JSON.parse(json.out) as { findings: Finding[] }).findings;
  const by = (id: string) => findings.find((f) => f.id === id);
  const offered = findings.flatMap((f) => f.actions.map((a) => a.id));
  for (const id of offered) assert.doesNotThrow(() => parseActionId(id), id);

  const oddPath = '.worktrees/agent-1\nws-1';
  for (const id of [`locked-worktree:${oddPath}`, `dirty-worktree:${oddPath}`]) {
    const f = by(id);
    assert.ok(f, `${id} is still reported: ${findings.map((x) => x.id).join(', ')}`);
    assert.deepEqual(f.actions, [], id);
    assert.ok(f.detail.endsWith(` ${REASON}`), f.detail);
  }
  // The stuck workstream keeps the fix-ups on its row and branch; only the worktree's own go.
  const stuck = by('stuck-workstream:ws-1')!;
  assert.deepEqual(stuck.actions.map((a) => a.id), ['workstream.mark-failed:ws-1', 'workstream.mark-pending:ws-1']);
  assert.ok(stuck.detail.endsWith(` ${REASON}`), stuck.detail);
  // The plainly named worktree with the same trouble is offered what fixes it, without the note.
  assert.deepEqual(by('locked-worktree:.worktrees/agent-2-ws-2')!.actions.map((a) => a.id), ['worktree.unlock:.worktrees/agent-2-ws-2']);
  // (Work is offered saved before anything marks or removes it.)
  assert.deepEqual(by('stuck-workstream:ws-2')!.actions.map((a) => a.id), [
    'worktree.save-wip:.worktrees/agent-2-ws-2',
    'workstream.mark-failed:ws-2',
    'workstream.mark-pending:ws-2',
    'worktree.remove:.worktrees/agent-2-ws-2',
  ]);
  assert.ok(!findings.some((f) => f.id.includes('agent-2-ws-2') && f.detail.includes(REASON)));

  // Every id offered previews without a control-character refusal.
  for (const id of offered) {
    const r = await cli(['fix', id, '--dry-run', '--json'], repo.root);
    assert.doesNotMatch(r.out + r.err, /control characters/, id);
  }

  // The text output: the reason is shown, the path escaped, and no `lifeline fix` line names the worktree.
  const text = await cli(['diagnose'], repo.root);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /^\[locked-worktree\] \.worktrees\/agent-1\\nws-1 {2}playbook: worktree-corruption\n {2}Worktree \.worktrees\/agent-1\\nws-1 is locked \(no reason given\)\. No fix-up is offered for this worktree: its path contains a control character\.\n\[/m);
  const fixLines = text.out.split('\n').filter((l) => /^ {2}[>!] lifeline fix /.test(l));
  assert.ok(fixLines.length >= 7, fixLines.join('\n'));
  assert.ok(!fixLines.some((l) => l.includes('agent-1')), fixLines.join('\n'));
});
