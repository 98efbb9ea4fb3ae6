// Failing tests as Problems, and their quick fixes. Each failing test is one diagnostic at the
// line where it failed (else where it is defined), all sharing the code `lifeline.test-failure`;
// a test reported passing again, or run again by a command that passed, clears its diagnostic
// whichever source (report or terminal) put it there. The code actions: open the guide
// (preferred), re-run just this test, find the merge that broke it, and for an import error
// the missing module as a note — Lifeline never installs anything. Light: loaded at activation.
import * as vscode from 'vscode';
import { shown, shownLines } from '../../core/text/shown';
import { Disposable } from '../dispose';
import { COMMANDS } from '../commands';
import type { TestResult } from '../../core/testreports/model';
import { identityKey, testIdentity } from '../../core/testreports/identity';
import { FailureLedger } from '../../core/testreports/ledger';
import type { TestIdentity } from '../../core/testreports/identity';

export const TEST_FAILURE_CODE = 'lifeline.test-failure';

/** A test result placed in the workspace. */
export interface PlacedResult {
  result: TestResult;
  /** Where to show it; absent for passes. */
  uri?: vscode.Uri;
  /** 0-based. */
  line?: number;
  /** The line's text span (first non-blank character to the end), when the file was read. */
  span?: { start: number; end: number };
  /** The argv that re-runs only this test, and where. */
  rerun?: { argv: string[]; display: string; cwd: string };
  /** The guide that fits (test-failure, import-error, or what the classifier named). */
  scenario: string;
}

export interface ResultBatch {
  /** Who reported: a report file's URI, or `terminal:<runner>`. */
  origin: string;
  results: PlacedResult[];
  /** A JUnit report describes a whole run: its previous failures are replaced. */
  replacesOrigin: boolean;
  /**
   * The run passed as a whole and covered these tests (what its command line selected): their
   * earlier failures are cleared, whatever reported them.
   */
  ranAndPassed?: (id: TestIdentity) => boolean;
}

interface Shown {
  placed: PlacedResult;
  diagnostic: vscode.Diagnostic;
}

export class TestProblems extends Disposable implements vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('lifeline-tests'));
  private readonly ledger = new FailureLedger<Shown>();
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  constructor() {
    super();
    this._register(vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, this, { providedCodeActionKinds: TestProblems.providedCodeActionKinds }));
  }

  /** Failing tests shown now, for tests and the status bar. */
  get failing(): readonly PlacedResult[] {
    return this.ledger.all.map((e) => e.value.placed);
  }

  /** Applies a batch; returns the origins it left without failures (their summaries can close). */
  apply(batch: ResultBatch): string[] {
    const emptied = this.ledger.apply({
      origin: batch.origin,
      replacesOrigin: batch.replacesOrigin,
      ...(batch.ranAndPassed ? { ranAndPassed: batch.ranAndPassed } : {}),
      results: batch.results.map((p) => ({ result: p.result, ...(p.uri && p.line !== undefined ? { value: { placed: p, diagnostic: diagnosticFor(p) } } : {}) })),
    });
    this.publish();
    return emptied;
  }

  clear(): void {
    this.ledger.clear();
    this.publish();
  }

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (codeOf(d) !== TEST_FAILURE_CODE) continue;
      const entry = this.find(document.uri, d);
      if (!entry) continue;
      actions.push(...codeActionsFor(entry.placed, d));
    }
    return actions;
  }

  private find(uri: vscode.Uri, d: vscode.Diagnostic): Shown | undefined {
    for (const { value: e } of this.ledger.all) {
      if (e.placed.uri?.toString() === uri.toString() && e.diagnostic.range.start.line === d.range.start.line && e.diagnostic.message === d.message) return e;
    }
    return undefined;
  }

  private publish(): void {
    const byUri = new Map<string, { uri: vscode.Uri; list: vscode.Diagnostic[] }>();
    for (const { value: e } of this.ledger.all) {
      const uri = e.placed.uri!;
      const slot = byUri.get(uri.toString()) ?? { uri, list: [] };
      slot.list.push(e.diagnostic);
      byUri.set(uri.toString(), slot);
    }
    this.collection.clear();
    for (const { uri, list } of byUri.values()) this.collection.set(uri, list);
    this.changed.fire();
  }
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : c === undefined ? undefined : String(c);
}

function diagnosticFor(p: PlacedResult): vscode.Diagnostic {
  const t = p.result;
  const line = Math.max(0, p.line ?? 0);
  // The whole line: the exact column of a failure is rarely known and a line reads better.
  const range = new vscode.Range(line, p.span?.start ?? 0, line, p.span?.end ?? 1_000);
  const what = t.status === 'error' ? vscode.l10n.t('Test error') : vscode.l10n.t('Test failed');
  // Test names and messages are the report's text: control characters and bidi marks shown escaped.
  const d = new vscode.Diagnostic(range, shownLines(`${what}: ${shown(t.fullName)}${t.message ? ` — ${t.message}` : ''}`), vscode.DiagnosticSeverity.Error);
  d.source = 'Lifeline';
  d.code = TEST_FAILURE_CODE;
  if (t.missingModule) {
    d.relatedInformation = [
      new vscode.DiagnosticRelatedInformation(
        new vscode.Location(p.uri!, range),
        vscode.l10n.t('The module "{0}" cannot be found. Add it to the project\'s dependencies yourself; Lifeline never installs packages.', t.missingModule),
      ),
    ];
  }
  return d;
}

function codeActionsFor(p: PlacedResult, d: vscode.Diagnostic): vscode.CodeAction[] {
  const t = p.result;
  const out: vscode.CodeAction[] = [];
  const trigger = {
    source: 'test',
    at: new Date().toISOString(),
    evidence: [{ text: `${t.fullName}${t.message ? `: ${t.message}` : ''}`.slice(0, 4_000), ...(p.line !== undefined ? { line: p.line + 1 } : {}), source: p.uri ? vscode.workspace.asRelativePath(p.uri) : 'test' }],
    fingerprint: `test|${identityKey(testIdentity(t))}`,
    ...(p.rerun ? { commandLine: p.rerun.display } : {}),
  };
  const guide = new vscode.CodeAction(vscode.l10n.t('Lifeline: open the "{0}" guide', guideTitle(p.scenario)), vscode.CodeActionKind.QuickFix);
  guide.command = { command: COMMANDS.openGuide, title: guide.title, arguments: [p.scenario, { trigger }] };
  guide.diagnostics = [d];
  guide.isPreferred = true;
  out.push(guide);
  // Re-running a test (or testing merges with it) executes workspace code: not in Restricted Mode.
  if (p.rerun && vscode.workspace.isTrusted) {
    const rerun = new vscode.CodeAction(vscode.l10n.t('Lifeline: re-run only this test ({0})', p.rerun.display), vscode.CodeActionKind.QuickFix);
    rerun.command = { command: COMMANDS.rerunTest, title: rerun.title, arguments: [{ argv: p.rerun.argv, cwd: p.rerun.cwd, label: t.fullName, test: testIdentity(t) }] };
    rerun.diagnostics = [d];
    out.push(rerun);
    const merge = new vscode.CodeAction(vscode.l10n.t('Lifeline: tests broke after a merge? Find the merge'), vscode.CodeActionKind.QuickFix);
    merge.command = { command: COMMANDS.findBreakingMerge, title: merge.title, arguments: [{ argv: p.rerun.argv, label: t.fullName }] };
    merge.diagnostics = [d];
    out.push(merge);
  }
  if (t.missingModule) {
    const note = new vscode.CodeAction(vscode.l10n.t('Missing module "{0}": add it to your dependencies yourself (Lifeline never installs)', t.missingModule), vscode.CodeActionKind.QuickFix);
    note.command = { command: COMMANDS.openGuide, title: note.title, arguments: ['import-error', { trigger }] };
    note.diagnostics = [d];
    out.push(note);
  }
  return out;
}

function guideTitle(scenario: string): string {
  return scenario === 'test-failure' ? vscode.l10n.t('Tests failed') : scenario === 'import-error' ? vscode.l10n.t('Import or module not found') : scenario;
}
