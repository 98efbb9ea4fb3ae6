// Turns test reports and test-runner output into placed results for the Problems view: reads
// and parses (bounded), finds each failure's file and line in the workspace, picks the guide
// (test-failure, import-error, or the root cause the classifier names) and the re-run command.
import * as vscode from 'vscode';
import { isAbsolute } from 'node:path';
import { parseTestOutput } from '../../core/testreports/terminal';
import { rerunCommand } from '../../core/testreports/rerun';
import { escapeRegex } from '../../core/text/strings';
import { greenRun } from '../../core/testreports/selection';
import type { TestIdentity } from '../../core/testreports/identity';
import { splitCommandLine } from '../../core/shell/command-line';
import type { Location, TestResult } from '../../core/testreports/model';
import type { FailureClassifier } from '../../core/classification/failure-classifier';
import type { Detections } from '../detections';
import type { PlacedResult, TestProblems } from './test-problems';
import { workspaceRoot } from '../workspace-root';

export interface TestResultsDeps {
  problems: TestProblems;
  detections: Detections;
  classifier(): Promise<FailureClassifier>;
  log: vscode.LogOutputChannel;
}

export class TestResults {
  private readonly fileCache = new Map<string, Promise<string | undefined>>();

  constructor(private readonly deps: TestResultsDeps) {}

  /** Reads one JUnit report; a report that cannot be read is one warning in the log, nothing else. */
  async ingestReport(uri: vscode.Uri): Promise<{ ok: boolean; failed: number; error?: string }> {
    const name = vscode.workspace.asRelativePath(uri);
    // The JUnit reader (and its XML parser) is a bundle of its own, loaded with the first report.
    const { MAX_REPORT_CHARS, parseJUnit } = await import('../../core/testreports/junit');
    let text: string;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_REPORT_CHARS) throw new Error(`larger than ${MAX_REPORT_CHARS / 1024 / 1024} MB`);
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch (e) {
      const error = `${name}: ${e instanceof Error ? e.message : String(e)}`;
      this.deps.log.warn(`test report: ${error}`);
      return { ok: false, failed: 0, error };
    }
    const parsed = parseJUnit(text, name);
    if (!parsed.ok) {
      this.deps.log.warn(`test report: ${parsed.error}`);
      return { ok: false, failed: 0, error: parsed.error };
    }
    const reportDir = vscode.Uri.joinPath(uri, '..');
    const placed = await this.place(parsed.results, [reportDir]);
    const emptied = this.deps.problems.apply({ origin: uri.toString(), results: placed, replacesOrigin: true });
    const failed = placed.filter((p) => p.result.status === 'failed' || p.result.status === 'error');
    this.note(uri.toString(), failed, name);
    for (const o of emptied) this.deps.detections.close(`tests|${o}`);
    this.deps.log.info(`test report ${name}: ${parsed.runner}, ${parsed.results.length} tests, ${failed.length} failing`);
    return { ok: true, failed: failed.length };
  }

  /** Reads a test run's terminal output (pytest, jest, vitest, mocha, go test); `rerunOf`: the one test a quick fix re-ran. */
  async ingestOutput(text: string, commandLine: string, cwd: vscode.Uri | undefined, rerunOf?: TestIdentity): Promise<number> {
    const parsed = parseTestOutput(text, commandLine);
    if (!parsed.runner) return 0;
    // A line that needs a shell (pipes, `&&`, globs) is not read for selectors or a prefix.
    const split = splitCommandLine(commandLine, process.platform === 'win32');
    const argv = split.ok ? split.argv : undefined;
    const placed = await this.place(parsed.results, cwd ? [cwd] : [], argv);
    const origin = `terminal:${parsed.runner}`;
    // A green summary clears only what this command ran: `pytest tests/b.py` says nothing of tests/a.py.
    const green = greenRun(parsed, argv, rerunOf);
    const emptied = this.deps.problems.apply({ origin, results: placed, replacesOrigin: false, ...(green ? { ranAndPassed: green.covers } : {}) });
    const failed = placed.filter((p) => p.result.status === 'failed' || p.result.status === 'error');
    if (failed.length) this.note(origin, failed, commandLine);
    for (const o of emptied) this.deps.detections.close(`tests|${o}`);
    // The whole suite passed: the runner's failure notice ends too, with any failures that could
    // not be placed in a file (they have no diagnostic to clear).
    if (green?.wholeSuite) this.deps.detections.close(`tests|${origin}`);
    return failed.length;
  }

  /** Finds each failing test's place and guide; passes go through so they clear diagnostics. */
  private async place(results: TestResult[], bases: vscode.Uri[], argv?: string[]): Promise<PlacedResult[]> {
    this.fileCache.clear();
    const root = workspaceRoot();
    const dirs = [...bases, ...(root ? [root] : [])];
    // A re-run built from a terminal command runs where that command ran (its paths are relative to it).
    const runDir = argv && bases[0] ? bases[0] : root;
    const classifier = await this.deps.classifier();
    const out: PlacedResult[] = [];
    for (const result of results) {
      if (result.status === 'passed' || result.status === 'skipped') {
        out.push({ result, scenario: 'test-failure' });
        continue;
      }
      const where = await this.locate(result, dirs);
      const span = where ? await this.span(where.uri, where.line) : undefined;
      const known = result.missingModule ? undefined : classifier.classify(`${result.message ?? ''}\n${result.details ?? ''}`, 'test-output');
      const named = result.missingModule ? 'import-error' : known?.kind === 'known' ? known.scenario : undefined;
      const scenario = named && named !== 'none' ? named : 'test-failure';
      // From a terminal run, the re-run reuses its program (`uv run pytest`, `python3 -m pytest`).
      const rerun = rerunCommand(result, argv ? { argv } : undefined);
      out.push({
        result,
        scenario,
        ...(where ? { uri: where.uri, line: where.line } : {}),
        ...(span ? { span } : {}),
        ...(rerun && runDir ? { rerun: { argv: rerun.argv, display: rerun.display, cwd: runDir.fsPath } } : {}),
      });
    }
    return out;
  }

  /** The trace's location if that file exists, else the test's definition (searched by name). */
  private async locate(t: TestResult, dirs: vscode.Uri[]): Promise<{ uri: vscode.Uri; line: number } | undefined> {
    for (const loc of [t.failedAt, t.definedAt].filter((l): l is Location => Boolean(l))) {
      const uri = await this.existing(loc.file, dirs);
      if (!uri) continue;
      if (loc.line > 0) return { uri, line: loc.line - 1 };
      const line = await this.definitionLine(uri, t);
      return { uri, line: line ?? 0 };
    }
    return undefined;
  }

  private async existing(file: string, dirs: vscode.Uri[]): Promise<vscode.Uri | undefined> {
    const candidates = isAbsolute(file) ? [vscode.Uri.file(file)] : dirs.map((d) => vscode.Uri.joinPath(d, file));
    for (const c of candidates) {
      const ok = await vscode.workspace.fs.stat(c).then(
        (s) => s.type === vscode.FileType.File,
        () => false,
      );
      if (ok) return c;
    }
    return undefined;
  }

  /** The text span of a line, so the squiggle covers the code and not the indentation. */
  private async span(uri: vscode.Uri, line: number): Promise<{ start: number; end: number } | undefined> {
    const text = await this.read(uri);
    const l = text?.split('\n')[line]?.replace(/\r$/, '');
    if (l === undefined) return undefined;
    const start = l.length - l.trimStart().length;
    return { start, end: Math.max(start + 1, l.length) };
  }

  private read(uri: vscode.Uri): Promise<string | undefined> {
    const key = uri.toString();
    if (!this.fileCache.has(key)) {
      this.fileCache.set(
        key,
        Promise.resolve(
          vscode.workspace.fs.readFile(uri).then(
            (b) => (b.byteLength > 4 * 1024 * 1024 ? undefined : new TextDecoder().decode(b)),
            () => undefined,
          ),
        ),
      );
    }
    return this.fileCache.get(key)!;
  }

  /** The line that defines the test: `def test_x`, `func TestX`, `it('x'` / `test("x"`. */
  private async definitionLine(uri: vscode.Uri, t: TestResult): Promise<number | undefined> {
    const text = await this.read(uri);
    if (!text) return undefined;
    const name = t.name.split('/')[0]!.replace(/\[.*\]$/, '');
    const patterns =
      t.runner === 'pytest' ? [new RegExp(`^\\s*(?:async\\s+)?def\\s+${escapeRegex(name)}\\s*\\(`, 'm')] : t.runner === 'go' ? [new RegExp(`^func\\s+${escapeRegex(name)}\\s*\\(`, 'm')] : [new RegExp(`\\b(?:it|test|specify)(?:\\.\\w+)?\\s*\\(\\s*(['"\`])${escapeRegex(name)}\\1`, 'm')];
    for (const re of patterns) {
      const m = re.exec(text);
      if (m) return text.slice(0, m.index + (m[0].length - m[0].trimStart().length)).split('\n').length - 1;
    }
    return undefined;
  }

  /** One entry in "failures noticed" per origin, naming the failing tests. */
  private note(origin: string, failed: PlacedResult[], where: string): void {
    const fp = `tests|${origin}`;
    if (!failed.length) {
      this.deps.detections.close(fp);
      return;
    }
    const first = failed[0]!;
    this.deps.detections.add({
      scenario: first.scenario,
      title: failed.length === 1 ? vscode.l10n.t('1 failing test in {0}', where) : vscode.l10n.t('{0} failing tests in {1}', failed.length, where),
      fingerprint: fp,
      source: 'test',
      evidence: failed.slice(0, 10).map((p) => ({ text: `${p.result.fullName}${p.result.message ? `: ${p.result.message}` : ''}`.slice(0, 4_000), source: 'test' })),
      at: new Date(),
    });
  }
}
