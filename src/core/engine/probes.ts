// Answers the playbooks' named checks (CHECK_PROBES) from a diagnose report, optionally about
// one subject (a workstream id or a worktree path): yes, no, or unknown when the workspace
// cannot tell.
import { existsSync } from 'node:fs';
import type { CheckProbe } from '../playbooks/model';
import { resolveInside } from '../fixups/names';
import { isInside } from '../fixups/contain';
import type { WorktreeFacts } from '../git/scan';
import { worktreeStatus } from '../git/status';
import { gitFor } from '../git/repository';
import type { DiagnoseReport } from './diagnose';
import { parseDbTime } from '../database/time';
import type { Sources } from '../fixups/registry';
import type { FindingKind, WorkspaceContext } from '../fixups/types';
import type { Workstream } from '../fixups/workstream';

export type ProbeAnswer = 'yes' | 'no' | 'unknown';

const yn = (b: boolean): ProbeAnswer => (b ? 'yes' : 'no');

/** The agent tool's workstream with this id, when a tool's source (not the orchestration database) reported it. */
export function toolWorkstream(report: DiagnoseReport, id: string): Workstream | undefined {
  for (const t of report.tools) {
    const w = t.workstreams.find((x) => x.id === id);
    if (w) return w;
  }
  return undefined;
}

function findWorktree(ws: WorkspaceContext, report: DiagnoseReport, subject: string): WorktreeFacts | undefined {
  const byWs = report.worktrees.find((w) => w.workstream === subject && !w.worktree.main);
  if (byWs) return byWs;
  const tool = toolWorkstream(report, subject);
  if (tool?.worktree) {
    const byTool = report.worktrees.find((w) => !w.worktree.main && w.display === tool.worktree);
    if (byTool) return byTool;
  }
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
    case 'workstream.failed': {
      if (rows === null || !subject) return 'unknown';
      const ws = wt?.workstream ?? subject;
      const row = rows.find((r) => r.workstream_id === ws);
      return row ? yn(row.status === 'failed') : 'unknown';
    }
    case 'subject.next':
      return 'unknown'; // the session answers it from its own list of subjects
    case 'owner.alive': {
      // What the tool's source saw of the owner, on the finding about this workstream.
      const seen = report.findings.filter((f) => subject !== undefined && f.subject === subject).map((f) => f.facts?.ownerAlive);
      if (seen.includes(true)) return 'yes';
      return seen.includes(false) ? 'no' : 'unknown';
    }
    case 'source.vibe-kanban':
    case 'source.claude-squad': {
      if (!subject) return 'unknown';
      const w = toolWorkstream(report, subject);
      return w ? yn(w.source === probe.slice('source.'.length)) : 'no';
    }
  }
}

/**
 * The probe's answer with the evidence behind it, one line ("1 commit ahead of main, last
 * 290 min ago"), so a check that answered itself says what it saw.
 */
export async function explainProbe(ws: WorkspaceContext, report: DiagnoseReport, probe: CheckProbe, subject?: string, sources: Sources = {}): Promise<{ answer: ProbeAnswer; detail?: string }> {
  const answer = await answerProbe(ws, report, probe, subject, sources);
  // Who holds the database is looked up only when a check asks (it scans the process table).
  const detail = probe === 'db.in-use' ? await holdersEvidence(ws, answer, sources) : evidence(ws, report, probe, subject, answer);
  return detail ? { answer, detail } : { answer };
}

async function holdersEvidence(ws: WorkspaceContext, answer: ProbeAnswer, sources: Sources): Promise<string | undefined> {
  if (answer === 'no') return 'no other process has it open';
  if (answer !== 'yes' || !sources.database?.holders) return undefined;
  return (await sources.database.holders(ws).catch(() => null)) ?? undefined;
}

function evidence(ws: WorkspaceContext, report: DiagnoseReport, probe: CheckProbe, subject: string | undefined, answer: ProbeAnswer): string | undefined {
  const wt = subject ? findWorktree(ws, report, subject) : undefined;
  const row = report.rows?.find((r) => r.workstream_id === (wt?.workstream ?? subject));
  const main = ws.config.mainBranch;
  const kinds = (k: FindingKind) => report.findings.filter((f) => f.kind === k);
  switch (probe) {
    case 'workstream.has-commits': {
      const n = wt?.aheadOfMain ?? report.findings.map((f) => (f.subject === subject ? f.facts?.aheadOfMain : undefined)).find((v) => typeof v === 'number');
      if (typeof n !== 'number') return answer === 'unknown' ? `Lifeline finds no branch for ${subject ?? 'the workstream'}` : undefined;
      const age = wt?.branchAgeMinutes;
      return `${n} commit${n === 1 ? '' : 's'} ahead of ${main}${wt?.branch ? ` on ${wt.branch}` : ''}${typeof age === 'number' ? `, last ${age} min ago` : ''}`;
    }
    case 'workstream.running-long': {
      // How long, against the threshold: that is what the question asks.
      const started = row?.status === 'running' ? parseDbTime(row.started_at) : undefined;
      if (row && started) {
        const age = Math.round(((ws.now?.() ?? new Date()).getTime() - started.getTime()) / 60_000);
        return `${row.workstream_id} has been running for ${age} min (the threshold is ${ws.config.stuckAfterMinutes})`;
      }
      return row ? `${row.workstream_id} is ${row.status}${row.started_at ? ` (started ${row.started_at})` : ''}` : undefined;
    }
    case 'workstream.failed':
      return row ? `${row.workstream_id} is ${row.status}${row.started_at ? ` (started ${row.started_at})` : ''}${row.error_message ? `: ${row.error_message.split(/\r?\n/)[0]}` : ''}` : undefined;
    case 'workstream.any-running': {
      const ids = (report.rows ?? []).filter((r) => r.status === 'running').map((r) => r.workstream_id);
      return report.rows === null ? undefined : ids.length ? `running: ${ids.slice(0, 10).join(', ')}` : 'none is marked running';
    }
    case 'workstream.any-blocked': {
      const ids = (report.rows ?? []).filter((r) => r.status === 'blocked').map((r) => `${r.workstream_id}${r.blocked_by ? ` (by ${r.blocked_by})` : ''}`);
      return report.rows === null ? undefined : ids.length ? `blocked: ${ids.slice(0, 10).join(', ')}` : 'none is blocked';
    }
    case 'worktree.dirty':
      if (wt?.dirty) return wt.dirty.length ? `${wt.dirty.length} uncommitted file${wt.dirty.length === 1 ? '' : 's'} in ${wt.display}: ${wt.dirty.slice(0, 3).map((e) => e.path).join(', ')}` : `${wt.display} is clean`;
      return wt && !wt.exists ? `${wt.display} is gone from disk` : undefined;
    case 'worktree.exists':
      return wt ? `${wt.display} ${wt.exists ? 'is on disk' : 'is gone from disk'}` : subject ? `git knows no worktree for ${subject}` : undefined;
    case 'worktree.locked':
      return wt ? (wt.worktree.locked !== null ? `${wt.display} is locked${wt.worktree.locked ? `: ${wt.worktree.locked}` : ''}` : `${wt.display} is not locked`) : undefined;
    case 'process.alive':
      if (wt) return wt.processes === null ? `whether a process runs in ${wt.display} cannot be told here` : wt.processes.length ? `pid ${wt.processes.map((p) => p.pid).join(', ')} in ${wt.display}` : `no process runs in ${wt.display}`;
      return undefined;
    case 'worktree.prunable': {
      const list = kinds('prunable-worktree').map((f) => f.subject);
      return list.length ? `prunable: ${list.slice(0, 5).join(', ')}` : 'no worktree is prunable';
    }
    case 'worktree.orphaned': {
      const list = kinds('orphaned-worktree').map((f) => f.subject);
      return list.length ? `orphaned: ${list.slice(0, 5).join(', ')}` : undefined;
    }
    case 'deps.cycle': {
      const f = [...kinds('dependency-cycle'), ...kinds('dangling-dependency')][0];
      return f?.detail;
    }
    case 'owner.alive': {
      const f = report.findings.find((x) => subject !== undefined && x.subject === subject && typeof x.facts?.ownerAlive === 'boolean');
      const alive = f?.facts?.ownerAlive;
      if (!f || typeof alive !== 'boolean') return undefined;
      if (f.source === 'vibe-kanban') return `vibe-kanban's server is ${alive ? 'running' : 'not running'}${typeof f.facts?.serverPort === 'number' ? ` (port ${f.facts.serverPort})` : ' (it left no port file)'}`;
      if (f.source === 'claude-squad' && typeof f.facts?.tmuxSession === 'string') return `tmux session ${f.facts.tmuxSession} is ${alive ? 'running' : 'gone'}`;
      return alive ? 'its owner still runs' : 'its owner is gone';
    }
    case 'source.vibe-kanban':
    case 'source.claude-squad': {
      const w = subject ? toolWorkstream(report, subject) : undefined;
      if (!w) return undefined;
      return `${w.id} is ${w.source}'s ${w.source === 'vibe-kanban' ? 'task' : 'session'}${w.title && w.title !== w.id ? ` "${w.title}"` : ''}`;
    }
    default:
      return undefined;
  }
}
