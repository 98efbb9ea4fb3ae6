// Test entry loaded by VS Code's extension host (the `extensionTestsPath`): runs the mocha `tdd`
// suites bundled beside it in suites.js and reports the outcome two ways — a JSON results file
// at $LIFELINE_TEST_RESULTS (read by scripts/stages/integration.mjs) and a rejected promise on any
// failure, which makes the host exit non-zero.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export interface TestOutcome {
  title: string;
  state: 'passed' | 'failed';
  durationMs: number;
  error?: string;
}

export interface TestResults {
  passed: number;
  failed: number;
  tests: TestOutcome[];
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 30_000, reporter: 'spec' });
  const grep = process.env.LIFELINE_TEST_GREP;
  if (grep) mocha.grep(grep);
  mocha.addFile(join(__dirname, 'suites.js'));
  const results: TestResults = { passed: 0, failed: 0, tests: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const out = process.env.LIFELINE_TEST_RESULTS;
      if (out) writeFileSync(out, JSON.stringify(results, null, 2));
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => {
      results.passed++;
      results.tests.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration ?? 0 });
    });
    runner.on('fail', (t, err: Error) => {
      results.failed++;
      results.tests.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration ?? 0, error: err?.stack ?? String(err) });
    });
  });
}
