// Benchmark entry (an `extensionTestsPath` like index.ts, used by scripts/bench/activation.mjs):
// activates Lifeline in a fresh extension host and writes VS Code's own activation figures to
// $LIFELINE_TEST_RESULTS, for every extension that activated: the "Extension Activation Stats"
// of Developer: Startup Performance (load code, call activate, finish activate; Running
// Extensions shows load code + call activate) and the host's marks around each extension's
// require(), which tell an extension's own code loading from time spent waiting for others.
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { EXTENSION_ID, delay, waitFor } from './support';

interface Mark {
  name: string;
  startTime: number;
}

export interface ActivationRow {
  id: string;
  event: string;
  loadCodeMs: number;
  callActivateMs: number;
  finishActivateMs: number;
  /** From the host's willLoadExtensionCode / didLoadExtensionCode marks; null without marks. */
  ownLoadMs: number | null;
}

/** The extension host's performance marks (VS Code's `vs/base/common/performance`). */
function hostMarks(): Mark[] {
  const perf = (globalThis as { MonacoPerformanceMarks?: { getMarks(): Mark[] } }).MonacoPerformanceMarks;
  return perf ? perf.getMarks() : [];
}

/** Rows of the "Extension Activation Stats" table in the perf view's Markdown. */
export function parseActivationStats(markdown: string): Omit<ActivationRow, 'ownLoadMs'>[] {
  const start = markdown.indexOf('## Extension Activation Stats');
  if (start < 0) return [];
  const rows: Omit<ActivationRow, 'ownLoadMs'>[] = [];
  for (const line of markdown.slice(start).split(/\r?\n/).slice(1)) {
    if (line.startsWith('## ')) break;
    const cells = line.split('|').map((c) => c.trim());
    // | id | eager | load code | call activate | finish activate | event | by |
    if (cells.length < 8 || !/^\d+$/.test(cells[3] ?? '')) continue;
    rows.push({ id: cells[1]!, loadCodeMs: Number(cells[3]), callActivateMs: Number(cells[4]), finishActivateMs: Number(cells[5]), event: cells[6]! });
  }
  return rows;
}

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded in this host`);
  await ext.activate();
  await delay(1_000); // the host reports activation times to the window asynchronously
  await vscode.commands.executeCommand('perfview.show');
  const text = await waitFor(
    'the Startup Performance view to list Lifeline',
    () => vscode.workspace.textDocuments.map((d) => d.getText()).find((t) => t.includes('## Extension Activation Stats') && t.includes(EXTENSION_ID)),
    30_000,
  );
  const marks = hostMarks();
  const at = (what: string, id: string) => marks.find((m) => m.name === `code/extHost/${what}/${id}`)?.startTime;
  const rows: ActivationRow[] = parseActivationStats(text).map((r) => {
    const will = at('willLoadExtensionCode', r.id);
    const did = at('didLoadExtensionCode', r.id);
    return { ...r, ownLoadMs: will !== undefined && did !== undefined ? did - will : null };
  });
  const out = process.env.LIFELINE_TEST_RESULTS;
  if (out) writeFileSync(out, JSON.stringify({ rows }));
}
