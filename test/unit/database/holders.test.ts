// Who holds the database, as the db-locked guide's check says it: a real python3 process with
// the file open, named by its program and arguments (not its install path), cut to one short line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeHolders, findHolders } from '../../../src/core/database/holders';

const HOLD = `import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1])
c.execute("create table if not exists t (x)")
c.commit()
print("ready", flush=True)
time.sleep(60)
`;

test('a process holding the database is named by program and arguments, in one short line', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-holders-'));
  const db = join(dir, 'orchestration.db');
  const proc = spawn('python3', ['-c', HOLD, db], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => {
    proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  await new Promise<void>((resolve) => proc.stdout.once('data', () => resolve()));
  const holders = await findHolders([db, `${db}-wal`, `${db}-journal`]);
  assert.ok(holders, 'this platform can tell who holds a file');
  const mine = holders.filter((h) => h.pid === proc.pid);
  assert.deepEqual(mine.map((h) => h.file), [db]);
  const text = describeHolders(mine);
  assert.match(text, new RegExp(`^pid ${proc.pid} \\(python[\\d.]* -c import sqlite3, sys, time c = sqlite3\\.connect.*\\) has orchestration\\.db open$`));
  assert.doesNotMatch(text, /\//, 'no install path');
  assert.ok(mine[0]!.command.length <= 60, mine[0]!.command);
});
