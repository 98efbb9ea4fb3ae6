// Crash safety: a process applying a fix-up is killed with SIGKILL at random moments (over 200
// runs, half on a database with a hot WAL, half in rollback-journal mode). Every time, python's
// sqlite3 must open the result, integrity_check must say ok, and the rows must be entirely
// before or entirely after the change. A test-only pause between the write's phases
// (LIFELINE_TEST_WRITE_PAUSE_MS) spreads the kills over every phase.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { locateSqlWasm } from '../../../src/core/database/sqljs';
import { bytesOf, createDb, py, PY_SCHEMA } from './helpers';
import type { Row } from './helpers';

const RUNS = Number(process.env.LIFELINE_CRASH_RUNS ?? 200);
const PARALLEL = 4;
const PAUSE_MS = 15;
const ROWS = 1000;
/** Long enough to split its (full) leaf page: the change grows the file. */
const MESSAGE = `crash-test ${'x'.repeat(1900)}`;

interface Run {
  dir: string;
  wal: boolean;
  /** Phase lines seen before the process died. */
  phases: number;
  killed: boolean;
  done: boolean;
}

/**
 * Runs the fix-up once and, when `kill` is set, sends SIGKILL a random `jitter` ms after the
 * child reports phase `after` (0: "go", sql.js loaded and nothing read yet; 1..: each phase of the
 * safe write). Anchoring on phases rather than on the clock keeps the kills spread over the whole
 * write however loaded the machine is.
 */
function runChild(bundle: string, dir: string, kill: { after: number; jitter: number } | null): Promise<Omit<Run, 'dir' | 'wal'>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, dir, 'workstream.mark-failed', 'ws-0005', MESSAGE], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LIFELINE_TEST_WRITE_PAUSE_MS: String(PAUSE_MS) },
    });
    let phases = 0;
    let done = false;
    let err = '';
    const arm = (reached: number) => {
      if (kill && kill.after === reached) setTimeout(() => child.kill('SIGKILL'), kill.jitter);
    };
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) {
        if (line === 'go') arm(0);
        else if (line === 'phase') arm(++phases);
        else if (line === 'done') done = true;
      }
    });
    child.on('exit', (code, signal) => {
      if (code && !signal) reject(new Error(`the fix-up failed on its own: ${err.trim()}`));
      else resolve({ phases, killed: signal === 'SIGKILL', done });
    });
  });
}

test(`kill -9 at random points over ${RUNS} runs: always before or after, never broken`, { timeout: 300_000 }, async () => {
  const base = mkdtempSync(join(tmpdir(), 'lifeline-crash-'));
  try {
    // The fix-up process, bundled once (a cold tsx start per run would dominate the test).
    const bundle = join(base, 'crash-child.js');
    await build({ entryPoints: [join(__dirname, 'fixtures', 'crash-child.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: bundle, logLevel: 'error' });
    copyFileSync(locateSqlWasm(), join(base, 'sql-wasm.wasm'));

    // Two starting points: a hot WAL left by a killed writer, and a rollback-journal database.
    const templates = { wal: join(base, 'template-wal', 'db'), rollback: join(base, 'template-rb', 'db') };
    mkdirSync(join(base, 'template-wal'));
    mkdirSync(join(base, 'template-rb'));
    // The WAL template: every row checkpointed into the main file, then a writer dies with five
    // commits (touching only the last rows' pages) in its WAL. The fix-up's change (a long
    // message: a leaf split, new pages past the WAL's committed size) lands on pages the WAL does not
    // hold, so a new image left beside the old WAL would be replayed into a broken file.
    py(
      `import sqlite3, sys, os
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('PRAGMA journal_mode=WAL'); c.execute('PRAGMA wal_autocheckpoint=0')
c.execute(sys.argv[2])
c.execute('BEGIN')
for i in range(int(sys.argv[3])): c.execute("INSERT INTO workstream_status VALUES (?, 'running', ?, '2025-11-29 08:05:12', NULL, NULL, NULL, NULL)", ('ws-%04d' % i, 'agent-%d' % (i % 7)))
c.execute('COMMIT')
c.execute('PRAGMA wal_checkpoint(TRUNCATE)')
for t in range(5):
    c.execute("UPDATE workstream_status SET notes = ? WHERE workstream_id >= 'ws-0950'", ('pass %d' % t,))
os._exit(0)`,
      templates.wal,
      PY_SCHEMA,
      String(ROWS),
    );
    createDb(templates.rollback, Array.from({ length: ROWS }, (_, i): Row => [`ws-${String(i).padStart(4, '0')}`, 'running', `agent-${i % 7}`, '2025-11-29 08:05:12', null, null, null, null]));
    const seed = (dir: string, wal: boolean) => {
      mkdirSync(join(dir, '.state'), { recursive: true });
      const from = wal ? templates.wal : templates.rollback;
      for (const suffix of ['', '-wal', '-shm']) {
        const b = bytesOf(from + suffix);
        if (b) writeFileSync(join(dir, '.state', `orchestration.db${suffix}`), b);
      }
    };

    // Calibrate: how many phases an unkilled fix-up reports on each kind of database.
    const phaseCount = { wal: 0, rollback: 0 };
    for (const wal of [true, false]) {
      const cal = join(base, `calibrate-${wal}`);
      seed(cal, wal);
      const full = await runChild(bundle, cal, null);
      assert.equal(full.done, true);
      phaseCount[wal ? 'wal' : 'rollback'] = full.phases;
    }
    assert.deepEqual(phaseCount, { wal: 6, rollback: 4 }, 'read, backup, temp files, [fold, retire WAL,] replace');

    const runs: Run[] = [];
    let next = 0;
    const worker = async () => {
      while (next < RUNS) {
        const i = next++;
        const dir = join(base, `run-${i}`);
        const wal = i % 2 === 0;
        seed(dir, wal);
        const phases = wal ? phaseCount.wal : phaseCount.rollback;
        // 0..phases: from before anything is read to after the final rename (the exit path).
        // After "go" the jitter is long enough to land inside the read and busy check too.
        const after = Math.floor(Math.random() * (phases + 1));
        const r = await runChild(bundle, dir, { after, jitter: Math.random() * (after === 0 ? 300 : PAUSE_MS * 3) });
        runs.push({ dir, wal, phases: r.phases, killed: r.killed, done: r.done });
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));

    // One python process checks every result the way a user's SQLite would open it.
    const listFile = join(base, 'runs.json');
    writeFileSync(listFile, JSON.stringify(runs.map((r) => join(r.dir, '.state', 'orchestration.db'))));
    const verdicts = JSON.parse(
      py(
        `import sqlite3, sys, json
out = []
for path in json.load(open(sys.argv[1])):
    try:
        c = sqlite3.connect(path)
        integrity = ';'.join(r[0] for r in c.execute('PRAGMA integrity_check'))
        count, running = c.execute("SELECT count(*), sum(status='running') FROM workstream_status").fetchone()
        row = c.execute("SELECT status, error_message FROM workstream_status WHERE workstream_id='ws-0005'").fetchone()
        c.close()
        out.append([integrity, count, running, list(row) if row else None])
    except Exception as e:
        out.append(['error: %s' % e, 0, 0, None])
print(json.dumps(out))`,
        listFile,
      ),
    ) as [string, number, number, [string, string | null] | null][];

    let before = 0;
    let after = 0;
    verdicts.forEach(([integrity, count, running, row], i) => {
      const label = `run ${i} (${runs[i]!.wal ? 'hot WAL' : 'rollback mode'}, killed after ${runs[i]!.phases} phase(s))`;
      assert.equal(integrity, 'ok', label);
      assert.equal(count, ROWS, label);
      const isBefore = running === ROWS && row?.[0] === 'running' && row[1] === null;
      const isAfter = running === ROWS - 1 && row?.[0] === 'failed' && row[1] === MESSAGE;
      assert.ok(isBefore || isAfter, `${label}: neither before nor after: ${JSON.stringify([running, row?.[0], row?.[1]?.slice(0, 40)])}`);
      if (isBefore) before++;
      else after++;
    });
    // The kills must have landed all over the write, or this test proves little.
    const killedMidway = runs.filter((r) => r.killed && r.phases >= 2 && !r.done);
    const walMidway = killedMidway.filter((r) => r.wal && r.phases >= 4);
    console.log(`crash: ${RUNS} runs: ${before} before, ${after} after; ${killedMidway.length} killed mid-write (${walMidway.length} after folding a WAL)`);
    assert.ok(before > RUNS / 10 && after > RUNS / 10, `both outcomes occur (${before} before, ${after} after)`);
    assert.ok(killedMidway.length >= RUNS / 5, `enough kills inside the write (${killedMidway.length})`);
    assert.ok(walMidway.length >= 5, `kills between the WAL fold and the final rename (${walMidway.length})`);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
