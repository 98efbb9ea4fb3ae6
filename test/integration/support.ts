// Shared helpers for the integration suites: the extension under test, waiting without
// sleeping blindly, and reading the extension's log file the host writes.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

/** `publisher.name` from package.json. */
export const EXTENSION_ID = 'lifeline-dev.lifeline';

export function lifeline(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded in this host`);
  return ext;
}

export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `probe` until it returns a truthy value or `timeoutMs` passes (then fails with `what`). */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(100);
  }
}

/** Races a promise against a deadline; fails the test with `what` when the deadline wins. */
export async function within<T>(what: string, p: Thenable<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve(p), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function walk(dir: string, name: string, out: string[]): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p, name, out);
    else if (e === name) out.push(p);
  }
}

/**
 * Text of the newest `<channel>.log` the host wrote for Lifeline's LogOutputChannel. The runner
 * passes the user-data logs folder in LIFELINE_TEST_LOGS (code-server runner and .vscode-test.mjs).
 */
export function readChannelLog(channel = 'Lifeline'): string {
  const root = process.env.LIFELINE_TEST_LOGS;
  assert.ok(root, 'LIFELINE_TEST_LOGS is not set: run the suite through `npm run test:integration`');
  const found: string[] = [];
  walk(root, `${channel}.log`, found);
  const mine = found.filter((f) => f.includes(EXTENSION_ID)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return mine[0] ? readFileSync(mine[0], 'utf8') : '';
}
