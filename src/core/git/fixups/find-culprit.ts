// merge.find-culprit: runs a test command (argv, never a shell) at the recent merges on main in a
// temporary detached worktree and reports the first merge at which it fails. The user's
// checkouts are never touched; the temporary worktree is removed afterwards, pass or fail.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionTarget, ApplyResult, FixupHandler, Preview, WorkspaceContext } from '../../fixups/types';
import { FixupRefused } from '../../fixups/types';
import { gitFor } from '../repository';
import { assertMayApply, refuse } from './common';
import { branchParser } from '../branches';
import { plural } from '../../text/strings';

export const DEFAULT_MERGE_COUNT = 10;
export const DEFAULT_TEST_TIMEOUT_S = 900;

/**
 * Splits a command line into argv the way a person reads it: spaces separate, "double" and
 * 'single' quotes group, a backslash escapes a quote, a space or itself (and is kept as it is
 * anywhere else, so Windows paths survive). Nothing else is special:
 * no variables, globs, pipes or redirections, because no shell ever sees it.
 */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && (line[i + 1] === '"' || line[i + 1] === '\\')) cur += line[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === '\\' && /["'\s\\]/.test(line[i + 1] ?? '')) {
      cur += line[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else cur += c;
  }
  if (quote) throw new FixupRefused('the test command has an unclosed quote', 'invalid');
  if (has || cur) out.push(cur);
  return out;
}

/** The test command from params: `test` as a JSON array of strings (argv), or `testCommand` as one line. */
export function testArgv(target: ActionTarget): string[] {
  const raw = target.params?.test;
  const line = target.params?.testCommand;
  if (!raw && !line) throw new FixupRefused('merge.find-culprit needs the test command, e.g. lifeline fix merge.find-culprit -- npm test', 'invalid');
  let v: unknown;
  if (raw) {
    try {
      v = JSON.parse(raw);
    } catch {
      v = null;
    }
  } else v = splitCommandLine(line!);
  if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string') || (v[0] as string).length === 0) {
    throw new FixupRefused('the test command must be a non-empty list of arguments', 'invalid');
  }
  return v as string[];
}

/** Branch names a merge commit's subject mentions: "Merge ws/a/b", "Merge branch 'ws/a/b' into main". */
export function mergedBranches(summary: string): string[] {
  const m = /^Merge (?:remote-tracking )?(?:branch(?:es)? )?'?([^'\s]+)'?/.exec(summary);
  return m ? [m[1]!] : [];
}

interface Commit {
  sha: string;
  firstParent: string;
  summary: string;
}

async function recentMerges(ws: WorkspaceContext, count: number): Promise<Commit[]> {
  const text = await gitFor(ws).out(['log', '--first-parent', '--merges', `--max-count=${count}`, '--format=%H %P%x00%h %s', `refs/heads/${ws.config.mainBranch}`, '--']);
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [ids = '', summary = ''] = line.split('\0');
      const [sha = '', firstParent = ''] = ids.split(' ');
      return { sha, firstParent, summary };
    })
    .reverse(); // oldest first
}

function countParam(target: ActionTarget): number {
  const n = Number(target.params?.count ?? DEFAULT_MERGE_COUNT);
  return Number.isInteger(n) && n > 0 && n <= 200 ? n : DEFAULT_MERGE_COUNT;
}

async function plan(ws: WorkspaceContext, target: ActionTarget): Promise<{ preview: Preview; argv: string[]; merges: Commit[] }> {
  const argv = testArgv(target);
  const merges = await recentMerges(ws, countParam(target));
  const tip = `refs/heads/${ws.config.mainBranch}`;
  const preview: Preview = {
    title: `Find the merge on ${ws.config.mainBranch} that broke: ${argv.join(' ')}`,
    git: [
      ['worktree', 'add', '--detach', '--end-of-options', '<temporary directory>', tip],
      ['checkout', '--force', '--detach', '--quiet', '<commit under test>'],
      ['clean', '-ffd'],
      ['worktree', 'remove', '--force', '--end-of-options', '<temporary directory>'],
    ],
    notes: [
      `Tests ${tip} first, then the first parent of the oldest of ${plural(merges.length, 'merge')}, then bisects the merges:`,
      ...merges.map((m) => `  ${m.summary}`),
      `Runs ${JSON.stringify(argv)} in a temporary worktree outside the repository (no shell); exit code 0 means good.`,
      'Your checkouts are not touched. Dependencies the tests need must be reachable from that folder.',
    ],
    effect: 'read-only',
  };
  if (merges.length === 0) return { preview: refuse(preview, `${ws.config.mainBranch} has no merge commits in its recent first-parent history`), argv, merges };
  return { preview, argv, merges };
}

function runTest(argv: string[], cwd: string, timeoutS: number, signal?: AbortSignal): Promise<{ ok: boolean; tail: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, shell: false, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutS * 1000, windowsHide: true, ...(signal ? { signal } : {}) });
    let tail = '';
    const keep = (b: Buffer) => {
      tail = (tail + b.toString('utf8')).slice(-2000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (e) => resolve({ ok: false, tail: `could not start ${argv[0]}: ${e.message}` }));
    child.on('close', (code) => resolve({ ok: code === 0, tail }));
  });
}

export const findCulpritHandler: FixupHandler = {
  action: 'merge.find-culprit',
  async preview(ws, target) {
    return (await plan(ws, target)).preview;
  },
  async apply(ws, target, options): Promise<ApplyResult> {
    const { preview, argv, merges } = await plan(ws, target);
    assertMayApply(preview, options);
    const git = gitFor(ws);
    const timeoutS = Number(target.params?.timeoutSeconds ?? DEFAULT_TEST_TIMEOUT_S) || DEFAULT_TEST_TIMEOUT_S;
    const dir = await mkdtemp(join(tmpdir(), 'lifeline-culprit-'));
    const wt = join(dir, 'worktree');
    const log: string[] = [];
    const verdicts = new Map<string, boolean>();
    const tipSha = (await git.out(['rev-parse', '--verify', `refs/heads/${ws.config.mainBranch}^{commit}`])).trim();
    const test = async (sha: string, label: string) => {
      const known = verdicts.get(sha);
      if (known !== undefined) return known;
      // sha is a hex id git itself printed; checkout --detach takes no --end-of-options.
      await git.run(['checkout', '--force', '--detach', '--quiet', sha], { cwd: wt });
      await git.run(['clean', '-ffd', '--quiet'], { cwd: wt });
      options.onProgress?.(`testing ${label}`);
      const r = await runTest(argv, wt, timeoutS, options.signal);
      verdicts.set(sha, r.ok);
      log.push(`${r.ok ? 'good' : 'bad '} ${label}`);
      return r.ok;
    };
    try {
      await git.run(['worktree', 'add', '--detach', '--quiet', '--end-of-options', wt, tipSha]);
      if (await test(tipSha, `${ws.config.mainBranch} (${tipSha.slice(0, 12)})`)) {
        return { ok: true, message: `The tests pass at ${ws.config.mainBranch}; no merge to blame.`, output: log };
      }
      const oldest = merges[0]!;
      if (!(await test(oldest.firstParent, `before ${oldest.summary}`))) {
        return { ok: false, message: `The tests already fail before the oldest of the ${plural(merges.length, 'merge')} checked; look further back (count=${merges.length * 2}).`, output: log };
      }
      const last = merges[merges.length - 1]!;
      if (await test(last.sha, last.summary)) {
        return { ok: true, message: `Every merge passes; the failure came with commits on ${ws.config.mainBranch} after ${last.summary}.`, output: log };
      }
      let lo = -1; // index known good (-1: the base)
      let hi = merges.length - 1; // index known bad
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (await test(merges[mid]!.sha, merges[mid]!.summary)) lo = mid;
        else hi = mid;
      }
      const culprit = merges[hi]!;
      // The merge's own branch names the workstream to mark reverted ("Merge ws/ws-08/agent-1").
      // (The summary starts with the short sha: "579df13 Merge ws/ws-08/agent-1".)
      const owner = mergedBranches(culprit.summary.replace(/^[0-9a-f]+ /, '')).map(branchParser(ws.config.branchPattern)).find((o) => o !== null);
      return {
        ok: true,
        message: `First bad merge: ${culprit.summary}.`,
        output: log,
        values: { 'merge-sha': culprit.sha, ...(owner ? { 'ws-id': owner.ws } : {}) },
      };
    } finally {
      await git.run(['worktree', 'remove', '--force', '--end-of-options', wt], { okExit: [128] }).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
  },
};
