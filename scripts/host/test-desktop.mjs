// `npm run test:desktop`: builds the extension and the integration bundles, then hands over to
// @vscode/test-cli (.vscode-test.mjs), which downloads a desktop VS Code and runs the suites in
// it. Needs a machine that can download VS Code; ours cannot (use `npm run test:integration`).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './setup.mjs';
import { buildIntegrationTests } from './build-tests.mjs';

const build = spawnSync(process.execPath, [join(repoRoot, 'esbuild.mjs')], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);
await buildIntegrationTests();
const cli = join(repoRoot, 'node_modules', '@vscode', 'test-cli', 'out', 'bin.mjs');
const r = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { cwd: repoRoot, stdio: 'inherit' });
process.exit(r.status ?? 1);
