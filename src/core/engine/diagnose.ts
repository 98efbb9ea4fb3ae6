// Diagnose: reads the sources (the orchestration database when wired, git, the workstream specs,
// the agent tools' state: tool-sources.ts) over one workspace and computes each finding once: the
// database's own files, stuck and failed workstreams (workstream-findings.ts), worktrees, specs
// and dependency cycles.
import { scanGit } from '../git/scan';
import type { WorktreeFacts } from '../git/scan';
import { scanDependencies } from './cycles';
import type { Sources } from '../fixups/registry';
import { readOrchestrationDb } from './sources';
import type { SourceRead } from './sources';
import { loadSpecs } from './specs';
import type { WorkstreamSpec } from './specs';
import type { Finding, WorkspaceContext, WorkstreamRow } from '../fixups/types';
import { hasControlChars } from '../fixups/contain';
import type { Workstream } from '../fixups/workstream';
import { workstreamFindings } from './workstream-findings';
import { withToolFindings } from './tool-source';
import type { ToolRead } from './tool-source';
import { TOOL_SOURCES } from './tool-sources';

export interface DiagnoseReport {
  findings: Finding[];
  /** Null when there is no database source or the database could not be read. */
  rows: WorkstreamRow[] | null;
  /** The sources' workstreams, in the kernel's model; null as `rows`. */
  workstreams: Workstream[] | null;
  /** Claude Code's worktrees as workstreams (source `claude-code`); null when the repository has none. */
  claudeCode: Workstream[] | null;
  /** Each agent tool found with state for this repository, with its workstreams (tool-sources.ts). */
  tools: { source: ToolRead['source']; workstreams: Workstream[]; reason?: string }[];
  specs: WorkstreamSpec[];
  worktrees: WorktreeFacts[];
  /** Milliseconds per part, for the bench and for --verbose. */
  timings: { database: number; git: number; dependencies: number; gitStatusChecks: number; gitStatusCalls: number; gitStatusMs: number };
  databaseWired: boolean;
}

const ORDER: readonly Finding['kind'][] = [
  'db-unreadable',
  'db-missing',
  'hot-wal',
  'stale-journal',
  'stuck-workstream',
  'failed-workstream',
  'dependency-cycle',
  'dangling-dependency',
  'invalid-spec',
  'ghost-run',
  'prunable-worktree',
  'locked-worktree',
  'orphaned-worktree',
  'dirty-worktree',
  'foreign-worktree',
];

export async function diagnose(ws: WorkspaceContext, sources: Sources = {}): Promise<DiagnoseReport> {
  const t0 = performance.now();
  const db: SourceRead = sources.database ? await readOrchestrationDb(ws, sources.database) : { workstreams: null, rows: null, findings: [] };
  const t1 = performance.now();
  const [git, specScan] = await Promise.all([scanGit(ws, db.workstreams), loadSpecs(ws)]);
  const tools = (await Promise.all(TOOL_SOURCES.map((s) => s.read(ws, git)))).filter((r): r is ToolRead => r !== null);
  const t2 = performance.now();
  const deps = scanDependencies(db.rows, specScan.specs);
  const t3 = performance.now();
  // Each kind comes from one place, so no two lists hold the same finding.
  const findings = offerable([...db.findings, ...workstreamFindings(ws, db.workstreams, git), ...withToolFindings(git.findings, tools), ...specScan.findings, ...deps]).sort(
    (a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || a.subject.localeCompare(b.subject),
  );
  return {
    findings,
    rows: db.rows,
    workstreams: db.workstreams,
    claudeCode: tools.find((t) => t.source === 'claude-code')?.workstreams ?? null,
    tools: tools.map((t) => ({ source: t.source, workstreams: t.workstreams, ...(t.reason ? { reason: t.reason } : {}) })),
    specs: specScan.specs,
    worktrees: git.worktrees,
    timings: { database: t1 - t0, git: t2 - t1, dependencies: t3 - t2, gitStatusChecks: git.statusChecks.count, gitStatusCalls: git.statusChecks.gitCalls, gitStatusMs: git.statusChecks.ms },
    databaseWired: Boolean(sources.database),
  };
}

/** Why a finding offers no fix-up on its subject. */
const NO_FIXUP_CONTROL = 'No fix-up is offered for this worktree: its path contains a control character.';

/**
 * Findings with only the fix-ups `lifeline fix` will take. A path with a control character (a
 * newline in a folder name) cannot be named in an action id, which parseActionId refuses: such
 * an action is left out, whichever source offered it, and the finding says why.
 */
function offerable(findings: Finding[]): Finding[] {
  return findings.map((f) => {
    const actions = f.actions.filter((a) => !hasControlChars(a.id));
    return actions.length === f.actions.length ? f : { ...f, actions, detail: `${f.detail} ${NO_FIXUP_CONTROL}` };
  });
}
