// Branch facts the scanners and fix-ups need, in as few git calls as possible: every branch's
// tip and last-commit time (one for-each-ref), commits ahead of main for all branches (one
// rev-list walked in memory), and the commits that no other ref keeps alive.
import { assertRefName } from '../fixups/names';
import type { GitRunner } from './runner';

export interface BranchInfo {
  name: string;
  sha: string;
  /** Committer time of the tip, seconds since the epoch. */
  time: number;
  /** The tip commit's tree ('' when the branch does not point at a commit). */
  tree: string;
}

export async function listBranches(git: GitRunner): Promise<Map<string, BranchInfo>> {
  const text = await git.out(['for-each-ref', '--format=%(refname)%00%(objectname)%00%(committerdate:unix)%00%(tree)', 'refs/heads/']);
  const out = new Map<string, BranchInfo>();
  for (const line of text.split('\n')) {
    const [ref, sha, time, tree] = line.split('\0');
    if (!ref || !sha || !ref.startsWith('refs/heads/')) continue;
    const name = ref.slice('refs/heads/'.length);
    out.set(name, { name, sha, time: Number(time) || 0, tree: tree ?? '' });
  }
  return out;
}

/** The commits reachable from some branch but not from main, each with its parents (one rev-list). */
export async function readAheadGraph(git: GitRunner, main: string): Promise<Map<string, string[]>> {
  assertRefName(main, 'main branch');
  const text = await git.out(['rev-list', '--parents', '--branches', '--not', `refs/heads/${main}`, '--']);
  const parents = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const [sha, ...ps] = line.trim().split(' ');
    if (sha) parents.set(sha, ps);
  }
  return parents;
}

/**
 * Commits each tip has that main does not, walked inside the graph `readAheadGraph` read (a
 * commit main cannot reach has no ancestor outside that set that main cannot reach either, so
 * the walk never needs to leave it).
 */
export function countAhead(parents: ReadonlyMap<string, string[]>, tips: ReadonlyMap<string, string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, tip] of tips) {
    const seen = new Set<string>();
    const stack = parents.has(tip) ? [tip] : [];
    while (stack.length) {
      const c = stack.pop()!;
      if (seen.has(c)) continue;
      seen.add(c);
      for (const p of parents.get(c) ?? []) if (parents.has(p) && !seen.has(p)) stack.push(p);
    }
    out.set(name, seen.size);
  }
  return out;
}

/** Commits each branch has that `main` does not, for all branches at once (one git call). */
export async function aheadOfMain(git: GitRunner, main: string, tips: ReadonlyMap<string, string>): Promise<Map<string, number>> {
  return countAhead(await readAheadGraph(git, main), tips);
}

/** The argv that lists commits reachable from `sha` but from no ref except `exceptRefs`. */
export function uniqueCommitsArgs(sha: string, exceptRefs: readonly string[]): string[] {
  for (const r of exceptRefs) assertRefName(r, 'ref');
  return ['rev-list', '--format=%H %s', sha, '--not', ...exceptRefs.map((r) => `--exclude=${r}`), '--glob=refs/*', '--'];
}

export interface CommitLine {
  sha: string;
  subject: string;
}

/**
 * Commits reachable from `sha` that no other ref (branch, tag, remote, backup) reaches:
 * the work that would be lost with it. `exceptRefs` are full ref names to leave out
 * (the branch about to be deleted).
 */
export async function uniqueCommits(git: GitRunner, sha: string, exceptRefs: readonly string[] = []): Promise<CommitLine[]> {
  const text = await git.out(uniqueCommitsArgs(sha, exceptRefs));
  const out: CommitLine[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('commit ')) continue;
    const m = /^([0-9a-f]{40,64}) ?(.*)$/.exec(line);
    if (m) out.push({ sha: m[1]!, subject: m[2]! });
  }
  return out;
}

/** The commit a ref points at, or null when it does not exist. */
export async function resolveRef(git: GitRunner, ref: string): Promise<string | null> {
  const r = await git.run(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { okExit: [1] });
  return r.exitCode === 0 ? r.stdout.trim() : null;
}

/** A backup ref name that keeps commits reachable: refs/lifeline/backup/<name>-<time>. */
export function backupRefName(name: string, when: Date): string {
  const stamp = when.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return assertRefName(`refs/lifeline/backup/${name}-${stamp}`, 'backup ref');
}
