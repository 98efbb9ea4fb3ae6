// Classify two generated 200 MB logs — short log lines, and long JSON lines full of near misses
// (words the symptoms are anchored on, in lines that are no failure) — with Lifeline's engine
// beside ripgrep (`rg -f` with the same patterns) and, on the first, a naive per-line, per-regex
// loop, all in this run. Then the classifier's accuracy on the labelled corpus.
import { createReadStream, createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = new URL('../..', import.meta.url).pathname;
const MB = Number(process.env.BENCH_CLASSIFY_MB ?? 200);
const dir = mkdtempSync(join(tmpdir(), 'lifeline-bench-'));
const log = join(dir, 'big.log');
const longLog = join(dir, 'long-lines.log');

// Deterministic noise with a failure every ~20,000 lines.
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const noise = [
  (i) => `2026-11-22T10:${String(i % 60).padStart(2, '0')}:00.123Z INFO  worker-${i % 16} processed batch ${i} in ${(rnd() * 900) | 0} ms`,
  (i) => `127.0.0.1 - - [22/Nov/2026:10:00:00 +0000] "GET /api/items/${i} HTTP/1.1" 200 ${(rnd() * 5000) | 0} "-" "curl/8.5"`,
  (i) => `DEBUG cache hit ratio=${rnd().toFixed(3)} keys=${i % 9973} evictions=${i % 17}`,
  (i) => `tests/unit/test_module_${i % 300}.py::test_case_${i % 50} PASSED                                 [ ${i % 100}%]`,
  (i) => `   Compiling crate-${i % 40} v0.${i % 9}.${i % 7} (/build/src/crate-${i % 40})`,
];
const failures = [
  'sqlite3.OperationalError: database is locked',
  "ModuleNotFoundError: No module named 'requests_mock'",
  'panic: test timed out after 10m0s',
  'CONFLICT (content): Merge conflict in src/main.py',
  'Error: connect ECONNREFUSED 127.0.0.1:5432',
];
// Lines that share the words symptoms are anchored on but are no failure, and long JSON lines.
const nearMisses = [
  (i) => `INFO sqlite: database is not locked, ${i % 9} readers`,
  (i) => `=========== ${i % 90} passed, 0 failed, 2 warnings in 1.${i % 9}s ===========`,
  (i) => `Tests:       0 failed, ${i % 400} passed, ${i % 400} total`,
  (i) => `DEBUG request configured with timeout=${i % 60}s, retries=3`,
  (i) => `INFO ModuleNotFound handler registered for plugin-${i % 30}`,
  (i) => `check: no circular dependencies found in ${i % 120} modules`,
  (i) => `janitor: Killed 0 stale sessions (${i % 17} active)`,
  (i) => `process exited with exit code 0 after ${i % 1000} ms`,
  (i) => `github: rate limit remaining ${5000 - (i % 5000)} of 5000`,
  (i) => `CONFLICT resolution strategy: ours (${i % 3} files)`,
  (i) => `Traceback capture enabled for worker-${i % 8}`,
  (i) => `git worktree list: ${i % 6} entries, none prunable`,
];
const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
const payload = (n) => {
  let s = '';
  for (let k = 0; k < n; k++) s += chars[(rnd() * chars.length) | 0];
  return s;
};
const longLine = (i) =>
  `{"ts":"2026-11-22T10:00:${String(i % 60).padStart(2, '0')}Z","level":"info","msg":"request done","http":{"status":200,"path":"/api/items/${i}"},"error":null,"timeout_ms":3000,"test":"smoke","payload":"${payload(1000 + ((rnd() * 5000) | 0))}"}`;

async function generate(file, lineAt) {
  const out = createWriteStream(file);
  let bytes = 0;
  let i = 0;
  const target = MB * 1024 * 1024;
  while (bytes < target) {
    let chunk = '';
    for (let k = 0; k < 2000; k++, i++) chunk += lineAt(i) + '\n';
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
}

function patterns() {
  const list = [];
  for (const f of readdirSync(join(root, 'playbooks')).filter((f) => f.endsWith('.yaml'))) {
    const p = parse(readFileSync(join(root, 'playbooks', f), 'utf8'));
    for (const s of p.symptoms ?? []) if (s.pattern) list.push({ pattern: s.pattern, caseSensitive: !!s.caseSensitive });
  }
  return list;
}

function time(fn) {
  const t = process.hrtime.bigint();
  const r = fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, r };
}

const failureAt = (i) => (i % 20011 === 20010 ? failures[(i / 20011) % failures.length | 0] : null);
await generate(log, (i) => failureAt(i) ?? noise[i % noise.length](i));
await generate(longLog, (i) => failureAt(i) ?? (i % 3 === 0 ? longLine(i) : nearMisses[i % nearMisses.length](i)));
const size = statSync(log).size;
const pats = patterns();
const rgInstalled = spawnSync('rg', ['--version'], { encoding: 'utf8' }).status === 0;
const accepted = rgInstalled ? pats.filter((p) => spawnSync('rg', ['-q', '-e', p.pattern, '--', join(root, 'package.json')]).status !== 2) : [];
writeFileSync(join(dir, 'patterns.txt'), accepted.map((p) => p.pattern).join('\n') + '\n');

/**
 * Lifeline (the built CLI in a child that reports its peak RSS) and rg on one file, interleaved
 * RUNS times; the medians are compared, since the machine is shared and single runs swing.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function compare(label, file) {
  const bytes = statSync(file).size;
  console.log(`\n${label}: ${(bytes / 1048576).toFixed(0)} MB, ${failures.length} kinds of failure sprinkled in`);
  const ourMs = [];
  const rgRuns = [];
  let rss = 0;
  let scenario = '';
  let rgOut = '';
  for (let k = 0; k < RUNS; k++) {
    const ours = time(() => spawnSync(process.execPath, [join(root, 'scripts', 'bench', 'classify.child.mjs'), file, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 }));
    ourMs.push(ours.ms);
    rss = Math.max(rss, Number(/maxrss_kb=(\d+)/.exec(ours.r.stderr)?.[1] ?? 0) * 1024);
    scenario = (() => { try { return JSON.parse(ours.r.stdout).scenario; } catch { return `error: ${ours.r.stderr.slice(0, 200)}`; } })();
    // ripgrep with the same patterns (those its regex engine accepts), case-insensitive like ours.
    if (rgInstalled) {
      const r = time(() => spawnSync('rg', ['-i', '-c', '-f', join(dir, 'patterns.txt'), file], { encoding: 'utf8' }));
      rgRuns.push(r.ms);
      rgOut = r.r.stdout.trim();
    }
  }
  const ms = median(ourMs);
  const fmt = (xs) => xs.map((x) => (x / 1000).toFixed(2)).join(', ');
  console.log(`  lifeline classify     ${(ms / 1000).toFixed(2)} s median of ${fmt(ourMs)}   peak RSS ${(rss / 1048576).toFixed(0)} MB (${(rss / bytes).toFixed(2)}x the file)   -> ${scenario}`);
  if (!rgInstalled) {
    console.log('  rg                    not installed (apt-get install ripgrep) — anchor skipped');
    return { ms, rgMs: null, rss, bytes };
  }
  const rgMs = median(rgRuns);
  console.log(`  rg -i -c -f patterns  ${(rgMs / 1000).toFixed(2)} s median of ${fmt(rgRuns)}   (${accepted.length}/${pats.length} patterns, ${rgOut} matching lines)`);
  console.log(`  lifeline/rg = ${(ms / rgMs).toFixed(2)}x (goal <= 2x);  peak RSS/file = ${(rss / bytes).toFixed(2)} (goal <= 2)`);
  return { ms, rgMs, rss, bytes };
}
const shortLines = compare('log 1, short lines', log);
compare('log 2, long JSON lines and near misses', longLog);
const ours = { ms: shortLines.ms };
const rgMs = shortLines.rgMs;
const rss = shortLines.rss;

// The naive way: every line through every regex (with the same flags the engine uses). It is
// slow enough that timing it over all of the file would dominate the bench: it runs over the first
// BENCH_LOOP_MB (default 20) and is scaled to the whole file, which is sound because its cost is
// linear in the bytes and the generated log is uniform. The line says so.
const regexes = pats.map((p) => new RegExp(p.pattern, (p.caseSensitive ? '' : 'i') + (/\\[pP]\{|\\u\{/.test(p.pattern) ? 'u' : '')));
const LOOP_BYTES = Math.min(size, Number(process.env.BENCH_LOOP_MB ?? 5) * 1024 * 1024);
const loop = await (async () => {
  const t = process.hrtime.bigint();
  let hits = 0;
  const rl = createInterface({ input: createReadStream(log, { end: LOOP_BYTES - 1 }), crlfDelay: Infinity });
  for await (const line of rl) for (const re of regexes) if (re.test(line)) hits++;
  const measured = Number(process.hrtime.bigint() - t) / 1e6;
  return { ms: (measured * size) / LOOP_BYTES, measured, hits };
})();
const scaled = LOOP_BYTES < size ? ` — measured ${(loop.measured / 1000).toFixed(2)} s over the first ${(LOOP_BYTES / 1048576).toFixed(0)} MB, scaled to the file` : '';
console.log(`per-line regex loop   ${(loop.ms / 1000).toFixed(2)} s   (${regexes.length} regexes, ${loop.hits} hits${scaled})`);

console.log(`\nlog 1 ratios: lifeline/rg = ${rgMs ? (ours.ms / rgMs).toFixed(2) + 'x (goal <= 2x)' : 'n/a'};  loop/lifeline = ${(loop.ms / ours.ms).toFixed(1)}x (goal >= 5x);  peak RSS/file = ${(rss / size).toFixed(2)} (goal <= 2)`);
rmSync(dir, { recursive: true, force: true });

// Accuracy on the labelled corpus (shared development set + test/fixtures/corpus).
const acc = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'bench', 'classify-accuracy.child.ts')], { cwd: root, encoding: 'utf8' });
try {
  const a = JSON.parse(acc.stdout);
  const pct = (x) => `${x.correct}/${x.total} = ${((100 * x.correct) / x.total).toFixed(1)} %`;
  console.log(`\naccuracy: development ${pct(a.dev)} (goal >= 97 %);  held-out slice ${pct(a.heldout)} (goal >= 95 %);  false positives ${a.dev.falsePositives + a.heldout.falsePositives} of ${a.dev.negatives + a.heldout.negatives} negatives (goal 0)`);
  for (const w of [...a.dev.wrong, ...a.heldout.wrong]) console.log(`  miss: ${w}`);
} catch {
  console.log(`\naccuracy: could not be measured: ${(acc.stderr || acc.stdout).slice(0, 300)}`);
}
