// What a tool's source gives the engine: the tool's workstreams in the kernel's model and its
// findings, which stand in for git's on the same worktrees because only the tool's source knows
// whose worktree it is and whether that owner still runs.
import { actionOf } from '../fixups/action-name';
import type { Finding, FixupHandler, WorkspaceContext } from '../fixups/types';
import type { SourceId, Workstream } from '../fixups/workstream';
import type { GitScan } from '../git/scan';

export interface ToolRead {
  source: SourceId;
  workstreams: Workstream[];
  /** Findings of this source; each replaces git's finding with the same id. */
  findings: Finding[];
  /** Ids of git findings this source's findings stand in for (also those under another subject). */
  replaces: Set<string>;
  /** Subjects (display paths) that are this tool's: git's other findings on them are re-tagged. */
  subjects: Set<string>;
  /** Subjects whose owner runs: no destructive action is offered on them by any finding. */
  live: Set<string>;
  /** One line when the tool's state is there but could not be used (not JSON, an unknown schema); then no workstreams and no findings. */
  note?: string;
}

export function emptyRead(source: SourceId): ToolRead {
  return { source, workstreams: [], findings: [], replaces: new Set(), subjects: new Set(), live: new Set() };
}

export interface ToolSource {
  id: SourceId;
  /** The tool's state for this repository, or null when the tool has none here (then it is not shown at all). */
  read(ws: WorkspaceContext, git: GitScan): Promise<ToolRead | null>;
  /** The fix-ups only this tool's state has (registered beside git's and the database's). */
  handlers?: readonly FixupHandler[];
}

const DESTRUCTIVE = new Set(['worktree.remove', 'worktree.unlock', 'worktree.prune', 'branch.delete']);

/** git's findings with the tools' in their place: replaced ones dropped, a tool's re-tagged, a live owner's stripped of destructive actions. */
export function withToolFindings(gitFindings: readonly Finding[], reads: readonly ToolRead[]): Finding[] {
  const replaced = new Set(reads.flatMap((r) => [...r.replaces]));
  const out: Finding[] = [];
  for (const f of gitFindings) {
    if (replaced.has(f.id)) continue;
    const owner = reads.find((r) => r.subjects.has(f.subject));
    if (!owner) {
      out.push(f);
      continue;
    }
    const live = reads.some((r) => r.live.has(f.subject));
    const actions = live ? f.actions.filter((a) => !DESTRUCTIVE.has(actionOf(a.id))) : f.actions;
    out.push({ ...f, source: owner.source, actions });
  }
  for (const r of reads) {
    for (const f of r.findings) {
      const live = reads.some((o) => o !== r && o.live.has(f.subject));
      out.push(live ? { ...f, actions: f.actions.filter((a) => !DESTRUCTIVE.has(actionOf(a.id))) } : f);
    }
  }
  return out;
}
