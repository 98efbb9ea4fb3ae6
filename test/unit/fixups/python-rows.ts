// A DatabaseSource for tests that reads a real SQLite file through python3's sqlite3 (argv, no
// shell): the git half is tested against real rows until the sql.js reader is wired in.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { DatabaseSource, WorkstreamRow } from '../../../src/core/fixups/types';

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

export function pythonSource(): DatabaseSource {
  return {
    async scan() {
      return [];
    },
    async readRows(ws) {
      return readDb(join(ws.root, ws.config.database));
    },
    handlers: [],
  };
}
