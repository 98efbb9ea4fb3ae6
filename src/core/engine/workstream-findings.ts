// Stuck and failed workstreams, found once: the workstream models every source produced, judged
// by the kernel's one "stuck" rule, with what git knows about each (its branch, commits ahead of
// main, its worktree and the processes inside). Before, the database scanner and the git scanner
// both built these findings and diagnose kept whichever detail was longer.
import { actionRef } from '../fixups/action-id';
import { isWorkstreamId } from '../fixups/names';
import { SCENARIO_FOR } from '../fixups/scenarios';
import type { ActionRef, Finding, WorkspaceContext } from '../fixups/types';
import { FAILED, isStuck, runningMinutes } from '../fixups/workstream';
import type { Workstream } from '../fixups/workstream';
import { branchName, branchParser, protectedBranchProblem } from '../git/branches';
import { worktreeLine } from '../git/scan';
import { plural } from '../text/strings';
import type { GitScan, WorktreeFacts } from '../git/scan';
import { formatDbTime } from '../database/time';

function firstLine(s: string | null): string {
  return (s ?? '').split(/\r?\n/)[0]!.trim();
}

export function workstreamFindings(ws: WorkspaceContext, workstreams: readonly Workstream[] | null, git: GitScan): Finding[] {
  const now = (ws.now ?? (() => new Date()))();
  const main = ws.config.mainBranch;
  const parse = branchParser(ws.config.branchPattern);
  const byWorkstream = new Map<string, WorktreeFacts>();
  for (const f of git.worktrees) if (f.workstream && !f.worktree.main) byWorkstream.set(f.workstream, f);
  const listed = git.worktrees.map((f) => f.worktree);
  const out: Finding[] = [];
  for (const w of workstreams ?? []) {
    const stuck = isStuck(w, now, ws.config.stuckAfterMinutes);
    if (!stuck && w.status !== FAILED) continue;
    const id = w.id;
    const safe = isWorkstreamId(id);
    const subject = safe ? id : JSON.stringify(id);
    const wt = safe ? byWorkstream.get(id) : undefined;
    // A name the pattern builds is this workstream's only when it reads back as this workstream
    // (`{agent}` alone names no workstream, and can name `main`), and never a protected branch.
    const named = safe ? branchName(ws.config.branchPattern, id, w.agent) : null;
    const owned = named !== null && parse(named)?.ws === id && !protectedBranchProblem(main, listed, named) ? named : null;
    const branch = wt?.branch ?? owned;
    const facts = branch !== null ? git.branch(branch) : null;
    const aheadN = facts ? facts.aheadOfMain : null;
    const bAge = facts ? facts.ageMinutes : null;
    const age = runningMinutes(w, now);
    const error = firstLine(w.error);
    const lines: string[] = [];
    lines.push(stuck ? `${id} has been running for ${age} min${w.agent ? ` (${w.agent})` : ''}` : `${id} failed${error ? `: ${error}` : ''}`);
    if (!safe) lines.push('its id is not a safe workstream name, so no git action is offered');
    else if (facts) lines.push(`branch ${branch}: last commit ${bAge} min ago, ${plural(aheadN ?? 0, 'commit')} ahead of ${main}`);
    else lines.push('no branch found');
    if (wt) lines.push(worktreeLine(wt));
    const actions: ActionRef[] = [];
    if (safe) {
      if (wt?.dirty?.length) actions.push(actionRef('worktree.save-wip', wt.display));
      if (facts && (aheadN ?? 0) > 0) actions.push(actionRef('branch.merge', branch!));
      if (stuck) actions.push(actionRef('workstream.mark-failed', id));
      actions.push(actionRef('workstream.mark-pending', id));
      if (wt && wt.exists && !wt.foreign) actions.push(actionRef('worktree.remove', wt.display));
      if (facts && aheadN === 0 && !wt) actions.push(actionRef('branch.delete', branch!));
    }
    const kind = stuck ? 'stuck-workstream' : 'failed-workstream';
    out.push({
      id: `${kind}:${subject}`,
      kind,
      subject,
      source: w.source,
      scenario: SCENARIO_FOR[kind],
      detail: lines.join('; ') + '.',
      actions,
      facts: {
        status: w.status,
        agent: w.agent,
        ageMinutes: age,
        ...(stuck ? { startedAt: w.startedAt ? formatDbTime(w.startedAt) : null } : { error: error || null }),
        branch: facts ? branch : null,
        branchAgeMinutes: bAge,
        aheadOfMain: aheadN,
        worktree: wt?.display ?? null,
        dirtyFiles: wt?.dirty ? wt.dirty.length : null,
        processAlive: wt ? (wt.processes === null ? null : wt.processes.length > 0) : null,
        processes: wt?.processes ? wt.processes.map((p) => p.pid).join(' ') : null,
      },
    });
  }
  return out;
}
