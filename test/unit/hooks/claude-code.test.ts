// `lifeline hook claude-code` and its fast path dist/hook.js, driven as Claude Code runs them: a
// real process per event, the event JSON on stdin in the documented shape (session_id,
// transcript_path, cwd, hook_event_name, tool_name, tool_input, tool_response / error).
// Uses the built dist/ (the build stage runs before the unit stage).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const HOOK = join(ROOT, 'dist', 'hook.js');

interface Run {
  code: number | null;
  out: string;
  err: string;
}

// The attempt counts and the hook's cache of workspace rules live in the user's state folder: a temp one.
const STATE = mkdtempSync(join(tmpdir(), 'lifeline-hook-state-'));
after(() => rmSync(STATE, { recursive: true, force: true }));

function run(file: string, args: string[], input: string, env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [file, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CLAUDE_PROJECT_DIR: '', XDG_STATE_HOME: STATE, ...env },
    timeout: 20_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function tempDir(t: { after(fn: () => void): void }, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `lifeline-hook-${name}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function preEvent(cwd: string, command: string): string {
  return JSON.stringify({
    session_id: 'abc123',
    transcript_path: join(cwd, 'transcript.jsonl'),
    cwd,
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name: 'Bash',
    tool_input: { command, description: 'Run a command' },
    tool_use_id: 'toolu_01',
  });
}

function failureEvent(cwd: string, command: string, output: string): string {
  return JSON.stringify({
    session_id: 'abc123',
    transcript_path: join(cwd, 'transcript.jsonl'),
    cwd,
    permission_mode: 'default',
    hook_event_name: 'PostToolUseFailure',
    tool_name: 'Bash',
    tool_input: { command, description: 'Start the server' },
    tool_use_id: 'toolu_02',
    error: `Exit code 1\n${output}`,
    is_interrupt: false,
  });
}

function successEvent(cwd: string, command: string, stdout: string): string {
  return JSON.stringify({
    session_id: 'abc123',
    transcript_path: join(cwd, 'transcript.jsonl'),
    cwd,
    permission_mode: 'default',
    hook_event_name: 'PostToolUse',
    tool_name: 'Bash',
    tool_input: { command, description: 'List files' },
    tool_response: { stdout, stderr: '', interrupted: false, isImage: false },
    tool_use_id: 'toolu_03',
  });
}

interface Answer {
  hookSpecificOutput: Record<string, string>;
}

for (const [name, file, args] of [
  ['dist/hook.js', HOOK, ['claude-code']],
  ['lifeline hook', CLI, ['hook', 'claude-code']],
] as const) {
  test(`${name}: a command a playbook forbids is denied with the playbook's reason, exit 0`, (t) => {
    const cwd = tempDir(t, 'deny');
    const r = run(file, [...args], preEvent(cwd, 'git reset --hard HEAD~1'));
    assert.equal(r.code, 0, r.err);
    const answer = JSON.parse(r.out) as Answer;
    assert.equal(answer.hookSpecificOutput.hookEventName, 'PreToolUse');
    assert.equal(answer.hookSpecificOutput.permissionDecision, 'deny');
    assert.match(answer.hookSpecificOutput.permissionDecisionReason!, /merge-conflict playbook forbids this command: A hard reset during a conflict/);
  });

  test(`${name}: a harmless command passes silently`, (t) => {
    const cwd = tempDir(t, 'pass');
    const r = run(file, [...args], preEvent(cwd, 'ls -la && npm test'));
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '');
    assert.equal(r.err, '');
  });

  test(`${name}: garbage on stdin passes (exit 0, no output) with one line on stderr`, () => {
    for (const input of ['not json', '[1,2]', '{"tool_name":"Bash"}', '']) {
      const r = run(file, [...args], input);
      assert.equal(r.code, 0, input);
      assert.equal(r.out, '', input);
      assert.equal(r.err.trim().split('\n').length, 1, `${input}: ${r.err}`);
      assert.match(r.err, /^lifeline hook: .*passing$/m);
    }
  });
}

test('the hook answers as lifeline check-command does, with the workspace playbooks overriding and adding rules', (t) => {
  const cwd = tempDir(t, 'same');
  const own = join(cwd, '.lifeline', 'playbooks');
  mkdirSync(own, { recursive: true });
  const base = readFileSync(join(ROOT, 'playbooks', 'out-of-scope-issue.yaml'), 'utf8');
  const withRule = (id: string, pattern: string, reason: string) =>
    base.replace('id: out-of-scope-issue', `id: ${id}`) + `forbidden:\n  - pattern: '${pattern}'\n    reason: ${reason}\n`;
  // merge-conflict replaced: its reset --hard rule is gone, a stash-drop rule instead.
  writeFileSync(join(own, 'merge-conflict.yaml'), withRule('merge-conflict', '\\bgit\\s+stash\\s+drop\\b', 'The stash holds the only copy of that work.'));
  writeFileSync(join(own, 'team-rules.yaml'), withRule('team-rules', '\\bdocker\\s+system\\s+prune\\b', 'Other services share this Docker host.'));
  const commands = [
    'git reset --hard',
    'git stash drop',
    'docker system prune -af',
    'rm -f data/app.db-wal',
    'git push --force origin main',
    'git commit --no-verify -m wip',
    'ls -la',
    'prisma migrate reset && git clean -fdx',
  ];
  let denied = 0;
  for (const command of commands) {
    const check = run(CLI, ['check-command', '--json', '--playbooks', own, '--', command], '');
    const verdict = JSON.parse(check.out) as { forbidden: boolean; rules: { playbook: string; reason: string }[] };
    const expected = verdict.rules.map((r) => `Lifeline: the ${r.playbook} playbook forbids this command: ${r.reason}`).join('\n');
    for (const [file, args] of [
      [HOOK, ['claude-code']],
      [CLI, ['hook', 'claude-code']],
    ] as const) {
      const r = run(file, [...args], preEvent(cwd, command));
      assert.equal(r.code, 0, r.err);
      if (!verdict.forbidden) assert.equal(r.out, '', `${file} ${command}`);
      else assert.equal((JSON.parse(r.out) as Answer).hookSpecificOutput.permissionDecisionReason, expected, `${file} ${command}`);
    }
    if (verdict.forbidden) denied++;
  }
  // The workspace's own rules took effect: the override dropped reset --hard and added two.
  const verdictOf = (c: string) => JSON.parse(run(CLI, ['check-command', '--json', '--playbooks', own, '--', c], '').out) as { forbidden: boolean };
  assert.equal(verdictOf('git reset --hard').forbidden, false);
  assert.equal(verdictOf('git stash drop').forbidden, true);
  assert.equal(verdictOf('docker system prune -af').forbidden, true);
  assert.ok(denied >= 5, `denied ${denied}`);
});

for (const [name, file, args] of [
  ['dist/hook.js', HOOK, ['claude-code']],
  ['lifeline hook', CLI, ['hook', 'claude-code']],
] as const) {
  test(`${name}: PostToolUseFailure: the next step each time, and "change approach" with the repeated-failure playbook on the third identical failure`, (t) => {
    const cwd = tempDir(t, 'post');
    const env = { XDG_STATE_HOME: join(cwd, 'state') };
    const event = failureEvent(cwd, 'npm start', 'Error: listen EADDRINUSE: address already in use :::3000\n    at Server.setupListenHandle (node:net:1817:16)');
    const contexts = [1, 2, 3].map(() => {
      const r = run(file, [...args], event, env);
      assert.equal(r.code, 0, r.err);
      const answer = JSON.parse(r.out) as Answer;
      assert.equal(answer.hookSpecificOutput.hookEventName, 'PostToolUseFailure');
      return answer.hookSpecificOutput.additionalContext!;
    });
    assert.match(contexts[0]!, /"port-conflict".*attempt 1 of 3/);
    assert.match(contexts[0]!, /Next step: Find the process that holds the port/);
    assert.doesNotMatch(contexts[1]!, /change approach/i);
    assert.match(contexts[2]!, /attempt 3 of 3/);
    assert.match(contexts[2]!, /Change approach\./);
    assert.match(contexts[2]!, /lifeline guide repeated-failure/);
  });

  test(`${name}: PostToolUse of a command that succeeded answers nothing and counts nothing`, (t) => {
    const cwd = tempDir(t, 'ok');
    const env = { XDG_STATE_HOME: join(cwd, 'state') };
    const r = run(file, [...args], successEvent(cwd, 'ls', 'a.txt\nb.txt\n'), env);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '');
    // The failure after it is the first one counted.
    const f = run(file, [...args], failureEvent(cwd, 'npm start', 'Error: listen EADDRINUSE: address already in use :::3000'), env);
    assert.match((JSON.parse(f.out) as Answer).hookSpecificOutput.additionalContext!, /attempt 1 of 3/);
  });

  test(`${name}: an interrupted command is not a failed attempt`, (t) => {
    const cwd = tempDir(t, 'interrupt');
    const env = { XDG_STATE_HOME: join(cwd, 'state') };
    const event = JSON.parse(failureEvent(cwd, 'npm start', 'Error: listen EADDRINUSE: address already in use :::3000')) as Record<string, unknown>;
    const r = run(file, [...args], JSON.stringify({ ...event, is_interrupt: true }), env);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '');
  });
}

test('dist/hook.js sees an edit of a workspace playbook on the next call (its cache of the rules is checked against the files)', (t) => {
  const cwd = tempDir(t, 'edit');
  const own = join(cwd, '.lifeline', 'playbooks');
  mkdirSync(own, { recursive: true });
  const base = readFileSync(join(ROOT, 'playbooks', 'out-of-scope-issue.yaml'), 'utf8').replace('id: out-of-scope-issue', 'id: team-rules');
  const file = join(own, 'team-rules.yaml');
  const write = (pattern: string, reason: string) => writeFileSync(file, base + `forbidden:\n  - pattern: '${pattern}'\n    reason: ${reason}\n`);
  const reasonOf = (command: string) => {
    const r = run(HOOK, ['claude-code'], preEvent(cwd, command));
    assert.equal(r.code, 0, r.err);
    return r.out ? (JSON.parse(r.out) as Answer).hookSpecificOutput.permissionDecisionReason : undefined;
  };
  write('\\bmake\\s+deploy\\b', 'Deploys go through CI.');
  assert.match(reasonOf('make deploy') ?? '', /team-rules playbook forbids this command: Deploys go through CI\./);
  assert.match(reasonOf('make deploy') ?? '', /Deploys go through CI\./, 'the cached rules answer the same');
  write('\\bmake\\s+release\\b', 'Releases go through CI.');
  assert.equal(reasonOf('make deploy'), undefined);
  assert.match(reasonOf('make release') ?? '', /Releases go through CI\./);
});

test('dist/hook.js: a PostToolUse whose tool_response reports a non-zero exit code counts as a failure too', (t) => {
  const cwd = tempDir(t, 'liberal');
  const event = JSON.parse(successEvent(cwd, 'npm start', '')) as Record<string, unknown>;
  event.tool_response = { stdout: '', stderr: 'Error: listen EADDRINUSE: address already in use :::3000', exit_code: 1, interrupted: false };
  const r = run(HOOK, ['claude-code'], JSON.stringify(event), { XDG_STATE_HOME: join(cwd, 'state') });
  assert.equal(r.code, 0, r.err);
  const answer = JSON.parse(r.out) as Answer;
  assert.equal(answer.hookSpecificOutput.hookEventName, 'PostToolUse');
  assert.match(answer.hookSpecificOutput.additionalContext!, /"port-conflict".*attempt 1 of 3/);
});
