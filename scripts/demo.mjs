#!/usr/bin/env node
// `npm run demo`: Lifeline in a real VS Code (code-server) on a demo workspace with a crashed
// orchestration. From a fresh clone it installs, builds, packages the .vsix, creates the
// workspace in a temp folder, starts code-server with Lifeline installed and prints the URL.
//   npm run demo                          serve until Ctrl+C
//   npm run demo -- --port 8080           fixed port (default: a free one)
//   npm run demo -- --screenshot out.png  open it headless, wait for Lifeline, save a PNG, exit
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeModules } from './host/bootstrap.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv) {
  const o = { screenshot: null, port: 0, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--screenshot') o.screenshot = argv[++i];
    else if (a === '--port') o.port = Number(argv[++i]);
    else if (a === '--keep') o.keep = true;
    else throw new Error(`unknown option ${a} (use --screenshot FILE, --port N, --keep)`);
  }
  if (o.screenshot === undefined || (o.screenshot !== null && !o.screenshot)) throw new Error('--screenshot needs a file name');
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new Error('--port needs a port number');
  return o;
}

/** Lifeline's activity-bar container and first view from the manifest, when it has them. */
function lifelineView() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const container = pkg.contributes?.viewsContainers?.activitybar?.[0];
  const view = container ? pkg.contributes?.views?.[container.id]?.[0] : undefined;
  return container ? { title: container.title, viewName: view?.name } : null;
}

/** Opens the workbench headless, shows Lifeline (its view, else its Recover quick pick), saves a PNG. */
async function screenshot(url, file, host) {
  const { launchBrowser, newWorkbenchPage } = await import('./host/browser.mjs');
  const browser = await launchBrowser(host.chromium);
  try {
    const page = await newWorkbenchPage(browser);
    await page.goto(url);
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout: 90_000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: 90_000 });
    const view = lifelineView();
    const entry = view && page.locator(`.part.activitybar .action-item a[aria-label^="${view.title}"]`).first();
    if (entry && (await entry.waitFor({ state: 'visible', timeout: 30_000 }).then(() => true, () => false))) {
      await entry.click();
      await page.locator('.part.sidebar .pane-body').first().waitFor({ state: 'visible', timeout: 30_000 });
      await page.waitForTimeout(3_000); // let the view load its items
    } else {
      // No view of its own yet: show the Recover quick pick from the command palette.
      const deadline = Date.now() + 60_000;
      for (;;) {
        await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
        await page.keyboard.press('F1');
        await page.locator('.quick-input-widget input').fill('>Lifeline: Recover from Failure');
        const row = page.locator('.quick-input-widget .monaco-list-row .label-name', { hasText: 'Lifeline: Recover from Failure' }).first();
        if (await row.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false)) {
          await row.click();
          await page.locator('.quick-input-widget .monaco-list-row').first().waitFor({ state: 'visible', timeout: 30_000 });
          break;
        }
        if (Date.now() > deadline) throw new Error('the Lifeline command never appeared in the command palette');
        await page.keyboard.press('Escape');
        await page.waitForTimeout(1_000);
      }
    }
    mkdirSync(dirname(resolve(file)), { recursive: true });
    await page.screenshot({ path: resolve(file) });
  } finally {
    await browser.close();
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  ensureNodeModules(root);
  const { ensureHost } = await import('./host/setup.mjs');
  const { installExtension, seedSettings, startCodeServer, workbenchUrl } = await import('./host/code-server.mjs');
  const { packageVsix } = await import('./package.mjs');
  const { createDemoWorkspace } = await import('./demo/workspace.mjs');

  const host = await ensureHost();
  console.log('[demo] building and packaging the extension');
  const vsix = packageVsix();
  const base = mkdtempSync(join(tmpdir(), 'lifeline-demo-'));
  const workspace = createDemoWorkspace(join(base, 'payments-refactor')).root;
  const userDataDir = join(base, 'user-data');
  const extensionsDir = join(base, 'extensions');
  mkdirSync(extensionsDir, { recursive: true });
  seedSettings(userDataDir, { 'workbench.colorTheme': 'Default Dark Modern' });
  installExtension(host.codeServerEntry, vsix, { extensionsDir, userDataDir });
  const server = await startCodeServer({ entry: host.codeServerEntry, userDataDir, extensionsDir, logFile: join(base, 'code-server.log'), port: opts.port });
  const url = workbenchUrl(server.url, workspace);
  const cleanup = async () => {
    await server.stop();
    if (!opts.keep && existsSync(base)) rmSync(base, { recursive: true, force: true });
  };

  if (opts.screenshot) {
    try {
      await screenshot(url, opts.screenshot, host);
      console.log(`[demo] screenshot saved to ${resolve(opts.screenshot)}`);
    } finally {
      await cleanup();
    }
    return;
  }
  console.log(`\nLifeline demo is running. Open:\n\n  ${url}\n`);
  console.log(`Demo workspace: ${workspace}`);
  console.log('Press Ctrl+C to stop (the temp folder is removed unless you pass --keep).');
  const stop = () => void cleanup().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await server.exited;
}

main().catch((e) => {
  console.error(`demo: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
