// Connecting a terminal agent as a user does, in the browser: "Lifeline: Connect an Agent..."
// from the palette, Claude Code, this project; the change to .mcp.json is shown as a diff before
// the yes, then the hooks are offered and shown the same way. The files on disk then start the
// installed extension's own CLI: the MCP server answers, and the hook denies a forbidden command.
// Screenshots of each question and diff.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { demo } from './support/walk';
import { launch, openWorkbench, quickInput, quickPickLabels, quickPickRow, runCommand, screenshot, waitForNotification } from './support/workbench';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Waits until the quick pick asks `placeholder`. */
async function asked(page: Page, placeholder: RegExp): Promise<void> {
  const input = quickInput(page).locator('input');
  const end = Date.now() + 30_000;
  while (!placeholder.test((await input.getAttribute('placeholder').catch(() => null)) ?? '')) {
    if (Date.now() > end) assert.fail(`the quick pick never asked ${String(placeholder)}`);
    await page.waitForTimeout(200);
  }
  await input.waitFor({ state: 'visible' });
}

/** Waits for the quick pick asking `placeholder`, screenshots it, and takes the row labelled `label`. */
async function answer(page: Page, placeholder: RegExp, label: string, shot: string): Promise<void> {
  await asked(page, placeholder);
  await screenshot(page, shot);
  await quickPickRow(page, label).first().click();
}

function initialize(command: string, args: string[], env: Record<string, string> | undefined, cwd: string): Promise<{ result?: { serverInfo?: { name: string } } }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => (child.kill(), reject(new Error(`no answer to initialize: ${out}`))), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) {
        clearTimeout(timer);
        child.kill();
        resolve(JSON.parse(out.split('\n')[0]!));
      }
    });
    child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'e2e', version: '1' } } }) + '\n');
  });
}

test('connect Claude Code from the palette: each change shown as a diff, then written, and what was written runs', async () => {
  const root = demo();
  const page = await openWorkbench(browser, root);
  try {
    await runCommand(page, 'Lifeline: Connect an Agent...');
    await answer(page, /Which agent/, 'Claude Code', 'connect-1-client');
    await asked(page, /Where should the config go/);
    // The list re-renders with the question: read it once it has.
    let scopes: string[] = [];
    for (const end = Date.now() + 10_000; Date.now() < end; await page.waitForTimeout(200)) {
      scopes = await quickPickLabels(page);
      if (!scopes.includes('Claude Code')) break;
    }
    assert.deepEqual(scopes.slice(0, 2), ['This project', 'All my projects']);
    await answer(page, /Where should the config go/, 'This project', 'connect-2-scope');

    // The diff of .mcp.json is open beside the question; nothing is written yet.
    await page.locator('.tab', { hasText: '.mcp.json' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await asked(page, /Write this change/);
    await page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible' });
    assert.equal(existsSync(join(root, '.mcp.json')), false, 'nothing is written before the yes');
    await answer(page, /Write this change/, `Write ${join(root, '.mcp.json')}`, 'connect-3-mcp-diff');
    await waitForNotification(page, /wrote Lifeline's MCP server/);

    await answer(page, /hooks to Claude Code too/, 'Also add the hooks', 'connect-4-offer-hooks');
    await page.locator('.tab', { hasText: 'settings.json' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await answer(page, /Write this change/, `Write ${join(root, '.claude', 'settings.json')}`, 'connect-5-hooks-diff');
    await waitForNotification(page, /wrote Lifeline's hooks/);
    await screenshot(page, 'connect-6-done');
  } finally {
    await page.close();
  }

  const server = (JSON.parse(readFileSync(join(root, '.mcp.json'), 'utf8')) as { mcpServers: Record<string, { command: string; args: string[]; env?: Record<string, string> }> }).mcpServers.lifeline!;
  assert.match(server.args[0]!, /[\\/]dist[\\/]cli\.js$/, 'the installed extension’s own CLI');
  assert.equal((await initialize(server.command, server.args, server.env, root)).result?.serverInfo?.name, 'lifeline');
  const settings = JSON.parse(readFileSync(join(root, '.claude', 'settings.json'), 'utf8')) as { hooks: Record<string, { hooks: { command: string }[] }[]> };
  const pre = settings.hooks.PreToolUse!.flatMap((m) => m.hooks)[0]!;
  const event = JSON.stringify({ session_id: 's', transcript_path: '/dev/null', cwd: root, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'rm -f .state/orchestration.db-wal' } });
  const r = spawnSync('sh', ['-c', pre.command], { input: event, encoding: 'utf8', cwd: root, timeout: 15_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { hookSpecificOutput: { permissionDecision: string } }).hookSpecificOutput.permissionDecision, 'deny');
});
