// Benchmark entry (an `extensionTestsPath` like index.ts, used by scripts/bench/activation.mjs):
// activates Lifeline in a fresh extension host and writes how long it took to
// $LIFELINE_TEST_RESULTS — VS Code's own code-loading marks plus the wall time of activate().
import { existsSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { EXTENSION_ID } from './support';

interface Mark {
  name: string;
  startTime: number;
}

/** The extension host's performance marks (VS Code's `vs/base/common/performance`). */
function hostMarks(): Mark[] {
  const perf = (globalThis as { MonacoPerformanceMarks?: { getMarks(): Mark[] } }).MonacoPerformanceMarks;
  return perf ? perf.getMarks() : [];
}

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded in this host`);
  const wasActive = ext.isActive;
  const t0 = performance.now();
  await ext.activate();
  const apiMs = performance.now() - t0;
  const marks = hostMarks();
  const at = (n: string) => marks.find((m) => m.name === `code/extHost/${n}/${EXTENSION_ID}`)?.startTime;
  const willLoad = at('willLoadExtensionCode');
  const didLoad = at('didLoadExtensionCode');
  const result = {
    wasActive,
    apiActivateMs: apiMs,
    codeLoadingMs: willLoad !== undefined && didLoad !== undefined ? didLoad - willLoad : null,
  };
  const out = process.env.LIFELINE_TEST_RESULTS;
  if (out) writeFileSync(out, JSON.stringify(result));
  // Keep the host up while the benchmark reads VS Code's own figure from Running Extensions;
  // it creates $LIFELINE_PROBE_RELEASE when done (or we give up after a minute).
  await vscode.commands.executeCommand('workbench.action.showRuntimeExtensions');
  const release = process.env.LIFELINE_PROBE_RELEASE;
  const deadline = Date.now() + 60_000;
  while (release && !existsSync(release) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}
