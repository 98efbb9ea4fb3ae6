// The in-process dirty check against git itself, on real repositories: every verdict "clean"
// must be one `git status` agrees with, and every change git sees must send the worktree to git.
// Covers modified, staged, deleted and untracked files, ignored files, negated and unsupported
// ignore patterns, racily clean entries, index v4, intent-to-add, and a worktree outside the
// repository with spaces and non-ASCII names; and the worktree list read from git's files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIndex } from '../../../src/core/git/index-file';
import { isIgnored, parseIgnore } from '../../../src/core/git/ignore-rules';
import { gitDirOf, quickStatus, readIgnoreSources } from '../../../src/core/git/quick-status';
import type { IgnoreSources } from '../../../src/core/git/quick-status';
import { scanGit } from '../../../src/core/git/scan';
import { readWorktreeFiles, resolveHeads } from '../../../src/core/git/worktree-files';
import { parseWorktreeList } from '../../../src/core/git/worktrees';
import { addWorktree, git, makeRepo } from './helpers';
import type { TestRepo } from './helpers';

const headTree = (dir: string) => git(dir, 'rev-parse', 'HEAD^{tree}').trim();
const gitSaysClean = (dir: string) => git(dir, '--no-optional-locks', 'status', '--porcelain', '--untracked-files=all') === '';
const gitUntracked = (dir: string) =>
  git(dir, '--no-optional-locks', 'status', '--porcelain=v1', '-z', '--untracked-files=all')
    .split('\0')
    .filter((l) => l.startsWith('?? '))
    .map((l) => l.slice(3));
/** With every ignore source known (the repository's info/exclude, no global excludes file). */
const known = (repo: TestRepo): IgnoreSources => ({ ...readIgnoreSources(repo.root), complete: true });
const check = (repo: TestRepo, dir: string, ignore = known(repo)) => quickStatus({ dir, headTree: headTree(dir), ignore });
const CLEAN = { known: true, untracked: [] };

/** A worktree with nested folders, committed, and an index written well after its files. */
function setup(t: { after(fn: () => void): void }, rel = '.worktrees/agent-1-ws-1') {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  repo.write('src/app.ts', 'export const a = 1;\n');
  repo.write('src/deep/util.ts', 'export const u = 2;\n');
  repo.write('.gitignore', '.worktrees/\n.state/\n*.log\nbuild/\n/only-top.txt\n');
  repo.commit('layout');
  const dir = addWorktree(repo, rel, 'ws/ws-1/agent-1');
  return { repo, dir };
}

test('a clean worktree is clean without git; the verdict agrees with git status', (t) => {
  const { repo, dir } = setup(t);
  assert.ok(gitSaysClean(dir));
  assert.deepEqual(check(repo, dir), CLEAN);
});

test('a modified file (same size), a staged change and a deleted file each send the worktree to git', (t) => {
  const { repo, dir } = setup(t);
  writeFileSync(join(dir, 'src', 'app.ts'), 'export const a = 9;\n');
  assert.equal(gitSaysClean(dir), false);
  assert.equal(check(repo, dir).known, false);

  git(dir, 'add', 'src/app.ts'); // staged: the worktree file now matches the index, HEAD does not
  assert.equal(gitSaysClean(dir), false);
  assert.match(JSON.stringify(check(repo, dir)), /index differs from HEAD/);

  git(dir, 'reset', '-q', '--hard');
  assert.deepEqual(check(repo, dir), CLEAN);
  git(dir, 'rm', '-q', '--cached', 'src/deep/util.ts'); // staged deletion, file still on disk
  assert.equal(check(repo, dir).known, false);
});

test('untracked files are dirty; ignored files and folders are not; negation re-includes', (t) => {
  const { repo, dir } = setup(t);
  writeFileSync(join(dir, 'debug.log'), 'noise\n');
  mkdirSync(join(dir, 'build', 'out'), { recursive: true });
  writeFileSync(join(dir, 'build', 'out', 'x.js'), '1\n');
  writeFileSync(join(dir, 'src', 'deep', 'trace.log'), 'noise\n');
  writeFileSync(join(dir, 'only-top.txt'), 'ignored at the top only\n');
  mkdirSync(join(dir, 'empty-dir'));
  assert.ok(gitSaysClean(dir), 'git ignores all of these');
  assert.deepEqual(check(repo, dir), CLEAN);

  mkdirSync(join(dir, 'src', 'only-top.txt-dir'));
  writeFileSync(join(dir, 'src', 'only-top.txt'), 'not ignored below the top\n');
  writeFileSync(join(dir, 'src', 'only-top.txt-dir', 'ü b.txt'), 'untracked in an untracked folder\n');
  assert.deepEqual(gitUntracked(dir), ['src/only-top.txt', 'src/only-top.txt-dir/ü b.txt']);
  assert.deepEqual(check(repo, dir), { known: true, untracked: gitUntracked(dir) });
  // When some configuration could name another excludes file, untracked paths go to git.
  assert.match(JSON.stringify(check(repo, dir, { ...known(repo), complete: false })), /untracked src\/only-top.txt/);
});

test('a negated pattern or syntax the reader does not follow sends an untracked path to git', (t) => {
  const { repo, dir } = setup(t);
  writeFileSync(join(dir, 'src', '.gitignore'), '!keep.log\n');
  repo.commit('negation', dir);
  writeFileSync(join(dir, 'src', 'keep.log'), 'kept\n');
  assert.deepEqual(gitUntracked(dir), ['src/keep.log']);
  assert.deepEqual(check(repo, dir), { known: true, untracked: ['src/keep.log'] });
  git(dir, 'add', 'src/keep.log');
  repo.commit('keep', dir);
  writeFileSync(join(dir, 'src', 'other.log'), 'ignored\n');
  assert.ok(gitSaysClean(dir));
  assert.deepEqual(check(repo, dir), CLEAN);
  // git ignores notes.tmp through a character class, which this reader does not follow: ask git.
  writeFileSync(join(repo.root, '.git', 'info', 'exclude'), '[mn]otes.tmp\n');
  writeFileSync(join(dir, 'notes.tmp'), 'x\n');
  assert.ok(gitSaysClean(dir));
  assert.match(JSON.stringify(check(repo, dir)), /untracked notes.tmp/);

  const rules = [parseIgnore('[ab].tmp\n', '')];
  assert.equal(isIgnored(rules, 'a.tmp', false), null, 'character classes are not followed: unknown');
  assert.equal(isIgnored([parseIgnore('dir/\n', '')], 'x/dir/f', false), true, 'inside an ignored folder at any depth');
  assert.equal(isIgnored([parseIgnore('dir/\n', '')], 'x/dir', false), false, 'a file named like a dir-only pattern');
  assert.equal(isIgnored([parseIgnore('/a/*.c\n', '')], 'a/b/x.c', false), false, '* does not cross /');
  assert.equal(isIgnored([parseIgnore('*.c\n!x.c\n', '')], 'k/x.c', false), false, 'the last matching rule wins');
});

test('racily clean entries are checked by content, like git does', (t) => {
  const { repo, dir } = setup(t);
  const gitDir = gitDirOf(dir)!;
  const indexPath = join(gitDir, 'index');
  // Rewrite the staged id of src/app.ts to another blob of the same size, keeping the stat data:
  // only a content comparison can now tell the file differs from the index.
  writeFileSync(join(repo.base, 'other.ts'), 'export const a = 7;\n');
  const other = git(dir, 'hash-object', '-w', join(repo.base, 'other.ts')).trim();
  const buf = readFileSync(indexPath);
  const parsed = parseIndex(buf, 20);
  assert.ok(parsed.ok);
  const entry = parsed.entries.find((e) => e.path === 'src/app.ts')!;
  const at = buf.indexOf(Buffer.from(entry.oid, 'hex'));
  Buffer.from(other, 'hex').copy(buf, at);
  const body = buf.subarray(0, buf.length - 20);
  createHash('sha1').update(body).digest().copy(buf, buf.length - 20);
  writeFileSync(indexPath, buf);
  const fileTime = statSync(join(dir, 'src', 'app.ts')).mtime;

  // Index written well after the file: stat is trusted, by git and by us.
  utimesSync(indexPath, new Date(fileTime.getTime() + 10_000), new Date(fileTime.getTime() + 10_000));
  assert.ok(gitSaysClean(dir), 'git trusts the stat data of an entry older than the index');
  assert.deepEqual(check(repo, dir), CLEAN);

  // Index written in the same second as the file: racy, so the content decides (and it differs).
  utimesSync(indexPath, fileTime, fileTime);
  assert.equal(gitSaysClean(dir), false, 'git compares the content of a racy entry');
  assert.match(JSON.stringify(check(repo, dir)), /racy src\/app.ts/);
});

test('index v4 (prefix-compressed paths) reads the same entries as git ls-files', (t) => {
  const { repo, dir } = setup(t);
  git(dir, 'update-index', '--index-version', '4');
  const parsed = parseIndex(readFileSync(join(gitDirOf(dir)!, 'index')), 20);
  assert.ok(parsed.ok);
  assert.equal(parsed.version, 4);
  assert.deepEqual(
    parsed.entries.map((e) => e.path),
    git(dir, 'ls-files', '-z').split('\0').filter(Boolean),
  );
  assert.deepEqual(check(repo, dir), CLEAN);
  writeFileSync(join(dir, 'src', 'deep', 'util.ts'), 'export const u = 3;\n');
  assert.equal(check(repo, dir).known, false);
});

test('intent-to-add entries and a nested repository go to git', (t) => {
  const { repo, dir } = setup(t);
  writeFileSync(join(dir, 'new.ts'), 'new\n');
  git(dir, 'add', '-N', 'new.ts');
  assert.match(JSON.stringify(check(repo, dir)), /special entry new.ts|index differs/);
  git(dir, 'rm', '-q', '--cached', 'new.ts');
  mkdirSync(join(dir, 'vendor', 'lib'), { recursive: true });
  git(join(dir, 'vendor', 'lib'), 'init', '-q');
  assert.equal(gitSaysClean(dir), false);
  assert.equal(check(repo, dir).known, false);
});

test('a worktree outside the repository with spaces and non-ASCII names; scanGit agrees with git per worktree', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  repo.write('dir with space/fïlé ü.txt', 'ü\n');
  repo.commit('unicode');
  const outside = addWorktree(repo, join(repo.base, 'outside wt ünï'), 'ws/ws-1/agent-1');
  const clean = addWorktree(repo, '.worktrees/agent 2 ws-2', 'ws/ws-2/agent-2');
  const untracked = addWorktree(repo, '.worktrees/agent-3-ws-3', 'ws/ws-3/agent-3');
  writeFileSync(join(untracked, 'dir with space', 'nouveau é.txt'), 'x\n');
  const modified = addWorktree(repo, '.worktrees/agent-4-ws-4', 'ws/ws-4/agent-4');
  writeFileSync(join(modified, 'README.md'), 'changed\n');
  assert.deepEqual(check(repo, outside), CLEAN);
  assert.deepEqual(check(repo, clean), CLEAN);
  writeFileSync(join(outside, 'dir with space', 'fïlé ü.txt'), 'Ü\n');

  const scan = await scanGit(repo.ws(), null);
  const dirty = new Map(scan.worktrees.filter((w) => !w.worktree.main).map((w) => [w.worktree.path, w.dirty?.map((e) => `${e.code} ${e.path}`)]));
  assert.deepEqual(dirty.get(outside), [' M dir with space/fïlé ü.txt']);
  assert.deepEqual(dirty.get(clean), []);
  assert.deepEqual(dirty.get(untracked), ['?? dir with space/nouveau é.txt']);
  assert.deepEqual(dirty.get(modified), [' M README.md']);
  assert.equal(scan.statusChecks.count, 4);
  const untrackedOnly = readIgnoreSources(repo.root).complete ? 0 : 1;
  assert.equal(scan.statusChecks.gitCalls, 2 + untrackedOnly, 'only worktrees with changed tracked files needed git status');
});

test('ignore sources: info/exclude and the global ignore file are read; config that could name another makes them incomplete', (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const home = join(repo.base, 'xdg');
  mkdirSync(join(home, 'git'), { recursive: true });
  writeFileSync(join(home, 'git', 'ignore'), '*.swp\n');
  writeFileSync(join(repo.root, '.git', 'info', 'exclude'), 'secret.txt\n');
  const saved = process.env.XDG_CONFIG_HOME;
  t.after(() => (saved === undefined ? delete process.env.XDG_CONFIG_HOME : (process.env.XDG_CONFIG_HOME = saved)));
  process.env.XDG_CONFIG_HOME = home;
  const sources = readIgnoreSources(repo.root);
  assert.equal(isIgnored(sources.lists, 'a/b.swp', false), true);
  assert.equal(isIgnored(sources.lists, 'secret.txt', false), true);
  assert.equal(isIgnored(sources.lists, 'other.txt', false), false);
  git(repo.root, 'config', 'core.excludesFile', join(repo.base, 'elsewhere'));
  assert.equal(readIgnoreSources(repo.root).complete, false);
});

test('worktrees read from their files equal git worktree list: locked, prunable, detached, outside, spaces and unicode', (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const a = addWorktree(repo, '.worktrees/agent 1 ünï', 'ws/ws-1/agent-1');
  git(repo.root, 'worktree', 'lock', '--reason', 'reason with spaces', a);
  const b = addWorktree(repo, '.worktrees/agent-2-ws-2', 'ws/ws-2/agent-2');
  git(repo.root, 'worktree', 'lock', b);
  git(repo.root, 'worktree', 'add', '-q', '--detach', join(repo.base, 'outside detached'));
  const gone = addWorktree(repo, '.worktrees/gone', 'ws/ws-3/agent-3');
  rmSync(gone, { recursive: true });
  const goneLocked = addWorktree(repo, '.worktrees/gone-locked', 'ws/ws-4/agent-4');
  git(repo.root, 'worktree', 'lock', goneLocked);
  rmSync(goneLocked, { recursive: true });
  repo.write('more.txt', 'main moves on\n');
  repo.commit('advance main');
  const fromGit = parseWorktreeList(git(repo.root, 'worktree', 'list', '--porcelain', '-z'));
  const branches = new Map(
    git(repo.root, 'for-each-ref', '--format=%(refname:short) %(objectname)', 'refs/heads/')
      .trim()
      .split('\n')
      .map((l) => l.split(' ') as [string, string])
      .map(([name, sha]) => [name, { name, sha, time: 0, tree: '' }]),
  );
  const fromFiles = readWorktreeFiles(repo.root);
  assert.ok(fromFiles);
  assert.deepEqual(resolveHeads(fromFiles, branches), fromGit);
  assert.equal(fromGit.length, 6);

  // A layout this reader does not know: git answers instead.
  git(repo.root, 'config', 'core.worktree', repo.root);
  assert.equal(readWorktreeFiles(repo.root), null);
});
