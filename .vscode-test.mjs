// The integration suites on a desktop VS Code through @vscode/test-cli + @vscode/test-electron
// 2.5.x (3.x needs Node 22): `npm run test:desktop`. It downloads VS Code 1.100.3, so it only
// works where update.code.visualstudio.com is reachable - not on our CI machines, which run the
// same suites in code-server instead (`npm run test:integration`).
import { defineConfig } from '@vscode/test-cli';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeGitWorkspace, seedSettings } from './scripts/host/code-server.mjs';

const base = mkdtempSync(join(tmpdir(), 'lifeline-desktop-'));
const userDataDir = join(base, 'user-data');
const extensionsDir = join(base, 'extensions');
mkdirSync(extensionsDir, { recursive: true });
seedSettings(userDataDir);

export default defineConfig({
  label: 'integration',
  files: 'out/test/integration/suites.js',
  version: '1.100.3',
  workspaceFolder: makeGitWorkspace(join(base, 'workspace')),
  launchArgs: [`--user-data-dir=${userDataDir}`, `--extensions-dir=${extensionsDir}`, '--disable-workspace-trust'],
  env: { LIFELINE_TEST_LOGS: join(userDataDir, 'logs') },
  mocha: { ui: 'tdd', timeout: 30_000, color: true },
});
