// Every fix-up action states its effect honestly, on real git repositories and real SQLite
// files (python3's sqlite3): read-only ones change nothing and journal nothing, irreversible ones
// journal no undo, and reversible (and destructive) ones are undone back to exactly the state
// before, as git and python3 see it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ACTION_EFFECTS, EFFECTS, effectRank, effectUndoable } from '../../../src/core/fixups/effects';
import type { Effect } from '../../../src/core/fixups/effects';
import { buildRegistry, pickUndoEntry, undoEntry } from '../../../src/core/engine/fixups';
import { defaultSources } from '../../../src/core/engine/sources';
import { canUndo } from '../../../src/core/fixups/undo-state';
import type { ActionTarget, FixupHandler, WorkspaceContext } from '../../../src/core/fixups/types';
import { FIXUP_ACTIONS } from '../../../src/core/playbooks/model';
import type { FixupAction } from '../../../src/core/playbooks/model';
import { PROTOCOL_EFFECTS } from '../../../src/webview/protocol';
import { copyForPython, createDb, hotWal, pyRows } from '../database/helpers';
import type { Row } from '../database/helpers';
import { addWorktree, git, journalIn, makeRepo } from '../git/helpers';
import type { TestRepo } from '../git/helpers';
import { readVibeDb, writeVibeDb } from '../sources/vibe-kanban-fixture';

const sources = defaultSources();
const registry = buildRegistry(sources);
const NOW = new Date('2025-11-29T10:00:00Z');

const ROWS: Row[] = [
  ['ws-1', 'running', 'agent-1', '2025-11-29 08:00:00', null, null, null, null],
  ['ws-2', 'blocked', 'agent-2', null, null, null, 'ws-1', null],
];

interface Case {
  action: FixupAction;
  effect: Effect;
  subject?: string;
  params?: Record<string, string>;
  discard?: boolean;
  /** Prepares the repository (and database) the action runs on; returns the subject when it is made here. */
  setup?(repo: TestRepo, db: string): string | void | Promise<string | void>;
  /** The environment the workspace reads a tool's per-user state from (a fixture home). */
  env?(repo: TestRepo): NodeJS.ProcessEnv;
  /** What else undo must bring back, as text (a tool's own file, read by python3). */
  observeMore?(repo: TestRepo): string;
}

/** A fixture home for claude-squad, with a private tmux server folder in which no session runs. */
function squadEnv(repo: TestRepo): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: join(repo.base, 'home'), TMUX_TMPDIR: join(repo.base, 'tmux') };
  delete env.TMUX;
  return env;
}

/** vibe-kanban's data and temp folders for a case: inside the test's temp folder, never the real home. */
const vkEnv = (repo: TestRepo): NodeJS.ProcessEnv => ({ ...process.env, HOME: join(repo.base, 'home'), XDG_DATA_HOME: join(repo.base, 'home', 'data'), TMPDIR: join(repo.base, 'home', 'tmp') });
const vkDb = (repo: TestRepo) => join(repo.base, 'home', 'data', 'vibe-kanban', 'db.v2.sqlite');

function handler(action: FixupAction): FixupHandler {
  const h = registry.get(action);
  assert.ok(h, action);
  return h;
}

/** What undo must bring back: refs (backup refs excepted: they stay on purpose), worktrees with their locks, each worktree's HEAD and status, the rows. */
function observe(repo: TestRepo, db: string): string {
  const refs = git(repo.root, 'for-each-ref', '--format=%(refname) %(objectname)').split('\n').filter((l) => l && !l.startsWith('refs/lifeline/'));
  const list = git(repo.root, 'worktree', 'list', '--porcelain');
  const paths = list.split('\n').filter((l) => l.startsWith('worktree ')).map((l) => l.slice('worktree '.length));
  const trees = paths.map((p) => {
    try {
      return [p, git(p, 'rev-parse', 'HEAD').trim(), git(p, 'status', '--porcelain', '--untracked-files=all')];
    } catch {
      return [p, 'missing'];
    }
  });
  // python reads a copy: opening the database itself would checkpoint its WAL.
  const copy = copyForPython(db, 'effects');
  try {
    // The rows as SQLite reads them, and whether a WAL holds some of them (a checkpoint changes only that).
    const vk = existsSync(vkDb(repo)) ? readVibeDb(vkDb(repo)) : null;
    return JSON.stringify({ refs, list, trees, rows: pyRows(copy), vk, wal: existsSync(`${db}-wal`) && statSync(`${db}-wal`).size > 0 }, null, 1);
  } finally {
    rmSync(dirname(copy), { recursive: true, force: true });
  }
}

const wt = (name: string) => `.worktrees/${name}`;

const CASES: Case[] = [
  { action: 'workstream.mark-failed', effect: 'reversible', subject: 'ws-1', params: { message: 'crashed' } },
  { action: 'workstream.mark-completed', effect: 'reversible', subject: 'ws-1' },
  { action: 'workstream.mark-pending', effect: 'reversible', subject: 'ws-1' },
  { action: 'workstream.mark-reverted', effect: 'reversible', subject: 'ws-1' },
  { action: 'workstream.unblock', effect: 'reversible', subject: 'ws-2' },
  {
    action: 'db.checkpoint',
    effect: 'reversible',
    async setup(_repo, db) {
      rmSync(db, { force: true });
      await hotWal(db, 50);
    },
  },
  { action: 'db.integrity-check', effect: 'read-only' },
  { action: 'db.dump', effect: 'read-only' },
  {
    action: 'logs.bundle',
    effect: 'read-only',
    setup(repo) {
      repo.write('logs/run.log', 'Traceback\n');
    },
  },
  {
    action: 'worktree.unlock',
    effect: 'reversible',
    setup(repo) {
      git(repo.root, 'worktree', 'lock', '--reason', 'agent keeps it', addWorktree(repo, wt('a1'), 'ws/ws-1/agent-1'));
      return wt('a1');
    },
  },
  {
    action: 'worktree.save-wip',
    effect: 'reversible',
    setup(repo) {
      const p = addWorktree(repo, wt('a1'), 'ws/ws-1/agent-1');
      writeFileSync(join(p, 'README.md'), 'edited\n');
      writeFileSync(join(p, 'new.txt'), 'new\n');
      return wt('a1');
    },
  },
  {
    action: 'worktree.remove',
    effect: 'reversible',
    setup(repo) {
      addWorktree(repo, wt('clean'), 'ws/ws-1/agent-1');
      return wt('clean');
    },
  },
  {
    action: 'worktree.remove',
    effect: 'destructive',
    discard: true,
    setup(repo) {
      const p = addWorktree(repo, wt('dirty'), 'ws/ws-1/agent-1');
      writeFileSync(join(p, 'README.md'), 'unsaved edit\n');
      writeFileSync(join(p, 'notes.txt'), 'precious\n');
      return wt('dirty');
    },
  },
  {
    action: 'branch.merge',
    effect: 'reversible',
    setup(repo) {
      const p = addWorktree(repo, wt('a1'), 'ws/ws-1/agent-1');
      writeFileSync(join(p, 'feature.txt'), 'x\n');
      repo.commit('feature', p);
      return 'ws/ws-1/agent-1';
    },
  },
  {
    action: 'merge.revert',
    effect: 'reversible',
    setup(repo) {
      git(repo.root, 'branch', 'ws/ws-1/agent-1');
      git(repo.root, 'switch', '-q', 'ws/ws-1/agent-1');
      repo.write('feature.txt', 'x\n');
      repo.commit('feature');
      git(repo.root, 'switch', '-q', 'main');
      git(repo.root, 'merge', '-q', '--no-ff', '--no-edit', 'ws/ws-1/agent-1');
      return git(repo.root, 'rev-parse', 'HEAD').trim();
    },
  },
  {
    action: 'branch.delete',
    effect: 'reversible',
    setup(repo) {
      git(repo.root, 'branch', 'ws/ws-1/agent-1');
      return 'ws/ws-1/agent-1';
    },
  },
  {
    action: 'branch.delete',
    effect: 'destructive',
    discard: true,
    setup(repo) {
      const p = addWorktree(repo, wt('a1'), 'ws/ws-1/agent-1');
      writeFileSync(join(p, 'feature.txt'), 'x\n');
      repo.commit('only here', p);
      git(repo.root, 'worktree', 'remove', p);
      return 'ws/ws-1/agent-1';
    },
  },
  {
    action: 'worktree.prune',
    effect: 'irreversible',
    setup(repo) {
      rmSync(addWorktree(repo, wt('gone'), 'ws/ws-1/agent-1'), { recursive: true, force: true });
    },
  },
  { action: 'worktree.prune', effect: 'read-only' },
  {
    action: 'vibe-kanban.stop-ghost-run',
    effect: 'reversible',
    params: { task: 'todo' },
    env: vkEnv,
    setup(repo) {
      writeVibeDb(vkDb(repo), [
        {
          id: '1a2b3c4d-5e6f-4a1b-8c2d-0123456789ab',
          repoPath: repo.root,
          repoName: 'repo',
          containerRef: join(repo.base, 'vk-worktrees', '1a2b-fix-login'),
          branch: 'vk/1a2b-fix-login',
          task: { id: 'bbbbbbbb-0000-4000-8000-000000000001', title: 'Fix login', status: 'inprogress' },
          session: 'cccccccc-0000-4000-8000-000000000001',
          runs: [{ id: 'aaaaaaaa-1111-4111-8111-000000000001', status: 'running', startedAt: '2025-11-29T08:00:00Z' }],
        },
      ]);
      return 'vk-1a2b3c4d';
    },
  },
  {
    action: 'worktree.repair',
    effect: 'irreversible',
    setup(repo) {
      // The worktree's link back to the repository is broken; repair run from the main checkout rewrites it.
      writeFileSync(join(addWorktree(repo, wt('a1'), 'ws/ws-1/agent-1'), '.git'), 'gitdir: /nowhere/.git/worktrees/a1\n');
    },
  },
  {
    action: 'merge.find-culprit',
    effect: 'read-only',
    params: { test: JSON.stringify([process.execPath, '-e', "process.exit(require('fs').existsSync('broken.txt') ? 1 : 0)"]) },
    setup(repo) {
      git(repo.root, 'switch', '-q', '-c', 'ws/ws-1/agent-1');
      repo.write('broken.txt', 'x\n');
      repo.commit('breaks the tests');
      git(repo.root, 'switch', '-q', 'main');
      git(repo.root, 'merge', '-q', '--no-ff', '--no-edit', 'ws/ws-1/agent-1');
    },
  },
  {
    action: 'claude-squad.pause',
    effect: 'reversible',
    env: squadEnv,
    setup(repo) {
      const home = join(repo.base, 'home');
      const p = join(home, '.claude-squad', 'worktrees', 'ws-1_0a1b2c');
      mkdirSync(join(repo.base, 'tmux'), { recursive: true, mode: 0o700 });
      git(repo.root, 'worktree', 'add', '-q', '-b', 'alice/ws-1', p);
      writeFileSync(join(p, 'README.md'), 'edited\n');
      writeFileSync(join(p, 'new.txt'), 'new\n');
      const worktree = { repo_path: repo.root, worktree_path: p, session_name: 'ws-1', branch_name: 'alice/ws-1', base_commit_sha: '', is_existing_branch: false };
      const state = { help_screens_seen: 0, instances: [{ title: 'ws-1', path: repo.root, branch: 'alice/ws-1', status: 0, program: 'claude', worktree, diff_stats: {} }] };
      mkdirSync(join(home, '.claude-squad'), { recursive: true });
      execFileSync('python3', ['-c', 'import json, sys\nwith open(sys.argv[1], "w") as f: json.dump(json.loads(sys.argv[2]), f, indent=0)', join(home, '.claude-squad', 'state.json'), JSON.stringify(state)]);
      return 'ws-1';
    },
    observeMore(repo) {
      return execFileSync('python3', ['-c', 'import json, sys\nprint(json.dumps(json.load(open(sys.argv[1]))))', join(repo.base, 'home', '.claude-squad', 'state.json')], { encoding: 'utf8' });
    },
  },
];

test('the webview protocol names the same effects as the core', () => {
  assert.deepEqual([...PROTOCOL_EFFECTS], [...EFFECTS]);
});

test('every action kind has a case below, and no plan claims more than its action declares', () => {
  assert.deepEqual([...new Set(CASES.map((c) => c.action))].sort(), Object.keys(FIXUP_ACTIONS).sort());
  for (const c of CASES) assert.ok(effectRank(c.effect) <= effectRank(ACTION_EFFECTS[c.action]), `${c.action}: ${c.effect} exceeds ${ACTION_EFFECTS[c.action]}`);
});

for (const c of CASES) {
  test(`${c.action} (${c.effect}): the preview says so, and ${effectUndoable(c.effect) ? 'undo restores exactly the state before' : c.effect === 'read-only' ? 'nothing changes or is journaled' : 'the journal offers no undo'}`, async (t) => {
    const repo = makeRepo();
    t.after(() => repo.cleanup());
    const db = join(repo.root, '.state', 'orchestration.db');
    mkdirSync(join(repo.root, '.state'), { recursive: true });
    createDb(db, ROWS);
    const made = await c.setup?.(repo, db);
    const ws: WorkspaceContext = { ...repo.ws(), now: () => NOW, ...(c.env ? { env: c.env(repo) } : {}) };
    const observeAll = () => observe(repo, db) + (c.observeMore?.(repo) ?? '');
    const target: ActionTarget = { action: c.action, ...((made ?? c.subject) ? { subject: (made ?? c.subject)! } : {}), ...(c.params ? { params: c.params } : {}) };
    const h = handler(c.action);
    const preview = await h.preview(ws, target);
    assert.equal(preview.refusal, undefined, preview.refusal?.reason);
    assert.equal(preview.effect, c.effect);

    const before = observeAll();
    const journal = journalIn(repo);
    const result = await h.apply(ws, target, { discard: Boolean(c.discard), confirmed: preview, journal });
    assert.equal(result.ok, true, result.message);
    const entries = await journal.entries();

    if (c.effect === 'read-only') {
      assert.equal(entries.length, 0, 'a read-only action journals nothing');
      assert.equal(observeAll(), before);
      return;
    }
    assert.notEqual(observeAll(), before, 'the action changed something');
    assert.equal(entries.length, 1);
    const entry = entries[0]!;
    if (c.effect === 'irreversible') {
      assert.equal(entry.undo.kind, 'none');
      assert.equal(canUndo(entry), false);
      await assert.rejects(pickUndoEntry(journal), (e: Error) => /cannot be undone/.test(e.message) && !e.message.includes(entry.id));
      return;
    }
    assert.equal(canUndo(entry), true);
    const undone = await undoEntry(ws, await pickUndoEntry(journal), sources, journal);
    assert.equal(undone.ok, true, undone.message);
    // Undoing a checkpoint brings back what the database holds, folded into the file: the old
    // WAL itself stays in the backup folder.
    const unWal = (s: string) => (c.action === 'db.checkpoint' ? s.replace(/"wal": (true|false)/, '"wal": ?') : s);
    assert.equal(unWal(observeAll()), unWal(before));
    if (c.action === 'worktree.remove' && c.discard) assert.equal(readFileSync(join(repo.root, wt('dirty'), 'notes.txt'), 'utf8'), 'precious\n');
  });
}
