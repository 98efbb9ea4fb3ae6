// Real git repositories in temp directories for the git and fix-up tests (argv only, no shell).
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { resolveConfig } from '../../../src/core/fixups/config';
import type { LifelineConfig } from '../../../src/core/fixups/config';
import type { WorkspaceContext, Journal, JournalEntry } from '../../../src/core/fixups/types';
import { DirectoryJournal } from '../../../src/core/fixups/journal';

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** git that may fail: returns the exit status. */
export function gitStatus(cwd: string, ...args: string[]): number {
  try {
    execFileSync('git', args, { cwd, env: ENV, stdio: 'ignore' });
    return 0;
  } catch (e) {
    return (e as { status?: number }).status ?? -1;
  }
}

export interface TestRepo {
  /** Holds the repository and anything outside it (e.g. outside worktrees). */
  base: string;
  root: string;
  write(rel: string, text: string): void;
  commit(message: string, cwd?: string): string;
  ws(config?: Partial<LifelineConfig>): WorkspaceContext;
  cleanup(): void;
}

export function makeRepo(name = 'repo'): TestRepo {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'lifeline-git-')));
  const root = join(base, name);
  mkdirSync(root);
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'config', 'user.name', 'Test');
  git(root, 'config', 'user.email', 'test@example.invalid');
  git(root, 'config', 'commit.gpgsign', 'false');
  writeFileSync(join(root, '.gitignore'), '.worktrees/\n.state/\n');
  writeFileSync(join(root, 'README.md'), 'hello\n');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'initial');
  const repo: TestRepo = {
    base,
    root,
    write(rel, text) {
      const p = join(root, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, text);
    },
    commit(message, cwd = root) {
      git(cwd, 'add', '-A');
      git(cwd, 'commit', '-q', '-m', message);
      return git(cwd, 'rev-parse', 'HEAD').trim();
    },
    ws(config = {}) {
      return { root, config: { ...resolveConfig(config), mainBranch: config.mainBranch ?? 'main' } };
    },
    cleanup() {
      rmSync(base, { recursive: true, force: true });
    },
  };
  return repo;
}

/** Adds a worktree at `rel` (relative to the root, or absolute) on a new branch; returns its absolute path. */
export function addWorktree(repo: TestRepo, rel: string, branch: string): string {
  const path = join(repo.root, rel);
  if (rel.startsWith('/') || /^[A-Za-z]:/.test(rel)) git(repo.root, 'worktree', 'add', '-q', '-b', branch, rel);
  else git(repo.root, 'worktree', 'add', '-q', '-b', branch, path);
  return rel.startsWith('/') ? rel : path;
}

/**
 * Another repository beside the workspace (`repo.base/name`), with one commit of `file` (its
 * message is the text): what a hostile gitdir, journal or config points at. Tests hash it.
 */
export function outsideRepo(repo: TestRepo, name: string, file: string, text: string): string {
  const dir = join(repo.base, name);
  mkdirSync(dir);
  git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(join(dir, file), text);
  git(dir, 'add', file);
  git(dir, '-c', `user.name=${name}`, '-c', `user.email=${name}@example.invalid`, 'commit', '-q', '-m', text.trim() || name);
  return dir;
}

/** A node process that sits with its working directory inside `dir` until killed. */
export function sleeperIn(dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'process.stdout.write("ready\\n"); setInterval(() => {}, 1000)'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.once('data', () => resolve(child));
  });
}

/** A journal in the test's temp folder that the test can inspect. */
export function journalIn(repo: TestRepo): Journal & { entries(): Promise<JournalEntry[]> } {
  const j = new DirectoryJournal(join(repo.base, 'journal'));
  return Object.assign(j, { entries: () => j.list() });
}

export function refs(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of git(root, 'for-each-ref', '--format=%(refname) %(objectname)').split('\n')) {
    const [ref, sha] = line.split(' ');
    if (ref && sha) out.set(ref, sha);
  }
  return out;
}
