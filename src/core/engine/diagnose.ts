// Diagnose: runs the database scanner (when wired), the git scanner and the dependency scanner
// over one workspace and merges what they say about the same problem into one finding.
import { scanGit } from '../git/scan';
import type { WorktreeFacts } from '../git/scan';
import { scanDependencies } from './cycles';
import type { Sources } from '../fixups/registry';
import { SCENARIO_FOR } from '../fixups/scenarios';
import { loadSpecs } from './specs';
import type { WorkstreamSpec } from './specs';
import type { Finding, WorkspaceContext, WorkstreamRow } from '../fixups/types';

export interface DiagnoseReport {
  findings: Finding[];
  /** Null when there is no database source or the database could not be read. */
  rows: WorkstreamRow[] | null;
  specs: WorkstreamSpec[];
  worktrees: WorktreeFacts[];
  /** Milliseconds per part, for the bench and for --verbose. */
  timings: { database: number; git: number; dependencies: number; gitStatusChecks: number; gitStatusCalls: number; gitStatusMs: number };
  databaseWired: boolean;
}

/** Unions findings with the same id: facts merged, actions deduplicated, the longer detail kept. */
export function mergeFindings(lists: readonly Finding[][]): Finding[] {
  const byId = new Map<string, Finding>();
  for (const list of lists) {
    for (const f of list) {
      const prev = byId.get(f.id);
      if (!prev) {
        byId.set(f.id, { ...f, actions: [...f.actions], ...(f.facts ? { facts: { ...f.facts } } : {}) });
        continue;
      }
      const actions = [...prev.actions];
      for (const a of f.actions) if (!actions.some((b) => b.id === a.id)) actions.push(a);
      const facts = { ...(prev.facts ?? {}), ...(f.facts ?? {}) };
      byId.set(f.id, { ...prev, detail: f.detail.length > prev.detail.length ? f.detail : prev.detail, actions, facts });
    }
  }
  return [...byId.values()];
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
  'prunable-worktree',
  'locked-worktree',
  'orphaned-worktree',
  'dirty-worktree',
  'foreign-worktree',
];

export async function diagnose(ws: WorkspaceContext, sources: Sources = {}): Promise<DiagnoseReport> {
  const t0 = performance.now();
  let rows: WorkstreamRow[] | null = null;
  let dbFindings: Finding[] = [];
  if (sources.database) {
    const db = sources.database;
    [dbFindings, rows] = await Promise.all([
      // The database half reports its own problems as findings; if it fails outright, say so
      // in one line and still scan git.
      db.scan(ws).catch((e: unknown): Finding[] => [
        {
          id: `db-unreadable:${ws.config.database}`,
          kind: 'db-unreadable',
          subject: ws.config.database,
          scenario: SCENARIO_FOR['db-unreadable'],
          detail: `The database scan failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
          actions: [],
        },
      ]),
      db.readRows(ws).catch(() => null),
    ]);
  }
  const t1 = performance.now();
  const [git, specScan] = await Promise.all([scanGit(ws, rows), loadSpecs(ws)]);
  const t2 = performance.now();
  const deps = scanDependencies(rows, specScan.specs);
  const t3 = performance.now();
  const findings = mergeFindings([dbFindings, git.findings, specScan.findings, deps]).sort(
    (a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || a.subject.localeCompare(b.subject),
  );
  return {
    findings,
    rows,
    specs: specScan.specs,
    worktrees: git.worktrees,
    timings: { database: t1 - t0, git: t2 - t1, dependencies: t3 - t2, gitStatusChecks: git.statusChecks.count, gitStatusCalls: git.statusChecks.gitCalls, gitStatusMs: git.statusChecks.ms },
    databaseWired: Boolean(sources.database),
  };
}
