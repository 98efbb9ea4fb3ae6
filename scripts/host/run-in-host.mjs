// Runs an `extensionTestsPath` entry inside a real VS Code extension host: a fresh code-server
// (own port, user-data, extensions dir and git workspace), headless Chromium opening the
// workbench with the `payload` URL, the repo as the development extension. Resolves with the
// host's exit code and the JSON the entry wrote to $LIFELINE_TEST_RESULTS. A host that does not
// finish in time is killed; its logs, console and a screenshot are kept under test-results/.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureHost, repoRoot } from './setup.mjs';
import { UNTRUSTED_SETTINGS, makeGitWorkspace, remoteUri, seedSettings, startCodeServer, workbenchUrl } from './code-server.mjs';
import { launchBrowser, newWorkbenchPage } from './browser.mjs';

/** Error from a host that hung or crashed; `keptIn` is where its logs were saved. */
export class HostRunError extends Error {
  constructor(message, keptIn) {
    super(`${message} (logs, console and screenshot kept in ${keptIn})`);
    this.name = 'HostRunError';
    this.keptIn = keptIn;
  }
}

/**
 * @param {{
 *   name: string,                 // test-results/<name>/ holds this run's logs
 *   testsEntry: string,           // absolute path of the compiled entry exporting run()
 *   timeoutMs?: number,
 *   env?: Record<string, string>, // extra environment for the extension host
 *   onPage?: (page: import('playwright-core').Page) => Promise<void>, // runs while the entry is still running
 *   quiet?: boolean,
 *   makeWorkspace?: (dir: string) => void, // fills the workspace folder (default: a one-commit git repo)
 *   untrusted?: boolean,          // workspace trust enforced and never granted: the folder opens in Restricted Mode
 * }} o
 * @returns {Promise<{exitCode: number, results: any, resultsDir: string, elapsedMs: number}>}
 */
export async function runInHost(o) {
  const host = await ensureHost();
  const keep = join(repoRoot, 'test-results', o.name);
  rmSync(keep, { recursive: true, force: true });
  mkdirSync(keep, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), `lifeline-${o.name}-`));
  const userDataDir = join(tmp, 'user-data');
  const extensionsDir = join(tmp, 'extensions');
  mkdirSync(extensionsDir, { recursive: true });
  seedSettings(userDataDir, o.untrusted ? UNTRUSTED_SETTINGS : {});
  const workspace = join(tmp, 'workspace');
  if (o.makeWorkspace) o.makeWorkspace(workspace);
  else makeGitWorkspace(workspace);
  const resultsFile = join(tmp, 'results.json');
  const timeoutMs = o.timeoutMs ?? Number(process.env.LIFELINE_HOST_TIMEOUT_MS ?? 300_000);
  const t0 = Date.now();
  const consoleLog = createWriteStream(join(keep, 'browser-console.log'));
  let server;
  let browser;
  let page;
  let failure;
  let exitCode = null;
  try {
    server = await startCodeServer({
      entry: host.codeServerEntry,
      workspace,
      userDataDir,
      extensionsDir,
      logFile: join(keep, 'code-server.log'),
      ...(o.untrusted ? { workspaceTrust: true } : {}),
      env: { LIFELINE_TEST_RESULTS: resultsFile, LIFELINE_TEST_LOGS: join(userDataDir, 'logs'), ...o.env },
    });
    browser = await launchBrowser(host.chromium);
    page = await newWorkbenchPage(browser);
    let exited;
    const exit = new Promise((r) => (exited = r));
    // The web workbench calls these when it runs extension tests (as @vscode/test-web does).
    await page.exposeFunction('codeAutomationExit', (code) => exited(Number(code)));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      consoleLog.write(`[${type}] ${Array.isArray(args) ? args.join(' ') : String(args)}\n`);
    });
    page.on('console', (m) => {
      const text = m.text();
      if (text.includes('[Extension Host]') || m.type() === 'error') consoleLog.write(`[console.${m.type()}] ${text}\n`);
    });
    const payload = [
      ['extensionDevelopmentPath', remoteUri(server.port, repoRoot)],
      ['extensionTestsPath', remoteUri(server.port, o.testsEntry)],
      ['skipWelcome', 'true'],
    ];
    await page.goto(workbenchUrl(server.url, workspace, payload));
    const side = o.onPage ? o.onPage(page) : Promise.resolve();
    let timer;
    const outcome = await Promise.race([
      exit.then((code) => ({ code })),
      server.exited.then((code) => ({ crashed: code })),
      new Promise((r) => (timer = setTimeout(() => r({ timeout: true }), timeoutMs))),
    ]);
    clearTimeout(timer);
    if ('timeout' in outcome) {
      failure = `the extension host did not finish within ${Math.round(timeoutMs / 1000)} s and was killed`;
    } else if ('crashed' in outcome) {
      failure = `code-server exited (${outcome.crashed}) while the tests were running`;
    } else {
      exitCode = outcome.code;
      await side;
    }
  } catch (e) {
    failure = e instanceof Error ? e.message : String(e);
  } finally {
    if (page && failure) await page.screenshot({ path: join(keep, 'failure.png') }).catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop();
    consoleLog.end();
    const logs = join(userDataDir, 'logs');
    if (existsSync(logs)) cpSync(logs, join(keep, 'host-logs'), { recursive: true });
  }
  const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : null;
  rmSync(tmp, { recursive: true, force: true });
  if (failure) throw new HostRunError(failure, keep);
  return { exitCode: exitCode ?? 1, results, resultsDir: keep, elapsedMs: Date.now() - t0 };
}
