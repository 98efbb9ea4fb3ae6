// `npm test` stage: the mocha suites in test/integration, run inside a real VS Code extension
// host (code-server) with this checkout as the development extension: the plain suites on a
// one-commit git workspace, then test/integration/orchestration/ on the demo's crashed
// orchestration, then test/integration/restricted/ on the same in Restricted Mode. Counts come from the results file the test entry writes; a crashed or hung host
// counts as one failure.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../host/setup.mjs';
import { buildIntegrationTests } from '../host/build-tests.mjs';
import { runInHost } from '../host/run-in-host.mjs';
import { createDemoWorkspace } from '../demo/workspace.mjs';

export async function run() {
  // The development extension runs from dist/: build it, so this stage also works alone.
  const b = spawnSync(process.execPath, [join(repoRoot, 'esbuild.mjs')], { cwd: repoRoot, stdio: 'inherit' });
  if (b.status !== 0) throw new Error('building the extension (node esbuild.mjs) failed');
  const plain = await hostRun('integration', await buildIntegrationTests());
  const demo = await hostRun('integration-orchestration', await buildIntegrationTests({ group: 'orchestration' }), (dir) => createDemoWorkspace(dir));
  const restricted = await hostRun('integration-restricted', await buildIntegrationTests({ group: 'restricted' }), (dir) => createDemoWorkspace(dir), { untrusted: true });
  return { passed: plain.passed + demo.passed + restricted.passed, failed: plain.failed + demo.failed + restricted.failed };
}

async function hostRun(name, entry, makeWorkspace, extra = {}) {
  const { exitCode, results, resultsDir, elapsedMs } = await runInHost({ name, testsEntry: entry, ...(makeWorkspace ? { makeWorkspace } : {}), ...extra });
  if (!results) {
    console.error(`${name}: the host exited with ${exitCode} without writing results (see ${resultsDir})`);
    return { passed: 0, failed: 1 };
  }
  for (const t of results.tests) {
    console.log(`  ${t.state === 'passed' ? 'ok  ' : 'FAIL'} ${t.title} (${Math.round(t.durationMs)} ms)`);
    if (t.error) console.log(`       ${t.error.split('\n').slice(0, 6).join('\n       ')}`);
  }
  console.log(`  ${name}: host run took ${(elapsedMs / 1000).toFixed(1)} s; logs in ${resultsDir}`);
  let { passed, failed } = results;
  // The host's exit code is the second witness: non-zero with no recorded failure still fails.
  if (exitCode !== 0 && failed === 0) {
    console.error(`${name}: the extension host exited with ${exitCode}`);
    failed = 1;
  }
  // With LIFELINE_TEST_GREP a run may rightly select nothing; without it, no tests is a failure.
  if (passed + failed === 0 && !process.env.LIFELINE_TEST_GREP) {
    console.error(`${name}: no tests ran`);
    failed = 1;
  }
  return { passed, failed };
}
