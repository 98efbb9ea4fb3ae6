// `lifeline hook install` and `lifeline mcp install` as a person runs them (dist/cli.js, a real
// process, HOME pointed at a temp folder): merged into existing files without losing their
// keys, idempotent, malformed files refused untouched, Codex's TOML read back by a real TOML
// parser (python3's tomllib), and the hook command written actually runs the hook.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { commandLine, planAgentConfigText } from '../../../src/tools/agent-config';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

interface Dirs {
  home: string;
  project: string;
}

function dirs(t: { after(fn: () => void): void }): Dirs {
  const base = mkdtempSync(join(tmpdir(), 'lifeline-install-'));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  const home = join(base, 'home');
  const project = join(base, 'project');
  mkdirSync(home);
  mkdirSync(project);
  return { home, project };
}

function lifeline(d: Dirs, args: string[]): { code: number | null; out: string; err: string } {
  // stdin is not a terminal here: without --yes nothing may be written.
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: d.project, input: '', encoding: 'utf8', env: { ...process.env, HOME: d.home, USERPROFILE: d.home, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

const EXISTING_SETTINGS = {
  permissions: { allow: ['Bash(npm test)'] },
  model: 'opus',
  hooks: {
    PreToolUse: [
      { matcher: 'Edit', hooks: [{ type: 'command', command: 'echo edit' }] },
      { matcher: 'Bash', hooks: [{ type: 'command', command: 'my-own-guard' }] },
    ],
    Stop: [{ hooks: [{ type: 'command', command: 'notify-send done' }] }],
  },
};

interface Settings {
  hooks: Record<string, { matcher?: string; hooks: { type: string; command: string }[] }[]>;
  [k: string]: unknown;
}

test('hook install merges into an existing .claude/settings.json, keeps every other key and hook, and is idempotent', (t) => {
  const d = dirs(t);
  const file = join(d.project, '.claude', 'settings.json');
  mkdirSync(join(d.project, '.claude'));
  writeFileSync(file, JSON.stringify(EXISTING_SETTINGS, null, 4) + '\n');
  chmodSync(file, 0o660); // group-writable: kept though the umask would clear it
  const first = lifeline(d, ['hook', 'install', 'claude-code', '--project', '--yes']);
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /^\+\s+"command": ".*hook\.js claude-code"/m);
  const after = JSON.parse(readFileSync(file, 'utf8')) as Settings;
  assert.deepEqual(after.permissions, EXISTING_SETTINGS.permissions);
  assert.equal(after.model, 'opus');
  assert.deepEqual(after.hooks.Stop, EXISTING_SETTINGS.hooks.Stop);
  assert.deepEqual(after.hooks.PreToolUse!.slice(0, 2), EXISTING_SETTINGS.hooks.PreToolUse);
  const hook = { matcher: 'Bash', hooks: [{ type: 'command', command: `${process.execPath} ${join(ROOT, 'dist', 'hook.js')} claude-code` }] };
  assert.deepEqual(after.hooks.PreToolUse![2], hook);
  assert.deepEqual(after.hooks.PostToolUse, [hook]);
  assert.deepEqual(after.hooks.PostToolUseFailure, [hook]);
  assert.equal(statSync(file).mode & 0o777, 0o660, 'the mode is kept');
  assert.match(readFileSync(file, 'utf8'), /^ {4}"model"/m, 'the indent is kept');

  const before = hash(file);
  const second = lifeline(d, ['hook', 'install', 'claude-code', '--yes']);
  assert.equal(second.code, 0, second.err);
  assert.match(second.out, /already has Lifeline's hooks; nothing to do/);
  assert.equal(hash(file), before);
});

test('the hook command written runs the hook: a forbidden command through the shell Claude Code uses is denied', (t) => {
  const d = dirs(t);
  assert.equal(lifeline(d, ['hook', 'install', 'claude-code', '--yes']).code, 0);
  const settings = JSON.parse(readFileSync(join(d.project, '.claude', 'settings.json'), 'utf8')) as Settings;
  const command = settings.hooks.PreToolUse![0]!.hooks[0]!.command;
  const event = { session_id: 's', transcript_path: join(d.project, 't.jsonl'), cwd: d.project, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'git reset --hard' }, tool_use_id: 'toolu_1' };
  const out = execFileSync('sh', ['-c', command], { input: JSON.stringify(event), encoding: 'utf8' });
  assert.equal((JSON.parse(out) as { hookSpecificOutput: { permissionDecision: string } }).hookSpecificOutput.permissionDecision, 'deny');
});

test('hook install replaces an older Lifeline hook (another path) instead of adding a second one', (t) => {
  const d = dirs(t);
  const file = join(d.home, '.claude', 'settings.json');
  mkdirSync(join(d.home, '.claude'));
  const old = { hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'node /old/lifeline/dist/hook.js claude-code' }, { type: 'command', command: 'my-own-guard' }] }] } };
  writeFileSync(file, JSON.stringify(old));
  const r = lifeline(d, ['hook', 'install', 'claude-code', '--user', '--yes']);
  assert.equal(r.code, 0, r.err);
  const pre = (JSON.parse(readFileSync(file, 'utf8')) as Settings).hooks.PreToolUse!;
  assert.deepEqual(pre[0], { matcher: 'Bash', hooks: [{ type: 'command', command: 'my-own-guard' }] });
  assert.equal(pre.length, 2);
  assert.match(pre[1]!.hooks[0]!.command, /dist\/hook\.js claude-code$/);
  assert.doesNotMatch(readFileSync(file, 'utf8'), /\/old\/lifeline/);
});

test('a malformed or strangely shaped config is refused with one line and left byte for byte', (t) => {
  const d = dirs(t);
  mkdirSync(join(d.project, '.claude'));
  const cases: [string[], string, string][] = [
    [['hook', 'install', 'claude-code', '--yes'], join(d.project, '.claude', 'settings.json'), '{"hooks": {"PreToolUse": [}'],
    [['hook', 'install', 'claude-code', '--yes'], join(d.project, '.claude', 'settings.json'), '{"hooks": {"PreToolUse": {"matcher": "Bash"}}}'],
    [['mcp', 'install', 'claude-code', '--yes'], join(d.project, '.mcp.json'), '{"mcpServers": ["lifeline"]}'],
    [['mcp', 'install', 'cursor', '--yes'], join(d.project, '.cursor', 'mcp.json'), '[1, 2]'],
  ];
  for (const [args, file, text] of cases) {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
    const before = hash(file);
    const r = lifeline(d, args);
    assert.equal(r.code, 4, `${text}: ${r.err}`);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.match(r.err, /^lifeline: refused: .*nothing was written/);
    assert.equal(hash(file), before, text);
  }
});

test('without a terminal and without --yes nothing is written; --dry-run only shows the diff', (t) => {
  const d = dirs(t);
  const file = join(d.project, '.mcp.json');
  const asked = lifeline(d, ['mcp', 'install', 'claude-code']);
  assert.equal(asked.code, 4);
  assert.match(asked.err, /pass --yes/);
  assert.equal(existsSync(file), false);
  const created = lifeline(d, ['mcp', 'install', 'cursor', '--user', '--yes']);
  assert.equal(created.code, 0, created.err);
  assert.equal(statSync(join(d.home, '.cursor', 'mcp.json')).mode & 0o777, 0o600, 'a new file in the home folder is private');
  const dry = lifeline(d, ['mcp', 'install', 'claude-code', '--dry-run']);
  assert.equal(dry.code, 0, dry.err);
  assert.match(dry.out, /^\+\+\+ .*\.mcp\.json$/m);
  assert.match(dry.out, /^\+\s+"lifeline": \{$/m);
  assert.match(dry.out, /Dry run: nothing written/);
  assert.equal(existsSync(file), false);
});

test('mcp install for Claude Code (project and user) and Cursor: the mcpServers entry beside the others, idempotent', (t) => {
  const d = dirs(t);
  const other = { command: 'npx', args: ['-y', 'other-server'] };
  const files: [string[], string][] = [
    [['mcp', 'install', 'claude-code', '--project', '--yes'], join(d.project, '.mcp.json')],
    [['mcp', 'install', 'claude-code', '--user', '--yes'], join(d.home, '.claude.json')],
    [['mcp', 'install', 'cursor', '--yes'], join(d.project, '.cursor', 'mcp.json')],
    [['mcp', 'install', 'cursor', '--user', '--yes'], join(d.home, '.cursor', 'mcp.json')],
  ];
  for (const [args, file] of files) {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, JSON.stringify({ numStartups: 7, mcpServers: { other } }, null, 2) + '\n');
    const mode = statSync(file).mode & 0o777;
    const r = lifeline(d, args);
    assert.equal(r.code, 0, r.err);
    const after = JSON.parse(readFileSync(file, 'utf8')) as { numStartups: number; mcpServers: Record<string, unknown> };
    assert.equal(statSync(file).mode & 0o777, mode, 'an existing file keeps its mode');
    assert.equal(after.numStartups, 7);
    assert.deepEqual(after.mcpServers, { other, lifeline: { command: process.execPath, args: [CLI, 'mcp'] } });
    const before = hash(file);
    assert.match(lifeline(d, args).out, /nothing to do/);
    assert.equal(hash(file), before);
  }
});

function parseToml(file: string): { mcp_servers: Record<string, { command: string; args: string[]; startup_timeout_sec?: number }>; model?: string } {
  const py = 'import json, sys, tomllib\nwith open(sys.argv[1], "rb") as f: print(json.dumps(tomllib.load(f)))';
  return JSON.parse(execFileSync('python3', ['-c', py, file], { encoding: 'utf8' })) as ReturnType<typeof parseToml>;
}

test('mcp install codex: the [mcp_servers.lifeline] table appended, the rest of config.toml unchanged, parsed by a TOML parser', (t) => {
  const d = dirs(t);
  const file = join(d.home, '.codex', 'config.toml');
  mkdirSync(join(d.home, '.codex'));
  const existing = '# my settings\nmodel = "o3"\n\n[mcp_servers.other]\ncommand = "npx"\nargs = ["-y", "other"]\n';
  writeFileSync(file, existing);
  const r = lifeline(d, ['mcp', 'install', 'codex', '--user', '--yes']);
  assert.equal(r.code, 0, r.err);
  const text = readFileSync(file, 'utf8');
  assert.ok(text.startsWith(existing), 'the existing text is kept as it was');
  const toml = parseToml(file);
  assert.equal(toml.model, 'o3');
  assert.deepEqual(toml.mcp_servers.lifeline, { command: process.execPath, args: [CLI, 'mcp'] });
  assert.deepEqual(toml.mcp_servers.other, { command: 'npx', args: ['-y', 'other'] });
  const before = hash(file);
  assert.match(lifeline(d, ['mcp', 'install', 'codex', '--user', '--yes']).out, /nothing to do/);
  assert.equal(hash(file), before);

  // A table someone added settings to is not replaced without --force.
  writeFileSync(file, text.replace(/(args = \[.*'mcp'\])/, '$1\nstartup_timeout_sec = 30'));
  const edited = hash(file);
  const refused = lifeline(d, ['mcp', 'install', 'codex', '--user', '--yes']);
  // Same table content apart from the added key: Lifeline's own table would drop it.
  assert.equal(refused.code, 4, refused.err);
  assert.match(refused.err, /--force/);
  assert.equal(hash(file), edited);
  const forced = lifeline(d, ['mcp', 'install', 'codex', '--user', '--yes', '--force']);
  assert.equal(forced.code, 0, forced.err);
  assert.equal(parseToml(file).mcp_servers.lifeline!.startup_timeout_sec, undefined);
  assert.ok(readFileSync(file, 'utf8').startsWith(existing));
});

test('a config that is a symlink (dotfiles) is written through: the link stays, its target changes', (t) => {
  const d = dirs(t);
  const target = join(d.home, 'dotfiles-cursor.json');
  writeFileSync(target, '{}\n');
  mkdirSync(join(d.home, '.cursor'));
  symlinkSync(target, join(d.home, '.cursor', 'mcp.json'));
  const r = lifeline(d, ['mcp', 'install', 'cursor', '--user', '--yes']);
  assert.equal(r.code, 0, r.err);
  assert.ok(statSync(join(d.home, '.cursor', 'mcp.json')).isFile());
  assert.match(readFileSync(target, 'utf8'), /"lifeline"/);
});

test('commands are quoted for the shell: spaces and quotes on POSIX; Windows paths in double quotes, backslashes kept (Git Bash keeps them there)', () => {
  assert.equal(commandLine({ node: '/opt/my node/node', args: ["/it's/dist/cli.js", 'mcp'] }, 'linux'), `'/opt/my node/node' '/it'\\''s/dist/cli.js' mcp`);
  assert.equal(commandLine({ node: 'C:\\Program Files\\nodejs\\node.exe', args: ['C:\\lifeline\\dist\\hook.js', 'claude-code'] }, 'win32'), '"C:\\Program Files\\nodejs\\node.exe" "C:\\lifeline\\dist\\hook.js" claude-code');
  const toml = planAgentConfigText(
    { client: 'codex', kind: 'mcp', scope: 'user', workspace: 'C:\\w', home: 'C:\\h', command: { node: 'C:\\nodejs\\node.exe', args: ['C:\\lifeline\\dist\\cli.js', 'mcp'] } },
    'config.toml',
    '',
  );
  assert.equal(toml, "[mcp_servers.lifeline]\ncommand = 'C:\\nodejs\\node.exe'\nargs = ['C:\\lifeline\\dist\\cli.js', 'mcp']\n");
});
