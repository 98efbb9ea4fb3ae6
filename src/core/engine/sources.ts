// The sources the engine reads workstreams from, each into the kernel's workstream model. Seed
// 001's orchestration database is the first (`orchestration-db`, plugged in as a DatabaseSource);
// git is always there (worktrees, branches: src/core/git/scan.ts).
import { workstreamFromRow } from '../database/rows';
import { databaseSource } from '../database/source';
import type { Sources } from '../fixups/registry';
import { SCENARIO_FOR } from '../fixups/scenarios';
import type { DatabaseSource, Finding, WorkspaceContext, WorkstreamRow } from '../fixups/types';
import type { Workstream } from '../fixups/workstream';

export function defaultSources(): Sources {
  return { database: databaseSource };
}

/** What one source read: its workstreams (null when its state could not be read) and the findings about its own files. */
export interface SourceRead {
  workstreams: Workstream[] | null;
  /** The database's rows as stored (blocked_by for the dependency scanner, counts for the CLI). */
  rows: WorkstreamRow[] | null;
  findings: Finding[];
}

/** The `orchestration-db` source: the database's own problems as findings, its rows as workstreams. */
export async function readOrchestrationDb(ws: WorkspaceContext, db: DatabaseSource): Promise<SourceRead> {
  const [findings, rows] = await Promise.all([
    // The database half reports its own problems as findings; if it fails outright, say so
    // in one line and still scan git.
    db.scan(ws).catch((e: unknown): Finding[] => [
      {
        id: `db-unreadable:${ws.config.database}`,
        kind: 'db-unreadable',
        subject: ws.config.database,
        source: 'orchestration-db',
        scenario: SCENARIO_FOR['db-unreadable'],
        detail: `The database scan failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
        actions: [],
      },
    ]),
    db.readRows(ws).catch(() => null),
  ]);
  return { workstreams: rows ? rows.map(workstreamFromRow) : null, rows, findings };
}
