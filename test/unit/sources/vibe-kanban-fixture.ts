// vibe-kanban's db.v2.sqlite as the tool lays it out (the key tables of its migrations, BLOB
// UUID ids, text times, journal_mode=DELETE), written and read back by python3's sqlite3. The
// defaults use strftime('%f'): the same text as the tool's datetime('now','subsec'), which older
// SQLite builds lack.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface VkRun {
  id: string;
  status: string;
  runReason?: string;
  startedAt: string;
}

export interface VkWorkspaceSpec {
  id: string;
  repoPath: string;
  repoName: string;
  containerRef: string;
  branch: string;
  task: { id: string; title: string; status: string };
  session: string;
  runs: VkRun[];
}

const WRITE = `
import json, sqlite3, sys, uuid
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA journal_mode=DELETE")
db.executescript('''
CREATE TABLE repos (id BLOB PRIMARY KEY, path TEXT NOT NULL UNIQUE, name TEXT NOT NULL, display_name TEXT, created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')), updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')));
CREATE TABLE tasks (id BLOB PRIMARY KEY, project_id BLOB, title TEXT NOT NULL, description TEXT,
  status TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo','inprogress','done','cancelled','inreview')),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')), updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')), parent_workspace_id BLOB);
CREATE TABLE workspaces (id BLOB PRIMARY KEY, task_id BLOB, container_ref TEXT, branch TEXT NOT NULL, setup_completed_at TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')), updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
  archived INTEGER NOT NULL DEFAULT 0, pinned INTEGER NOT NULL DEFAULT 0, name TEXT, worktree_deleted BOOLEAN NOT NULL DEFAULT FALSE);
CREATE TABLE workspace_repos (id BLOB PRIMARY KEY, workspace_id BLOB NOT NULL REFERENCES workspaces(id), repo_id BLOB NOT NULL REFERENCES repos(id), target_branch TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')), updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')), UNIQUE (workspace_id, repo_id));
CREATE TABLE sessions (id BLOB PRIMARY KEY, workspace_id BLOB NOT NULL REFERENCES workspaces(id), executor TEXT, agent_working_dir TEXT, name TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')), updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')));
CREATE TABLE execution_processes (id BLOB PRIMARY KEY, session_id BLOB NOT NULL REFERENCES sessions(id), executor_action TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running','completed','failed','killed')), exit_code INTEGER, dropped INTEGER NOT NULL DEFAULT 0,
  started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')), completed_at TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')), updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
  run_reason TEXT NOT NULL DEFAULT 'setupscript' CHECK (run_reason IN ('setupscript','cleanupscript','archivescript','codingagent','devserver')));
''')
b = lambda s: uuid.UUID(s).bytes
for w in json.loads(sys.argv[2]):
    repo = db.execute("SELECT id FROM repos WHERE path = ?", (w['repoPath'],)).fetchone()
    if repo is None:
        repo = (uuid.uuid4().bytes,)
        db.execute("INSERT INTO repos (id, path, name) VALUES (?, ?, ?)", (repo[0], w['repoPath'], w['repoName']))
    t = w['task']
    db.execute("INSERT INTO tasks (id, title, status) VALUES (?, ?, ?)", (b(t['id']), t['title'], t['status']))
    db.execute("INSERT INTO workspaces (id, task_id, container_ref, branch) VALUES (?, ?, ?, ?)", (b(w['id']), b(t['id']), w['containerRef'], w['branch']))
    db.execute("INSERT INTO workspace_repos (id, workspace_id, repo_id, target_branch) VALUES (?, ?, ?, 'main')", (uuid.uuid4().bytes, b(w['id']), repo[0]))
    db.execute("INSERT INTO sessions (id, workspace_id, executor) VALUES (?, ?, 'CLAUDE_CODE')", (b(w['session']), b(w['id'])))
    for r in w['runs']:
        db.execute("INSERT INTO execution_processes (id, session_id, status, run_reason, started_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (b(r['id']), b(w['session']), r['status'], r.get('runReason', 'codingagent'), r['startedAt'], r['startedAt'], r['startedAt']))
db.commit()
db.close()
`;

const READ = `
import json, sqlite3, sys, uuid
db = sqlite3.connect(sys.argv[1])
out = {
  'integrity': db.execute("PRAGMA integrity_check").fetchone()[0],
  'journal_mode': db.execute("PRAGMA journal_mode").fetchone()[0],
  'runs': [dict(id=str(uuid.UUID(bytes=r[0])), status=r[1], completed_at=r[2], updated_at=r[3], id_type=r[4])
           for r in db.execute("SELECT id, status, completed_at, updated_at, typeof(id) FROM execution_processes ORDER BY started_at")],
  'tasks': [dict(id=str(uuid.UUID(bytes=r[0])), status=r[1], id_type=r[2]) for r in db.execute("SELECT id, status, typeof(id) FROM tasks ORDER BY title")],
}
db.close()
print(json.dumps(out))
`;

function python(script: string, args: string[]): string {
  const r = spawnSync('python3', ['-c', script, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return r.stdout;
}

export function writeVibeDb(file: string, workspaces: VkWorkspaceSpec[]): void {
  mkdirSync(dirname(file), { recursive: true });
  python(WRITE, [file, JSON.stringify(workspaces)]);
}

export interface VibeReadBack {
  integrity: string;
  journal_mode: string;
  runs: { id: string; status: string; completed_at: string | null; updated_at: string; id_type: string }[];
  tasks: { id: string; status: string; id_type: string }[];
}

export function readVibeDb(file: string): VibeReadBack {
  return JSON.parse(python(READ, [file])) as VibeReadBack;
}
