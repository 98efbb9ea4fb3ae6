// Lifeline's own Problems for playbook files: every problem the loader finds in the workspace's
// playbook folder (a file that failed to load shows even when it is not open), and, for a
// playbook or runbook open in an editor, its problems as you type, at their line and column.
// With the YAML extension installed, the schema problems it already shows from our
// `yamlValidation` schema are left to it; what only Lifeline can check stays here.
import * as vscode from 'vscode';
import { Disposable } from '../dispose';
import type { PlaybookError } from '../../core/playbooks/collection';
import type { CatalogLoad, PlaybookCatalog } from '../playbook-catalog';
import { isInFolder, isPlaybookDocument } from './playbook-files';

/** Problems the YAML extension reports too when it validates against our schema. */
const SCHEMA_CODES = new Set(['yaml-syntax', 'unknown-field', 'missing-field', 'wrong-type', 'wrong-value']);
const YAML_EXTENSION = 'redhat.vscode-yaml';
const TYPING_PAUSE_MS = 250;

export class PlaybookProblems extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('lifeline-playbooks'));
  /** The last load's problems, by file. */
  private onDisk = new Map<string, PlaybookError[]>();
  private folder: vscode.Uri | undefined;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri>());
  /** Fires when a file's problems were set (tests wait on it). */
  readonly onDidUpdate = this.changed.event;

  constructor(private readonly catalog: PlaybookCatalog) {
    super();
    this._register(catalog.onDidLoad((load) => this.loaded(load)));
    this._register(vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, TYPING_PAUSE_MS)));
    this._register(vscode.workspace.onDidCloseTextDocument((d) => this.closed(d)));
    this._register(vscode.extensions.onDidChange(() => this.refreshAll()));
    this._register({ dispose: () => this.timers.forEach((t) => clearTimeout(t)) });
    this.folder = catalog.folder();
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  /** Lints an open document now (the Preview Guide command and tests use it). */
  async lint(doc: vscode.TextDocument): Promise<readonly vscode.Diagnostic[]> {
    const { parsePlaybookFile } = await import('../../core/playbooks/loader');
    const r = parsePlaybookFile(doc.getText(), doc.uri.fsPath);
    this.set(doc.uri, [...r.errors, ...r.warnings]);
    return this.collection.get(doc.uri) ?? [];
  }

  private loaded(load: CatalogLoad): void {
    this.folder = load.folder;
    const next = new Map<string, PlaybookError[]>();
    for (const e of [...load.errors, ...load.warnings]) next.set(e.file, [...(next.get(e.file) ?? []), e]);
    const before = this.onDisk;
    this.onDisk = next;
    const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.fsPath));
    for (const file of new Set([...before.keys(), ...next.keys()])) {
      // An open document shows what its editor holds, not what was saved.
      if (!open.has(file)) this.set(vscode.Uri.file(file), next.get(file) ?? []);
    }
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!isPlaybookDocument(doc, this.folder ?? this.catalog.folder())) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (!doc.isClosed) void this.lint(doc);
      }, delay),
    );
  }

  private closed(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    const folder = this.folder ?? this.catalog.folder();
    if (folder && isInFolder(doc.uri, folder)) this.set(doc.uri, this.onDisk.get(doc.uri.fsPath) ?? []);
    else if (doc.uri.scheme === 'file') this.collection.delete(doc.uri);
  }

  private refreshAll(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  private set(uri: vscode.Uri, problems: PlaybookError[]): void {
    const yaml = vscode.extensions.getExtension(YAML_EXTENSION) !== undefined && /\.ya?ml$/i.test(uri.fsPath);
    const shown = problems.filter((p) => !(yaml && p.code && SCHEMA_CODES.has(p.code)));
    this.collection.set(uri, shown.map(toDiagnostic));
    this.changed.fire(uri);
  }
}

function toDiagnostic(p: PlaybookError): vscode.Diagnostic {
  const line = Math.max(0, p.line - 1);
  const col = Math.max(0, (p.column ?? 1) - 1);
  const end = p.end ? new vscode.Position(Math.max(0, p.end.line - 1), Math.max(0, p.end.column - 1)) : new vscode.Position(line, p.column ? col + 1 : Number.MAX_SAFE_INTEGER);
  const warning = p.message.startsWith('warning: ');
  const d = new vscode.Diagnostic(new vscode.Range(line, col, end.line, end.character), warning ? p.message.slice('warning: '.length) : p.message, warning ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error);
  d.source = 'Lifeline';
  if (p.code) d.code = p.code;
  return d;
}
