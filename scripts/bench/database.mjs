#!/usr/bin/env node
// Bench for the database half: a 10,000-row orchestration database (python3's sqlite3, WAL mode,
// the last half of the rows still uncheckpointed in the -wal) read WAL-aware and scanned by
// Lifeline, beside python's sqlite3 reading the same rows, in the same run. Each side runs in a
// fresh process, so times include loading sql.js / the sqlite3 module.
// Goals: <= 3x python's time, peak memory <= 3x the database size.
// Usage: node scripts/bench/database.mjs [--rows N] [--runs N] [--keep]
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';

const root = new URL('../..', import.meta.url).pathname;
const { values } = parseArgs({ options: { rows: { type: 'string' }, runs: { type: 'string' }, keep: { type: 'boolean' } } });
const ROWS = Number(values.rows ?? 10_000);
const RUNS = Number(values.runs ?? 7);

function run(cmd, args, opts = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 2).join(' ')} failed: ${r.stderr || r.error}`);
  return { ms, out: r.stdout };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ---- the database ---------------------------------------------------------------------------
const base = mkdtempSync(join(tmpdir(), 'lifeline-bench-db-'));
const ws = join(base, 'ws');
mkdirSync(join(ws, '.state'), { recursive: true });
const db = join(ws, '.state', 'orchestration.db');
const makeDb = `
import sqlite3, sys, datetime, os
n = int(sys.argv[2])
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute('PRAGMA journal_mode=WAL'); con.execute('PRAGMA wal_autocheckpoint=0')
con.execute("CREATE TABLE workstream_status (workstream_id TEXT PRIMARY KEY, status TEXT, agent_id TEXT, started_at TEXT, completed_at TEXT, error_message TEXT, blocked_by TEXT, notes TEXT)")
now = datetime.datetime.now(datetime.timezone.utc)
def ts(minutes): return (now - datetime.timedelta(minutes=minutes)).strftime('%Y-%m-%d %H:%M:%S')
def row(i):
    status = ('running', 'completed', 'pending', 'blocked', 'failed', 'completed')[i % 6]
    return ('ws-%d' % i, status, 'agent-%d' % (i % 40), ts(90 if i % 12 == 0 else 20) if status != 'pending' else None,
            ts(5) if status == 'completed' else None, 'Agent timeout - abandoned' if status == 'failed' else None,
            'ws-%d' % (i - 1) if status == 'blocked' else None, 'notes for workstream %d' % i)
half = n // 2
con.execute('BEGIN'); con.executemany("INSERT INTO workstream_status VALUES (?,?,?,?,?,?,?,?)", [row(i) for i in range(1, half + 1)]); con.execute('COMMIT')
con.execute('PRAGMA wal_checkpoint(TRUNCATE)')
for start in range(half + 1, n + 1, 500):
    con.execute('BEGIN'); con.executemany("INSERT INTO workstream_status VALUES (?,?,?,?,?,?,?,?)", [row(i) for i in range(start, min(n, start + 499) + 1)]); con.execute('COMMIT')
os._exit(0)  # like a crash: the second half stays in the WAL
`;
run('python3', ['-c', makeDb, db, String(ROWS)]);
const dbBytes = statSync(db).size;
const walBytes = statSync(`${db}-wal`).size;

// ---- our side: a bundle of the database half, run in a fresh process each time -------------------
const child = join(base, 'scan.cjs');
const entry = join(base, 'entry.ts');
writeFileSync(
  entry,
  `import { loadSqlJs } from ${JSON.stringify(join(root, 'src/core/database/sqljs'))};
import { readWorkstreamRows } from ${JSON.stringify(join(root, 'src/core/database/read'))};
import { scanDatabase } from ${JSON.stringify(join(root, 'src/core/database/scan'))};
import { resolveConfig } from ${JSON.stringify(join(root, 'src/core/fixups/config'))};
async function main() {
  const baseline = process.memoryUsage().rss;
  const t0 = performance.now();
  await loadSqlJs();
  const t1 = performance.now();
  const ws = { root: process.argv[2], config: resolveConfig({}) };
  const [rows, findings] = await Promise.all([readWorkstreamRows(ws), scanDatabase(ws)]);
  const t2 = performance.now();
  process.stdout.write(JSON.stringify({ load: t1 - t0, readScan: t2 - t1, rows: rows ? rows.length : -1, findings: findings.length, baseline, peak: process.resourceUsage().maxRSS * 1024 }));
}
void main();
`,
);
await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: child, logLevel: 'error', minify: true });
copyFileSync(join(root, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm'), join(base, 'sql-wasm.wasm'));

const readRows = `
import sqlite3, sys, time, json, resource
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
con = sqlite3.connect(sys.argv[1])
rows = con.execute("SELECT workstream_id, status, agent_id, started_at, completed_at, error_message, blocked_by, notes FROM workstream_status").fetchall()
t1 = time.perf_counter()
con.close()
print(json.dumps({"rows": len(rows), "ms": (t1 - t0) * 1000, "baseline": base * 1024, "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
`;

const r = { py: [], pyInner: [], pyDelta: [], ours: [], load: [], readScan: [], ourDelta: [], ourPeak: [] };
let rowsSeen = 0;
let findings = 0;
for (let i = 0; i < RUNS; i++) {
  // Python reads a copy: closing its connection would checkpoint and delete the WAL we read.
  const copy = join(base, `py-${i}.db`);
  copyFileSync(db, copy);
  copyFileSync(`${db}-wal`, `${copy}-wal`);
  const p = run('python3', ['-c', readRows, copy]);
  const pj = JSON.parse(p.out);
  if (pj.rows !== ROWS) throw new Error(`python read ${pj.rows} rows`);
  r.py.push(p.ms);
  r.pyInner.push(pj.ms);
  r.pyDelta.push(pj.peak - pj.baseline);

  const o = run(process.execPath, [child, ws]);
  const oj = JSON.parse(o.out);
  rowsSeen = oj.rows;
  findings = oj.findings;
  r.ours.push(o.ms);
  r.load.push(oj.load);
  r.readScan.push(oj.readScan);
  r.ourDelta.push(oj.peak - oj.baseline);
  r.ourPeak.push(oj.peak);
}
if (rowsSeen !== ROWS) throw new Error(`Lifeline read ${rowsSeen} rows, expected ${ROWS} (WAL not applied?)`);

const m = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, median(v)]));
const ms = (x) => `${x.toFixed(1)} ms`;
const mib = (x) => `${(x / 1048576).toFixed(1)} MiB`;
const size = dbBytes + walBytes;
console.log(`median of ${RUNS} runs; ${ROWS} rows (${ROWS / 2} of them only in the WAL), ${findings} findings`);
console.log(`database ${mib(dbBytes)} + WAL ${mib(walBytes)} = ${mib(size)}`);
for (const [k, v] of [
  ['python3 sqlite3 read, whole process', ms(m.py)],
  ['python3 sqlite3 read, inside python', ms(m.pyInner)],
  ['Lifeline read + scan, whole process', ms(m.ours)],
  ['  loading sql.js (wasm)', ms(m.load)],
  ['  WAL-aware read + scan (in process)', ms(m.readScan)],
  ['python peak RSS growth while reading', mib(m.pyDelta)],
  ['Lifeline peak RSS growth (sql.js + read + scan)', mib(m.ourDelta)],
  ['Lifeline peak RSS, whole process', mib(m.ourPeak)],
]) console.log(`${k.padEnd(48)} ${v}`);
console.log(`\nwhole process / python whole process:    ${(m.ours / m.py).toFixed(2)}x (goal <= 3x)`);
console.log(`read + scan / python read (in process):  ${(m.readScan / m.pyInner).toFixed(2)}x`);
console.log(`  with sql.js loading:                   ${((m.load + m.readScan) / m.pyInner).toFixed(2)}x`);
console.log(`peak RSS growth / database size:         ${(m.ourDelta / size).toFixed(1)}x (goal <= 3x; python: ${(m.pyDelta / size).toFixed(1)}x)`);
if (!values.keep) rmSync(base, { recursive: true, force: true });
else console.log(`kept ${base}`);
