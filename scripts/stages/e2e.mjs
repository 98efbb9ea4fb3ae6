// `npm test` stage: end-to-end tests as a user would see it. Packs the .vsix, installs it into a
// fresh code-server profile, starts the server once, and runs every test/e2e/**/*.test.ts
// (node:test + playwright-core) against it; each test opens its own workspace and page.
// Screenshots and the server's logs land in test-results/e2e/.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureHost, repoRoot } from '../host/setup.mjs';
import { UNTRUSTED_SETTINGS, installExtension, seedSettings, startCodeServer } from '../host/code-server.mjs';
import { CHROMIUM_ARGS } from '../host/browser.mjs';
import { packageVsix } from '../package.mjs';

function e2eFiles() {
  const dir = join(repoRoot, 'test', 'e2e');
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => join(dir, f));
}

/** Counts from a node:test TAP file; a runner that died counts as one failure. */
function tapCounts(tap, status) {
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const num = (k) => Number((text.match(new RegExp(`^# ${k} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
  const passed = num('pass');
  let failed = num('fail') + num('cancelled');
  if (status !== 0 && failed === 0) failed = 1;
  return { passed, failed };
}

export async function run() {
  const host = await ensureHost();
  const resultsDir = join(repoRoot, 'test-results', 'e2e');
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  console.log('  packaging the .vsix');
  const vsix = packageVsix();
  const tmp = mkdtempSync(join(tmpdir(), 'lifeline-e2e-'));
  const userDataDir = join(tmp, 'user-data');
  const extensionsDir = join(tmp, 'extensions');
  mkdirSync(extensionsDir, { recursive: true });
  seedSettings(userDataDir);
  installExtension(host.codeServerEntry, vsix, { extensionsDir, userDataDir });
  // The agent tools' per-user state (vibe-kanban's data and temp folders) that the host's
  // Lifeline reads: folders of this run, which the tests write their tools' fixtures into.
  const agentData = join(tmp, 'agent-data');
  const agentTemp = join(tmp, 'agent-tmp');
  mkdirSync(agentData, { recursive: true });
  mkdirSync(agentTemp, { recursive: true });
  const server = await startCodeServer({ entry: host.codeServerEntry, userDataDir, extensionsDir, logFile: join(resultsDir, 'code-server.log'), env: { XDG_DATA_HOME: agentData, TMPDIR: agentTemp } });
  // A second server that enforces workspace trust and never prompts: every folder opens in
  // Restricted Mode, for the tests of what Lifeline offers in an untrusted workspace.
  const untrustedUserData = join(tmp, 'user-data-untrusted');
  seedSettings(untrustedUserData, UNTRUSTED_SETTINGS);
  installExtension(host.codeServerEntry, vsix, { extensionsDir, userDataDir: untrustedUserData });
  let untrusted;
  try {
    untrusted = await startCodeServer({ entry: host.codeServerEntry, userDataDir: untrustedUserData, extensionsDir, logFile: join(resultsDir, 'code-server-untrusted.log'), workspaceTrust: true });
  } catch (e) {
    await server.stop();
    throw e;
  }
  try {
    const tap = join(resultsDir, 'e2e.tap');
    const env = { ...process.env, LIFELINE_E2E: JSON.stringify({ url: server.url, untrustedUrl: untrusted.url, chromium: host.chromium, chromiumArgs: [...CHROMIUM_ARGS], vsix, resultsDir, agentData, agentTemp }) };
    const r = spawnSync(process.execPath, [
      '--import', 'tsx', '--test', '--test-concurrency=1', `--test-timeout=${Number(process.env.LIFELINE_E2E_TEST_TIMEOUT_MS ?? 180_000)}`,
      // LIFELINE_TEST_GREP runs only the tests whose name matches (as for the integration stage).
      ...(process.env.LIFELINE_TEST_GREP ? [`--test-name-pattern=${process.env.LIFELINE_TEST_GREP}`] : []),
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tap}`,
      ...e2eFiles(),
    ], { cwd: repoRoot, env, stdio: 'inherit', timeout: 20 * 60_000 });
    if (r.error) throw new Error(`running the E2E tests failed: ${r.error.message}`);
    return tapCounts(tap, r.status);
  } finally {
    await Promise.all([server.stop(), untrusted.stop()]);
    const logs = join(userDataDir, 'logs');
    if (existsSync(logs)) cpSync(logs, join(resultsDir, 'host-logs'), { recursive: true });
    rmSync(tmp, { recursive: true, force: true });
  }
}
