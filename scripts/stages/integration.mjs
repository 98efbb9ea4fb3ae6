// `npm test` stage: the mocha suites in test/integration, run inside a real VS Code extension
// host (code-server) with this checkout as the development extension. Counts come from the
// results file the test entry writes; a crashed or hung host counts as one failure.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../host/setup.mjs';
import { buildIntegrationTests } from '../host/build-tests.mjs';
import { runInHost } from '../host/run-in-host.mjs';

export async function run() {
  // The development extension runs from dist/: build it, so this stage also works alone.
  const b = spawnSync(process.execPath, [join(repoRoot, 'esbuild.mjs')], { cwd: repoRoot, stdio: 'inherit' });
  if (b.status !== 0) throw new Error('building the extension (node esbuild.mjs) failed');
  const entry = await buildIntegrationTests();
  const { exitCode, results, resultsDir, elapsedMs } = await runInHost({ name: 'integration', testsEntry: entry });
  if (!results) {
    console.error(`integration: the host exited with ${exitCode} without writing results (see ${resultsDir})`);
    return { passed: 0, failed: 1 };
  }
  for (const t of results.tests) {
    console.log(`  ${t.state === 'passed' ? 'ok  ' : 'FAIL'} ${t.title} (${Math.round(t.durationMs)} ms)`);
    if (t.error) console.log(`       ${t.error.split('\n').slice(0, 6).join('\n       ')}`);
  }
  console.log(`  host run took ${(elapsedMs / 1000).toFixed(1)} s; logs in ${resultsDir}`);
  let { passed, failed } = results;
  // The host's exit code is the second witness: non-zero with no recorded failure still fails.
  if (exitCode !== 0 && failed === 0) {
    console.error(`integration: the extension host exited with ${exitCode}`);
    failed = 1;
  }
  if (passed + failed === 0) {
    console.error('integration: no tests ran');
    failed = 1;
  }
  return { passed, failed };
}
