// Exit codes as documented (README, `lifeline --help`): one typed refusal, one code, whichever
// command meets it. A safety refusal (a hostile name, a path that leads outside the workspace,
// the main branch or checkout, a tampered journal, a config that points outside) exits 4; a
// request that merely does not apply exits 1; bad usage 2. Every case leaves every file as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoWorkspace } from '../../../scripts/demo/workspace.mjs';
import { cli } from '../fixups/cli-harness';
import { hashTree, treeDiff } from './tree-hash';

const SKIP = { skip: ['.git/index', '.git/worktrees'] };

interface Case {
  args: string[];
  code: number;
  /** What the one line of error must say. */
  says: RegExp;
  /** Hostile state written before the run (and removed after it). */
  setup?: (root: string) => void;
  teardown?: (root: string) => void;
}

const FIX_SAFETY: [string, RegExp][] = [
  ['branch.delete:main', /main is the main branch/],
  ['branch.merge:main', /main is the main branch/],
  ['branch.delete:ws/ws-15/agent-2', /checked out in \.worktrees\/agent-2-ws-15/],
  ['branch.delete:-D', /unsafe branch name "-D"/],
  ['branch.merge:--upload-pack=touch pwned', /unsafe branch name "--upload-pack=touch pwned"/],
  ['branch.delete:@{-1}', /unsafe branch name "@\{-1\}"/],
  ['branch.delete:main..x', /unsafe branch name "main\.\.x"/],
  ['worktree.remove:../../etc', /outside the repository/],
  ['worktree.remove:/etc', /outside the repository/],
  ['worktree.save-wip:/tmp', /outside the repository/],
  ['worktree.remove:.', /is the main worktree; it is never removed/],
  ['worktree.remove:.worktrees/a\nb', /unsafe action subject .*control characters/],
  ['workstream.mark-failed:ws-15\u001b]52;c;eA==\u0007', /unsafe action subject .*control characters/],
];

const JOURNAL_ID = '20261201T235959999Z-aaaaaa';
const journalDir = (root: string) => join(root, '.state', 'lifeline-journal');

const CASES: Case[] = [
  ...FIX_SAFETY.flatMap(([id, says]): Case[] => [
    { args: ['fix', id, '--dry-run'], code: 4, says },
    { args: ['fix', id, '--yes', '--discard'], code: 4, says },
    { args: ['fix', id, '--dry-run', '--json'], code: 4, says },
  ]),
  // Requests that do not apply: failure, not a safety matter.
  { args: ['fix', 'branch.delete:no-such-branch', '--dry-run'], code: 1, says: /no branch "no-such-branch"/ },
  { args: ['fix', 'workstream.mark-failed:ws-99', '--dry-run'], code: 1, says: /no workstream "ws-99"/ },
  { args: ['fix', 'worktree.unlock:.worktrees/agent-2-ws-15', '--dry-run'], code: 1, says: /is not locked/ },
  // Bad usage.
  { args: ['fix', 'rm.rf:/'], code: 2, says: /unknown action "rm\.rf"/ },
  { args: ['fix', 'branch.delete:'], code: 2, says: /empty subject/ },
  // A config that points outside the workspace: every command that opens the workspace refuses it.
  ...[['diagnose'], ['diagnose', '--json'], ['journal'], ['undo', '--yes'], ['fix', 'db.integrity-check', '--dry-run'], ['guide', 'orchestrator-crash', '--json']].map(
    (args): Case => ({
      args,
      code: 4,
      says: /\.lifeline\.json: "database" must stay inside the repository/,
      setup: (root) => writeFileSync(join(root, '.lifeline.json'), JSON.stringify({ database: '../../outside.db' })),
      teardown: (root) => rmSync(join(root, '.lifeline.json')),
    }),
  ),
  // A tampered journal entry (raw git argv aimed at another directory).
  {
    args: ['undo', JOURNAL_ID, '--yes'],
    code: 4,
    says: /holds raw git commands/,
    setup: (root) => {
      mkdirSync(journalDir(root), { recursive: true });
      writeFileSync(
        join(journalDir(root), `${JOURNAL_ID}.json`),
        JSON.stringify({ id: JOURNAL_ID, time: '2026-12-01T23:59:59.999Z', actionId: 'worktree.remove:.worktrees/x', title: 'Remove worktree .worktrees/x', undo: { kind: 'git', steps: [['-C', '/tmp', 'update-ref', '-d', 'refs/heads/main']], description: 'x' } }),
      );
    },
    teardown: (root) => rmSync(journalDir(root), { recursive: true }),
  },
];

test('safety refusals exit 4, requests that do not apply 1, bad usage 2, across commands; one line; nothing changes', { timeout: 240_000 }, async (t) => {
  const base = mkdtempSync(join(tmpdir(), 'lifeline-codes-'));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  const { root } = createDemoWorkspace(join(base, 'repo'));
  const before = hashTree(base, SKIP);
  const wrong: string[] = [];
  for (const c of CASES) {
    c.setup?.(root);
    const r = await cli(c.args, root);
    c.teardown?.(root);
    const label = JSON.stringify(c.args);
    // fix --json reports its refusal in the JSON; an error before the command's own output goes to stderr.
    const json = c.args[0] === 'fix' && c.args.includes('--json') && r.out.trim() ? (JSON.parse(r.out) as { error?: string; exitCode?: number }) : undefined;
    const error = json ? (json.error ?? '') : r.err;
    if (json && json.exitCode !== r.code) wrong.push(`${label}: JSON says exit ${json.exitCode}, the process ${r.code}`);
    if (r.code !== c.code) wrong.push(`${label}: exit ${r.code}, expected ${c.code}: ${r.err.trim() || r.out.trim()}`);
    else if (!c.says.test(error)) wrong.push(`${label}: said ${JSON.stringify(error)}, expected ${c.says}`);
    else if (!json && r.err.trim().split('\n').length !== 1) wrong.push(`${label}: more than one line of error: ${r.err}`);
    const changed = treeDiff(before, hashTree(base, SKIP));
    if (changed.length) wrong.push(`${label} changed files: ${changed.join('; ')}`);
  }
  assert.deepEqual(wrong, []);
});
