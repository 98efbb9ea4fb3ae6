// python3's sqlite3 (argv, no shell) as the independent writer and reader of the orchestration
// database in tests; Lifeline's own reader (sql.js) is what the tests check against it.
import { execFileSync } from 'node:child_process';
import type { WorkstreamRow } from '../../../src/core/fixups/types';

const COLUMNS = ['workstream_id', 'status', 'agent_id', 'started_at', 'completed_at', 'error_message', 'blocked_by', 'notes'] as const;

export function writeDb(file: string, rows: Partial<WorkstreamRow>[]): void {
  const script = `
import json, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.execute("CREATE TABLE IF NOT EXISTS workstream_status (workstream_id TEXT PRIMARY KEY, status TEXT, agent_id TEXT, started_at TEXT, completed_at TEXT, error_message TEXT, blocked_by TEXT, notes TEXT)")
for r in json.loads(sys.argv[2]):
    con.execute("INSERT INTO workstream_status VALUES (?,?,?,?,?,?,?,?)", [r.get(c) for c in ${JSON.stringify(COLUMNS)}])
con.commit()
con.close()
`;
  execFileSync('python3', ['-c', script, file, JSON.stringify(rows)]);
}

export function readDb(file: string): WorkstreamRow[] {
  const script = `
import json, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.row_factory = sqlite3.Row
print(json.dumps([dict(r) for r in con.execute("SELECT * FROM workstream_status")]))
`;
  return JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' })) as WorkstreamRow[];
}
