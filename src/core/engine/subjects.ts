// What a guide can be about, from a diagnose report: the candidate subjects of a playbook (the
// workstreams its findings name, or those in the database statuses it handles) and, for any one
// of them, the values that fill its placeholders — branch, worktree, agent, pid — so that no one
// has to type an action id. Pure over the report.
import { isWorkstreamId } from '../fixups/names';
import { isInside } from '../fixups/contain';
import type { WorktreeFacts } from '../git/scan';
import type { Subject, Remaining } from '../decisions/state';
import type { SubjectSpec } from '../playbooks/model';
import type { DiagnoseReport } from './diagnose';
import type { Finding } from '../fixups/types';
import { toolWorkstream } from './probes';

/** Which workstream a finding is about: its subject, or the owner of the worktree it names. */
function workstreamOf(report: DiagnoseReport, f: Finding): string | undefined {
  if (isWorkstreamId(f.subject) && report.rows?.some((r) => r.workstream_id === f.subject)) return f.subject;
  const owner = typeof f.facts?.workstream === 'string' ? f.facts.workstream : worktreeFacts(report, f.subject)?.workstream;
  return owner ?? (isWorkstreamId(f.subject) ? f.subject : undefined);
}

function worktreeFacts(report: DiagnoseReport, pathOrDisplay: string): WorktreeFacts | undefined {
  return report.worktrees.find((w) => !w.worktree.main && (w.display === pathOrDisplay || (isInside(w.worktree.path, pathOrDisplay) && isInside(pathOrDisplay, w.worktree.path))));
}

/** The subjects a playbook's `subject` spec picks out of the report, in the report's order. */
export function subjectCandidates(report: DiagnoseReport, spec: SubjectSpec, mainBranch: string): Subject[] {
  const ids: string[] = [];
  const add = (id: string | undefined) => {
    if (id !== undefined && !ids.includes(id)) ids.push(id);
  };
  for (const f of report.findings) {
    if (!spec.findings.includes(f.kind)) continue;
    if (spec.kind === 'workstream') add(workstreamOf(report, f));
    else if (spec.kind === 'worktree') add(f.subject);
  }
  for (const r of report.rows ?? []) {
    if (!spec.status.includes(r.status) || !isWorkstreamId(r.workstream_id)) continue;
    if (spec.kind === 'workstream') add(r.workstream_id);
    else if (spec.kind === 'worktree') add(report.worktrees.find((w) => w.workstream === r.workstream_id && !w.worktree.main)?.display);
  }
  return ids.map((id) => bindSubject(report, spec, id, mainBranch)).filter((s): s is Subject => s !== undefined);
}

/**
 * What the report knows about `id` as a subject of kind `spec.kind`; undefined when it knows
 * nothing of it (no row, no worktree, no branch). A worktree path given for a workstream guide
 * binds the workstream that owns it.
 */
export function bindSubject(report: DiagnoseReport, spec: Pick<SubjectSpec, 'kind'>, id: string, mainBranch: string): Subject | undefined {
  const values: Record<string, string> = { 'main-branch': mainBranch };
  if (spec.kind === 'test' || spec.kind === 'log-line') {
    return { id, kind: spec.kind, label: id, values: { ...values, [spec.kind]: id } };
  }
  // A workstream an agent tool reported names its worktree itself (not by the branch pattern).
  const tool = spec.kind === 'workstream' ? toolWorkstream(report, id) : undefined;
  const wtGiven = worktreeFacts(report, id) ?? (tool?.worktree ? worktreeFacts(report, tool.worktree) : undefined);
  const wsId = spec.kind === 'workstream' ? (isWorkstreamId(id) ? id : (wtGiven?.workstream ?? undefined)) : (wtGiven?.workstream ?? undefined);
  const row = wsId ? report.rows?.find((r) => r.workstream_id === wsId) : undefined;
  const wt = spec.kind === 'worktree' ? wtGiven : (wsId && !tool ? report.worktrees.find((w) => w.workstream === wsId && !w.worktree.main) : undefined) ?? wtGiven;
  const about = report.findings.filter((f) => (wsId !== undefined && f.subject === wsId) || (wt !== undefined && f.subject === wt.display));
  const factBranch = about.map((f) => f.facts?.branch).find((b): b is string => typeof b === 'string');
  const branch = wt?.branch ?? tool?.branch ?? factBranch;
  if (spec.kind === 'workstream' && !row && !wt && !branch) return undefined;
  if (spec.kind === 'worktree' && !wt) return undefined;
  if (spec.kind === 'branch' && !branch && !wtGiven) {
    // A branch subject names the branch itself.
    return { id, kind: 'branch', label: id, values: { ...values, branch: id } };
  }
  if (wsId) values['ws-id'] = wsId;
  const agent = row?.agent_id ?? tool?.agent ?? (branch ? /\/(agent-[^/]+)$/.exec(branch)?.[1] : undefined);
  if (agent) values['agent-id'] = agent;
  if (branch) values.branch = branch;
  if (wt && wt.exists) values.worktree = wt.display;
  else if (wt) values['worktree-gone'] = wt.display;
  if (wt?.processes?.length) values.pid = wt.processes.map((p) => String(p.pid)).join(' ');
  if (row) values.status = row.status;
  const label = about[0]?.detail ?? (row ? `${wsId} is ${row.status}${branch ? ` (branch ${branch})` : ''}.` : wt ? `Worktree ${wt.display}${branch ? ` on ${branch}` : ''}.` : `Branch ${branch}.`);
  const subjectId = spec.kind === 'worktree' ? wt!.display : spec.kind === 'branch' ? (branch ?? id) : (wsId ?? id);
  return { id: subjectId, kind: spec.kind, label, values };
}

/** The report's findings as the end of a guide lists them; `mine` when about one of `subjects`. */
export function remainingProblems(report: DiagnoseReport, subjects: readonly Subject[]): Remaining[] {
  const names = new Set<string>();
  for (const s of subjects) {
    names.add(s.id);
    for (const k of ['ws-id', 'worktree', 'worktree-gone', 'branch']) if (s.values[k]) names.add(s.values[k]!);
  }
  return report.findings.map((f) => ({
    id: f.id,
    subject: f.subject,
    detail: f.detail,
    scenario: f.scenario,
    mine: names.has(f.subject) || (typeof f.facts?.workstream === 'string' && names.has(f.facts.workstream)),
  }));
}
