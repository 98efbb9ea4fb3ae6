// Answers the playbooks' named checks (CHECK_PROBES) from a diagnose report, optionally about
// one subject (a workstream id or a worktree path): yes, no, or unknown when the workspace
// cannot tell.
import { existsSync } from 'node:fs';
import type { CheckProbe } from '../playbooks/model';
import { resolveInside } from '../git/names';
import { isInside } from '../paths/contain';
import type { WorktreeFacts } from '../git/scan';
import { worktreeStatus } from '../git/status';
import { gitFor } from '../git/workspace';
import type { DiagnoseReport } from './diagnose';
import type { Sources } from './registry';
import type { FindingKind, WorkspaceContext } from './types';

export type ProbeAnswer = 'yes' | 'no' | 'unknown';

const yn = (b: boolean): ProbeAnswer => (b ? 'yes' : 'no');

function findWorktree(ws: WorkspaceContext, report: DiagnoseReport, subject: string): WorktreeFacts | undefined {
  const byWs = report.worktrees.find((w) => w.workstream === subject && !w.worktree.main);
  if (byWs) return byWs;
  let abs: string;
  try {
    abs = resolveInside(
      ws.root,
      subject,
      report.worktrees.map((w) => w.worktree.path),
    );
  } catch {
    return undefined;
  }
  return report.worktrees.find((w) => isInside(w.worktree.path, abs) && isInside(abs, w.worktree.path));
}

export async function answerProbe(ws: WorkspaceContext, report: DiagnoseReport, probe: CheckProbe, subject?: string, sources: Sources = {}): Promise<ProbeAnswer> {
  const has = (kind: FindingKind, subj?: string) => report.findings.some((f) => f.kind === kind && (subj === undefined || f.subject === subj || f.facts?.worktree === subj));
  const rows = report.rows;
  const wt = subject ? findWorktree(ws, report, subject) : undefined;
  switch (probe) {
    case 'workstream.has-commits': {
      if (wt) return wt.aheadOfMain === null ? 'unknown' : yn(wt.aheadOfMain > 0);
      const ahead = report.findings.filter((f) => (f.kind === 'stuck-workstream' || f.kind === 'failed-workstream') && (!subject || f.subject === subject)).map((f) => f.facts?.aheadOfMain);
      if (ahead.some((n) => typeof n === 'number' && n > 0)) return 'yes';
      return ahead.length ? 'no' : 'unknown';
    }
    case 'workstream.running-long':
      if (rows === null && !has('stuck-workstream')) return 'unknown';
      return yn(has('stuck-workstream', subject));
    case 'workstream.any-running':
      return rows === null ? 'unknown' : yn(rows.some((r) => r.status === 'running'));
    case 'workstream.any-blocked':
      return rows === null ? 'unknown' : yn(rows.some((r) => r.status === 'blocked'));
    case 'worktree.dirty': {
      if (subject && wt) {
        if (!wt.exists) return 'no';
        if (wt.dirty) return yn(wt.dirty.length > 0);
        return yn((await worktreeStatus(gitFor(ws), wt.worktree.path)).length > 0);
      }
      if (subject) return 'unknown';
      return yn(has('dirty-worktree'));
    }
    case 'worktree.exists':
      if (subject) return wt ? yn(wt.exists) : 'unknown';
      return yn(report.worktrees.every((w) => w.worktree.main || existsSync(w.worktree.path)));
    case 'worktree.prunable':
      return yn(has('prunable-worktree'));
    case 'worktree.locked':
      if (subject) return wt ? yn(wt.worktree.locked !== null) : 'unknown';
      return yn(has('locked-worktree'));
    case 'worktree.orphaned':
      if (rows === null) return 'unknown';
      return yn(wt ? has('orphaned-worktree', wt.display) : has('orphaned-worktree', subject));
    case 'process.alive': {
      if (wt) return wt.processes === null ? 'unknown' : yn(wt.processes.length > 0);
      const alive = report.findings.map((f) => f.facts?.processAlive).filter((v) => typeof v === 'boolean');
      if (alive.includes(true)) return 'yes';
      return alive.length ? 'no' : 'unknown';
    }
    case 'db.readable':
      if (!report.databaseWired) return 'unknown';
      return yn(!has('db-unreadable') && !has('db-missing'));
    case 'db.in-use': {
      const v = sources.database?.inUse ? await sources.database.inUse(ws) : null;
      return v === null ? 'unknown' : yn(v);
    }
    case 'db.hot-wal':
      if (!report.databaseWired) return 'unknown';
      return yn(has('hot-wal'));
    case 'deps.cycle':
      return yn(has('dependency-cycle') || has('dangling-dependency'));
    case 'merge.recent': {
      const text = await gitFor(ws).out(['log', '--first-parent', '--merges', '--max-count=1', '--since=7.days', '--format=%H', `refs/heads/${ws.config.mainBranch}`, '--']);
      return yn(text.trim().length > 0);
    }
    case 'repeat.third-strike':
      return 'unknown'; // counted by the editor's session history, not the workspace
  }
}
