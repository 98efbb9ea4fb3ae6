// The Claude Code hook's wall time, process start included, as Claude Code pays it before (and
// after) every Bash call: `node dist/hook.js claude-code < event.json` for a harmless and a
// forbidden command, also with a workspace that has its own playbooks (.lifeline/playbooks: the
// first call parses them, the rest read the hook's cache), and the full CLI for comparison.
// Goal: <= 100 ms. The anchor `node -e 0` (a bare Node start) is measured in the same run,
// interleaved, so a loaded machine shows in both.
//   node scripts/bench/hook.mjs [--runs N]   (default 20; after `node esbuild.mjs`, npm run bench does it)
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = new URL('../..', import.meta.url).pathname;
const GOAL_MS = 100;
const i = process.argv.indexOf('--runs');
const runs = i > 0 ? Number(process.argv[i + 1]) : 20;

const plain = mkdtempSync(join(tmpdir(), 'lifeline-bench-hook-'));
// The hook caches a workspace's own rules in the user's state folder: a temp one here.
const state = mkdtempSync(join(tmpdir(), 'lifeline-bench-hook-state-'));
const withOwn = mkdtempSync(join(tmpdir(), 'lifeline-bench-hook-own-'));
mkdirSync(join(withOwn, '.lifeline', 'playbooks'), { recursive: true });
for (const f of ['merge-conflict.yaml', 'db-locked.yaml']) copyFileSync(join(root, 'playbooks', f), join(withOwn, '.lifeline', 'playbooks', f));

const event = (cwd, command) =>
  JSON.stringify({ session_id: 'bench', transcript_path: join(cwd, 't.jsonl'), cwd, permission_mode: 'default', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: 'toolu_bench' });

const hook = join(root, 'dist', 'hook.js');
const cli = join(root, 'dist', 'cli.js');
const cases = [
  { label: 'node -e 0 (anchor)', args: ['-e', '0'], input: '' },
  { label: 'hook.js, harmless (npm test)', args: [hook, 'claude-code'], input: event(plain, 'npm test'), expect: '' },
  { label: 'hook.js, forbidden (git reset --hard)', args: [hook, 'claude-code'], input: event(plain, 'git reset --hard'), expect: 'deny' },
  { label: 'hook.js, harmless, own playbooks', args: [hook, 'claude-code'], input: event(withOwn, 'npm test'), expect: '' },
  {
    label: 'hook.js, PostToolUse of a success',
    args: [hook, 'claude-code'],
    input: JSON.stringify({ ...JSON.parse(event(plain, 'npm test')), hook_event_name: 'PostToolUse', tool_response: { stdout: 'ok', stderr: '', interrupted: false } }),
    expect: '',
  },
  { label: 'cli.js hook claude-code, harmless', args: [cli, 'hook', 'claude-code'], input: event(plain, 'npm test'), expect: '' },
];

const times = cases.map(() => []);
for (let r = 0; r < runs; r++) {
  cases.forEach((c, k) => {
    const start = performance.now();
    const p = spawnSync(process.execPath, c.args, { input: c.input, encoding: 'utf8', env: { ...process.env, CLAUDE_PROJECT_DIR: '', XDG_STATE_HOME: state } });
    times[k].push(performance.now() - start);
    if (p.status !== 0 || (c.expect !== undefined && (c.expect ? !p.stdout.includes(c.expect) : p.stdout !== ''))) {
      console.error(`${c.label}: unexpected answer (exit ${p.status}): ${p.stdout}${p.stderr}`);
      process.exit(1);
    }
  });
}
rmSync(plain, { recursive: true, force: true });
rmSync(withOwn, { recursive: true, force: true });
rmSync(state, { recursive: true, force: true });

const pct = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const anchor = pct(times[0], 0.5);
console.log(`${runs} runs each, interleaved; wall time of spawnSync, process start included`);
cases.forEach((c, k) => {
  const med = pct(times[k], 0.5);
  const note = k === 0 ? '' : `  (+${(med - anchor).toFixed(1)} over the anchor${c.args[0] === hook ? `; goal <= ${GOAL_MS} ms: ${med <= GOAL_MS ? 'within goal' : 'OVER GOAL'}` : ''})`;
  console.log(`${c.label.padEnd(40)} median ${med.toFixed(1).padStart(6)} ms  p95 ${pct(times[k], 0.95).toFixed(1).padStart(6)} ms${note}`);
});
