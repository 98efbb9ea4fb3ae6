// "Lifeline: Connect an Agent..." in a real extension host: picking Claude Code for this project
// writes .mcp.json and .claude/settings.json (after the diff and a yes), pointing at this
// extension's own dist/cli.js and dist/hook.js with a Node that exists here. The written commands
// are then started for real: the MCP server answers `initialize`, and the PreToolUse hook denies
// a command a playbook forbids. Cancelling at the last question writes nothing.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, closeAllEditors, lifeline } from './editor-helpers';
import { within } from './support';
import type { ConnectQuestion } from '../../src/editor/agents/connect-agent';

const root = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
const extensionPath = () => vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;

/** Runs Connect an Agent, answering each question as it is asked with the item at its index in `answers`. */
async function connect(answers: Partial<Record<ConnectQuestion, number>>): Promise<ConnectQuestion[]> {
  const features = await (await lifeline()).features();
  const asked: ConnectQuestion[] = [];
  const sub = features.connectAgent.onDidAsk((q) => {
    asked.push(q);
    void (async () => {
      await new Promise((r) => setTimeout(r, 150)); // the quick pick renders its items
      for (let s = 0; s < (answers[q] ?? 0); s++) await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    })();
  });
  try {
    await within('Connect an Agent', vscode.commands.executeCommand('lifeline.connectAgent'), 30_000);
  } finally {
    sub.dispose();
  }
  return asked;
}

/** Starts `command args` with `env` and sends one JSON-RPC initialize; resolves with the first stdout line. */
function initialize(command: string, args: string[], env: Record<string, string> | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root(), env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`no answer to initialize: ${out}`));
    }, 15_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        child.kill();
        resolve(out.slice(0, nl));
      }
    });
    child.on('error', reject);
    child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'host-test', version: '1' } } }) + '\n');
  });
}

suite('editor: Connect an Agent', () => {
  const written = () => [join(root(), '.mcp.json'), join(root(), '.claude')];
  teardown(async () => {
    await closeAllEditors();
    for (const p of written()) rmSync(p, { recursive: true, force: true });
  });

  test('Cancel at the last question writes nothing', async () => {
    // Claude Code, this project, then "Cancel" (the second item) under the diff.
    assert.deepEqual(await connect({ write: 1 }), ['client', 'scope', 'write']);
    assert.equal(existsSync(join(root(), '.mcp.json')), false);
  });

  test('Claude Code for this project: the MCP server and hooks written, pointing at the bundled CLI, and both start', async () => {
    assert.deepEqual(await connect({}), ['client', 'scope', 'write', 'hooks', 'write']);
    const mcp = JSON.parse(readFileSync(join(root(), '.mcp.json'), 'utf8')) as { mcpServers: Record<string, { command: string; args: string[]; env?: Record<string, string> }> };
    const server = mcp.mcpServers.lifeline!;
    assert.ok(server, 'the lifeline server is configured');
    assert.deepEqual(server.args, [join(extensionPath(), 'dist', 'cli.js'), 'mcp']);
    assert.ok(statSync(server.command).isFile(), `${server.command} exists`);
    const reply = JSON.parse(await initialize(server.command, server.args, server.env)) as { result?: { serverInfo?: { name: string } } };
    assert.equal(reply.result?.serverInfo?.name, 'lifeline');

    const settings = JSON.parse(readFileSync(join(root(), '.claude', 'settings.json'), 'utf8')) as { hooks: Record<string, { matcher?: string; hooks: { type: string; command: string }[] }[]> };
    const pre = settings.hooks.PreToolUse?.flatMap((m) => m.hooks).find((h) => h.command.includes('hook.js'));
    assert.ok(pre, `a PreToolUse hook runs dist/hook.js: ${JSON.stringify(settings.hooks)}`);
    // Claude Code runs the command with a shell and the event on stdin.
    const event = JSON.stringify({ session_id: 's', transcript_path: '/dev/null', cwd: root(), hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'rm -f .state/orchestration.db-wal' } });
    const r = spawnSync('sh', ['-c', pre.command], { input: event, encoding: 'utf8', cwd: root(), timeout: 15_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { hookSpecificOutput: { permissionDecision: string } }).hookSpecificOutput.permissionDecision, 'deny');
  });
});
