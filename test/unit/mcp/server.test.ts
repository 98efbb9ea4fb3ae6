// `lifeline mcp` driven by the SDK's own client over stdio (dist/cli.js, as an agent runs it) on
// real temp repositories: the tool list with annotations, results equal to the CLI's --json,
// tool errors for bad input, fix refused without elicitation or trust, declined, accepted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { addWorktree, git, makeRepo } from '../git/helpers';
import { hashTree, treeDiff } from '../hostile/tree-hash';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const SKIP = { skip: ['.git/index', '.git/worktrees'] };

function userDirs(): { env: Record<string, string>; trust(dir: string): void; cleanup(): void } {
  const base = mkdtempSync(join(tmpdir(), 'lifeline-mcp-home-'));
  const env = { XDG_CONFIG_HOME: join(base, 'config'), XDG_STATE_HOME: join(base, 'state') };
  return {
    env,
    trust(dir) {
      mkdirSync(join(env.XDG_CONFIG_HOME, 'lifeline'), { recursive: true });
      writeFileSync(join(env.XDG_CONFIG_HOME, 'lifeline', 'trusted.json'), JSON.stringify({ version: 1, folders: [dir] }));
    },
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}

async function connect(cwd: string, env: Record<string, string>, answer?: 'accept' | 'decline', before?: () => void): Promise<{ client: Client; stderr: () => string }> {
  const client = new Client({ name: 'test', version: '1' }, answer ? { capabilities: { elicitation: {} } } : {});
  if (answer) {
    client.setRequestHandler(ElicitRequestSchema, async () => {
      before?.();
      return answer === 'accept' ? { action: 'accept', content: { confirm: true } } : { action: 'decline' };
    });
  }
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp'], cwd, env: { ...(process.env as Record<string, string>), ...env, NO_COLOR: '1' }, stderr: 'pipe' });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  await client.connect(transport);
  return { client, stderr: () => err };
}

function cliJson(args: string[], cwd: string, env: Record<string, string>, input?: string): unknown {
  try {
    return JSON.parse(execFileSync(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env }, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }));
  } catch (e) {
    return JSON.parse((e as { stdout: string }).stdout);
  }
}

test('tools/list: every tool with its schema and annotations; read-only ones say so, fix and undo are destructive', async (t) => {
  const repo = makeRepo();
  const home = userDirs();
  t.after(() => (repo.cleanup(), home.cleanup()));
  const { client } = await connect(repo.root, home.env);
  t.after(() => client.close());
  const { tools } = await client.listTools();
  const byName = new Map(tools.map((x) => [x.name, x]));
  assert.deepEqual([...byName.keys()].sort(), ['lifeline_check_command', 'lifeline_classify', 'lifeline_diagnose', 'lifeline_fix', 'lifeline_guide', 'lifeline_journal', 'lifeline_preview_fix', 'lifeline_record_attempt', 'lifeline_undo']);
  for (const n of ['lifeline_classify', 'lifeline_guide', 'lifeline_check_command', 'lifeline_diagnose', 'lifeline_journal', 'lifeline_preview_fix']) assert.equal(byName.get(n)!.annotations?.readOnlyHint, true, n);
  for (const n of ['lifeline_fix', 'lifeline_undo']) {
    assert.equal(byName.get(n)!.annotations?.readOnlyHint, false, n);
    assert.equal(byName.get(n)!.annotations?.destructiveHint, true, n);
  }
  assert.deepEqual(byName.get('lifeline_classify')!.inputSchema.required, ['text']);
  assert.deepEqual(byName.get('lifeline_fix')!.inputSchema.required, ['action']);
});

test('results equal the CLI --json for the same input; bad input is a tool error', async (t) => {
  const repo = makeRepo();
  const home = userDirs();
  t.after(() => (repo.cleanup(), home.cleanup()));
  const wt = addWorktree(repo, '.worktrees/l', 'ws/ws-1/agent-1');
  git(repo.root, 'worktree', 'lock', wt);
  const { client, stderr } = await connect(repo.root, home.env);
  t.after(() => client.close());
  const text = "fatal: Authentication failed for 'https://example.com/r.git/'\n";
  const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as unknown as { structuredContent?: unknown; isError?: boolean; content: { text: string }[] };
  assert.deepEqual((await call('lifeline_classify', { text })).structuredContent, cliJson(['classify', '-', '--json'], repo.root, home.env, text));
  assert.deepEqual((await call('lifeline_check_command', { command: 'alembic stamp head' })).structuredContent, cliJson(['check-command', '--json', 'alembic stamp head'], repo.root, home.env));
  assert.deepEqual((await call('lifeline_diagnose', {})).structuredContent, cliJson(['diagnose', '--json'], repo.root, home.env));
  assert.deepEqual((await call('lifeline_journal', {})).structuredContent, cliJson(['journal', '--json'], repo.root, home.env));
  const preview = await call('lifeline_preview_fix', { action: 'worktree.unlock:.worktrees/l' });
  assert.deepEqual(preview.structuredContent, cliJson(['fix', 'worktree.unlock:.worktrees/l', '--dry-run', '--json'], repo.root, home.env));
  assert.match((preview.structuredContent as { previewId: string }).previewId, /^[0-9a-f]{16}$/);
  const guide = await call('lifeline_guide', { playbook: 'worktree-corruption' });
  assert.deepEqual(guide.structuredContent, cliJson(['guide', 'worktree-corruption', '--json'], repo.root, home.env));
  const bad = await call('lifeline_classify', { wrong: 1 });
  assert.equal(bad.isError, true);
  const missing = await call('lifeline_guide', { playbook: 'no-such-playbook' });
  assert.equal(missing.isError, true);
  assert.match(missing.content[0]!.text, /no playbook "no-such-playbook"/);
  assert.match(stderr(), /serving /);
});

test('fix: refused without elicitation, unchanged when declined, applied and journaled when accepted, refused when the plan changed', async (t) => {
  const repo = makeRepo();
  const home = userDirs();
  t.after(() => (repo.cleanup(), home.cleanup()));
  home.trust(repo.root);
  const wt = addWorktree(repo, '.worktrees/l', 'ws/ws-1/agent-1');
  git(repo.root, 'worktree', 'lock', wt);
  const action = 'worktree.unlock:.worktrees/l';
  const before = hashTree(repo.base, SKIP);

  const plain = await connect(repo.root, home.env);
  const refused = (await plain.client.callTool({ name: 'lifeline_fix', arguments: { action } })) as unknown as { isError?: boolean; content: { text: string }[] };
  await plain.client.close();
  assert.equal(refused.isError, true);
  assert.match(refused.content[0]!.text, /ask your human to run `lifeline fix worktree\.unlock:\.worktrees\/l`/i);
  assert.deepEqual(treeDiff(before, hashTree(repo.base, SKIP)), []);

  const no = await connect(repo.root, home.env, 'decline');
  const declined = (await no.client.callTool({ name: 'lifeline_fix', arguments: { action } })) as unknown as { isError?: boolean };
  await no.client.close();
  assert.equal(declined.isError, true);
  assert.deepEqual(treeDiff(before, hashTree(repo.base, SKIP)), []);

  // The plan changes while the human is being asked: a second lock reason is a different plan.
  const changing = await connect(repo.root, home.env, 'accept', () => {
    git(repo.root, 'worktree', 'unlock', wt);
  });
  const moved = (await changing.client.callTool({ name: 'lifeline_fix', arguments: { action } })) as unknown as { isError?: boolean; content: { text: string }[] };
  await changing.client.close();
  assert.equal(moved.isError, true, moved.content[0]!.text);
  git(repo.root, 'worktree', 'lock', wt);

  const yes = await connect(repo.root, home.env, 'accept');
  const previewId = ((await yes.client.callTool({ name: 'lifeline_preview_fix', arguments: { action } })) as unknown as { structuredContent: { previewId: string } }).structuredContent.previewId;
  const stale = (await yes.client.callTool({ name: 'lifeline_fix', arguments: { action, previewId: '0000000000000000' } })) as unknown as { isError?: boolean };
  assert.equal(stale.isError, true);
  const applied = (await yes.client.callTool({ name: 'lifeline_fix', arguments: { action, previewId } })) as unknown as { isError?: boolean; structuredContent: { result: { ok: boolean; journalId?: string } } };
  await yes.client.close();
  assert.equal(applied.isError, undefined);
  assert.equal(applied.structuredContent.result.ok, true);
  assert.doesNotMatch(git(repo.root, 'worktree', 'list', '--porcelain'), /locked/);
  const journal = cliJson(['journal', '--json'], repo.root, home.env) as { entries: { id: string }[] };
  assert.ok(journal.entries.some((e) => e.id === applied.structuredContent.result.journalId));
});

test('an untrusted folder serves the read-only tools and refuses fix, undo and record_attempt in one line', async (t) => {
  const repo = makeRepo();
  const home = userDirs();
  t.after(() => (repo.cleanup(), home.cleanup()));
  const wt = addWorktree(repo, '.worktrees/l', 'ws/ws-1/agent-1');
  git(repo.root, 'worktree', 'lock', wt);
  const before = hashTree(repo.base, SKIP);
  const { client } = await connect(repo.root, home.env, 'accept');
  t.after(() => client.close());
  const diag = (await client.callTool({ name: 'lifeline_diagnose', arguments: {} })) as unknown as { isError?: boolean };
  assert.equal(diag.isError, undefined);
  for (const [name, args] of [['lifeline_fix', { action: 'worktree.unlock:.worktrees/l' }], ['lifeline_undo', {}], ['lifeline_record_attempt', { text: 'x\n' }]] as const) {
    const r = (await client.callTool({ name, arguments: args })) as unknown as { isError?: boolean; content: { text: string }[] };
    assert.equal(r.isError, true, name);
    assert.match(r.content[0]!.text, /^Refused: .* is not on Lifeline's trust list/, name);
    assert.equal(r.content[0]!.text.split('\n').length, 1);
  }
  assert.deepEqual(treeDiff(before, hashTree(repo.base, SKIP)), []);
});
