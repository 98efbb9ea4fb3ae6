// The git scanner: worktree findings (prunable, locked, orphaned, dirty) and the git facts the
// engine judges workstreams with (branch last-commit age, commits ahead of main, uncommitted
// files, processes still inside; src/core/engine/workstream-findings.ts). Two git calls for the whole repository
// (tips and ahead counts), run side by side while the worktree files are read in process (git
// worktree list when their layout is unusual); the dirty check reads each worktree's index and files in process and starts
// `git status` only for worktrees that check cannot call clean with certainty.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { actionRef } from '../fixups/action-id';
import { plural } from '../text/strings';
import { SCENARIO_FOR } from '../fixups/scenarios';
import type { ActionRef, Finding, WorkspaceContext } from '../fixups/types';
import { DONE_STATUSES, isStuck, RUNNING } from '../fixups/workstream';
import type { Workstream } from '../fixups/workstream';
import { branchParser } from './branches';
import { displayPath, isInside } from '../fixups/contain';
import { matchProcesses, scanProcesses } from './processes';
import type { LiveProcess } from './processes';
import { countAhead, listBranches, readAheadGraph } from './refs';
import { gitDirOf, quickStatus, readIgnoreSources } from './quick-status';
import { assertOwnWorktree, worktreeLinkProblem } from './ownership';
import { worktreeStatus } from './status';
import type { StatusEntry } from './status';
import { gitFor } from './repository';
import { readWorktreeFiles, resolveHeads } from './worktree-files';
import { listWorktrees, shortBranch } from './worktrees';
import type { Worktree } from './worktrees';

/** What the scan learned about one worktree (also answers probes and feeds views). */
export interface WorktreeFacts {
  worktree: Worktree;
  /** As shown in findings and action ids. */
  display: string;
  branch: string | null;
  workstream: string | null;
  exists: boolean;
  /** Uncommitted files; null when not checked. */
  dirty: StatusEntry[] | null;
  /**
   * Why the worktree is not this repository's (its .git leads elsewhere); null when it is, or
   * when it is not there to judge. Nothing inside a foreign worktree is read or run.
   */
  foreign: string | null;
  /** Processes inside; null when unknown or not checked. */
  processes: LiveProcess[] | null;
  aheadOfMain: number | null;
  /** Minutes since the branch's last commit. */
  branchAgeMinutes: number | null;
}

export interface GitScan {
  findings: Finding[];
  worktrees: WorktreeFacts[];
  /** A local branch's commits ahead of main and minutes since its last commit; null when there is no such branch. */
  branch(name: string): { aheadOfMain: number; ageMinutes: number | null } | null;
  /** How many worktrees needed a verdict, how many of those needed `git status`, and the milliseconds the checks took together. */
  statusChecks: { count: number; gitCalls: number; ms: number };
}

/** `fn` over `items`, at most `limit` at a time, results in order. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}


function describeProcesses(ps: LiveProcess[] | null): string {
  if (ps === null) return 'whether a process runs inside is unknown here';
  if (ps.length === 0) return 'no process runs inside';
  const first = ps.slice(0, 3).map((p) => `${p.pid} (${p.command.split(' ')[0] ?? '?'})`).join(', ');
  return `${plural(ps.length, 'process', 'processes')} still inside: ${first}${ps.length > 3 ? ', ...' : ''}`;
}

/** One worktree in words, for the findings about it and about its workstream. */
export function worktreeLine(f: WorktreeFacts): string {
  const parts = [`worktree ${f.display}`];
  if (!f.exists) parts.push('directory is gone');
  else if (f.foreign) return `${parts[0]}: not trusted (its .git does not lead back to this repository)`;
  else if (f.dirty) parts.push(f.dirty.length ? `${plural(f.dirty.length, 'uncommitted file')}` : 'clean');
  parts.push(describeProcesses(f.processes));
  return parts.join(': ');
}

/** `workstreams`: what the sources report (null when none could be read: then nothing is called orphaned). */
export async function scanGit(ws: WorkspaceContext, workstreamsRead: readonly Workstream[] | null | Promise<readonly Workstream[] | null>): Promise<GitScan> {
  const git = gitFor(ws);
  const now = (ws.now ?? (() => new Date()))();
  const main = ws.config.mainBranch;
  const parse = branchParser(ws.config.branchPattern);
  const worktreesDir = join(ws.root, ws.config.worktreesDir);

  // The two git calls start first; the worktree files are read while they run.
  // (Their rejections are handled: Promise.all below is attached in this same synchronous turn.)
  const branchesRead = listBranches(git);
  const graphRead = readAheadGraph(git, main);
  let fromFiles: Worktree[] | null;
  try {
    fromFiles = readWorktreeFiles(ws.root);
  } catch {
    fromFiles = null;
  }
  // The sources' workstreams may still be read (the database, side by side with these calls).
  const [branches, graph, listed, workstreams] = await Promise.all([branchesRead, graphRead, fromFiles ? null : listWorktrees(git), workstreamsRead]);
  const worktrees = fromFiles ? resolveHeads(fromFiles, branches) : listed!;
  const byId = new Map((workstreams ?? []).map((w) => [w.id, w]));

  // Branches that matter: those of worktrees and those named for a workstream.
  const tips = new Map<string, string>();
  for (const b of branches.values()) if (b.name !== main && parse(b.name)) tips.set(b.name, b.sha);
  for (const w of worktrees) {
    const b = shortBranch(w.branch);
    const info = b ? branches.get(b) : undefined;
    if (b && info && b !== main) tips.set(b, info.sha);
  }
  const ahead = countAhead(graph, tips);
  const ageOf = (b: string | null) => {
    const info = b ? branches.get(b) : undefined;
    return info ? Math.max(0, Math.round((now.getTime() / 1000 - info.time) / 60)) : null;
  };

  const facts: WorktreeFacts[] = worktrees.map((w) => {
    const branch = shortBranch(w.branch);
    const owner = branch ? parse(branch) : null;
    return {
      worktree: w,
      display: displayPath(ws.root, w.path),
      branch,
      workstream: owner?.ws ?? null,
      exists: w.prunable === null && existsSync(w.path),
      dirty: null,
      foreign: null,
      processes: null,
      aheadOfMain: branch ? (ahead.get(branch) ?? null) : null,
      branchAgeMinutes: ageOf(branch),
    };
  });

  // Which worktrees are this repository's: a .git file rewritten to name another repository
  // would have the status check read that repository's index, and git status run in it. From
  // the files first; git decides (from inside, locked down) only when they do not say.
  const ownGitDir = gitDirOf(ws.root);
  await pool(
    facts.filter((f) => f.exists && !f.worktree.main && !f.worktree.bare),
    4,
    async (f) => {
      let problem: string | undefined | null;
      try {
        problem = ownGitDir ? worktreeLinkProblem(ownGitDir, f.worktree.path) : null;
      } catch {
        problem = null;
      }
      if (problem === null) {
        try {
          await assertOwnWorktree(git, ws.root, f.worktree.path, f.display);
          problem = undefined;
        } catch (e) {
          problem = (e instanceof Error ? e.message : String(e)).replace(/^refused: \S+ /, '').replace(/; git run there would .*$/, '');
        }
      }
      f.foreign = problem ?? null;
    },
  );

  // Which worktrees need a verdict on uncommitted work and live processes.
  const isAgentWorktree = (f: WorktreeFacts) => !f.worktree.main && !f.worktree.bare && (f.workstream !== null || isInside(worktreesDir, f.worktree.path));
  const stuckIds = new Set<string>();
  for (const w of workstreams ?? []) if (isStuck(w, now, ws.config.stuckAfterMinutes)) stuckIds.add(w.id);
  const needsCheck = (f: WorktreeFacts) => {
    if (!isAgentWorktree(f) || !f.exists || f.foreign !== null) return false;
    if (workstreams === null) return true;
    const row = f.workstream ? byId.get(f.workstream) : undefined;
    return !row || row.status !== RUNNING || stuckIds.has(row.id);
  };
  const toCheck = facts.filter(needsCheck);
  const statusStart = performance.now();
  let gitCalls = 0;
  if (toCheck.length) {
    const scan = await scanProcesses();
    const inside = matchProcesses(scan, toCheck.map((f) => f.worktree.path));
    for (const f of toCheck) f.processes = inside.get(f.worktree.path) ?? null;
    const ignore = readIgnoreSources(ws.root);
    const askGit: WorktreeFacts[] = [];
    for (const f of toCheck) {
      // HEAD's tree comes from the same for-each-ref as the tips; a commit made since the
      // worktree list was read shows as a different tip, and then git answers.
      const info = f.branch ? branches.get(f.branch) : undefined;
      const headTree = info && info.sha === f.worktree.head && info.tree ? info.tree : null;
      let verdict;
      try {
        verdict = quickStatus({ dir: f.worktree.path, headTree, ignore });
      } catch {
        verdict = null;
      }
      if (verdict?.known) f.dirty = verdict.untracked.map((path) => ({ code: '??', path }));
      else askGit.push(f);
    }
    gitCalls = askGit.length;
    await pool(askGit, 4, async (f) => {
      try {
        f.dirty = await worktreeStatus(git, f.worktree.path);
      } catch {
        f.dirty = null; // unreadable worktree: reported as unknown rather than clean
      }
    });
  }
  const statusChecks = { count: toCheck.length, gitCalls, ms: performance.now() - statusStart };

  const findings: Finding[] = [];
  const push = (kind: Finding['kind'], subject: string, detail: string, actions: ActionRef[], extra?: Finding['facts']) => {
    const finding: Finding = { id: `${kind}:${subject}`, kind, subject, source: 'git', scenario: SCENARIO_FOR[kind], detail, actions };
    if (extra) finding.facts = extra;
    findings.push(finding);
  };

  for (const f of facts) {
    const w = f.worktree;
    if (w.main || w.bare) continue;
    if (w.prunable !== null) {
      push('prunable-worktree', f.display, `Worktree ${f.display} is prunable: ${w.prunable || 'its directory is gone'}.`, [actionRef('worktree.prune')], {
        branch: f.branch,
        locked: w.locked !== null,
      });
    }
    if (w.locked !== null) {
      push('locked-worktree', f.display, `Worktree ${f.display} is locked${w.locked ? `: ${w.locked}` : ' (no reason given)'}.`, [actionRef('worktree.unlock', f.display)], {
        reason: w.locked,
        exists: f.exists,
      });
    }
    if (!f.exists) continue;
    if (f.foreign) {
      // Offered: git worktree repair, run from the main checkout, rewrites the .git file to
      // point back at this repository. Nothing is offered that would run inside it.
      push('foreign-worktree', f.display, `Worktree ${f.display} is not trusted: it ${f.foreign}. Lifeline reads nothing in it and runs no git there.`, [actionRef('worktree.repair')], {
        branch: f.branch,
        workstream: f.workstream,
      });
      continue;
    }
    const row = f.workstream ? byId.get(f.workstream) : undefined;
    const orphaned = workstreams !== null && isAgentWorktree(f) && (!row || DONE_STATUSES.has(row.status));
    const wtActions: ActionRef[] = [];
    if (f.dirty?.length && f.branch) wtActions.push(actionRef('worktree.save-wip', f.display));
    if (f.branch && f.branch !== ws.config.mainBranch && (f.aheadOfMain ?? 0) > 0 && f.workstream) wtActions.push(actionRef('branch.merge', f.branch));
    const common = {
      branch: f.branch,
      dirtyFiles: f.dirty ? f.dirty.length : null,
      aheadOfMain: f.aheadOfMain,
      processes: f.processes ? f.processes.map((p) => p.pid).join(' ') : null,
    };
    if (orphaned) {
      const why = !f.workstream ? 'belongs to no workstream' : !row ? `has no row for ${f.workstream}` : `belongs to ${f.workstream}, which is ${row.status}`;
      push('orphaned-worktree', f.display, `Worktree ${f.display} ${why}; ${worktreeLine(f).replace(/^worktree [^:]+: /, '')}${f.aheadOfMain ? `; ${plural(f.aheadOfMain, 'commit')} not on ${ws.config.mainBranch}` : ''}.`, [
        ...wtActions,
        actionRef('worktree.remove', f.display),
      ], { ...common, workstream: f.workstream });
    }
    if (f.dirty?.length && (workstreams === null || orphaned || !row || row.status !== RUNNING || stuckIds.has(row.id))) {
      const sample = f.dirty.slice(0, 3).map((e) => e.path).join(', ');
      push('dirty-worktree', f.display, `Worktree ${f.display} has ${plural(f.dirty.length, 'uncommitted file')} (${sample}${f.dirty.length > 3 ? ', ...' : ''}).`, f.branch ? [actionRef('worktree.save-wip', f.display)] : [], common);
    }
  }

  const branch = (name: string) => {
    if (!branches.has(name)) return null;
    return { aheadOfMain: ahead.get(name) ?? 0, ageMinutes: ageOf(name) };
  };
  return { findings, worktrees: facts, branch, statusChecks };
}
