// Writing playbooks in the editor: "New Playbook" (the explained template, in the workspace's
// playbook folder), "Import Runbook..." (a preview of what was read and where it goes, then YAML
// or the Markdown kept as the source) and "Preview Guide" (the guide panel on the open playbook
// file, following every edit). The problems of playbook files are `PlaybookProblems`.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { Disposable } from '../dispose';
import type { PlaybookCatalog } from '../playbook-catalog';
import type { RecoveryPanels, RecoveryPanel } from '../webview/recovery-panel';
import { PlaybookProblems } from './playbook-problems';
import { isPlaybookDocument } from './playbook-files';
import { playbookId, playbookTemplate } from '../../core/playbooks/template';
import { readRegularFile, MiB } from '../../core/fixups/read-file';
import type { ImportPlan, PlannedFile } from '../../core/importer/import-plan';
import type { FileResult } from '../../core/playbooks/loader';

export const IMPORT_PREVIEW_SCHEME = 'lifeline-import';
const EDIT_PAUSE_MS = 300;

export interface AuthoringDeps {
  catalog: PlaybookCatalog;
  panels: RecoveryPanels;
  log: vscode.LogOutputChannel;
}

export type ImportChoice = 'yaml' | 'markdown';

export class Authoring extends Disposable implements vscode.TextDocumentContentProvider {
  readonly problems: PlaybookProblems;
  private readonly previewTexts = new Map<string, string>();
  private readonly previewChanged = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.previewChanged.event;
  private readonly following = new Map<string, { timer?: ReturnType<typeof setTimeout>; choice: string }>();

  constructor(private readonly deps: AuthoringDeps) {
    super();
    this.problems = this._register(new PlaybookProblems(deps.catalog));
    this._register(vscode.workspace.registerTextDocumentContentProvider(IMPORT_PREVIEW_SCHEME, this));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => this.edited(e.document)));
    this._register({ dispose: () => this.following.forEach((f) => clearTimeout(f.timer)) });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.previewTexts.get(uri.toString()) ?? '';
  }

  // --- New Playbook ---------------------------------------------------------------------------

  async newPlaybook(): Promise<vscode.Uri | undefined> {
    const folder = this.deps.catalog.folder();
    if (!folder) throw new Error(vscode.l10n.t('Open a folder first: new playbooks go into its playbook folder.'));
    const title = await vscode.window.showInputBox({
      title: vscode.l10n.t('New Playbook'),
      prompt: vscode.l10n.t('What failure is it for? A few words, e.g. "Redis refuses connections".'),
      validateInput: (v) => (playbookId(v) ? undefined : vscode.l10n.t('Use a few words with letters or digits.')),
    });
    if (!title) return undefined;
    const id = playbookId(title);
    await vscode.workspace.fs.createDirectory(folder);
    const uri = await freeName(folder, id, '.yaml');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(playbookTemplate(basename(uri.path, '.yaml'), title.trim())));
    this.deps.log.info(`new playbook ${vscode.workspace.asRelativePath(uri)}`);
    await vscode.window.showTextDocument(uri, { preview: false });
    return uri;
  }

  // --- Import Runbook -------------------------------------------------------------------------

  /** What importing `runbook` would write (also what the preview shows). */
  async planImport(runbook: vscode.Uri): Promise<{ plan: ImportPlan; preview: string }> {
    const folder = this.deps.catalog.folder();
    if (!folder) throw new Error(vscode.l10n.t('Open a folder first: imported playbooks go into its playbook folder.'));
    const bytes = await readRegularFile(runbook.fsPath, { what: 'runbook', maxBytes: 16 * MiB });
    if (!bytes) throw new Error(vscode.l10n.t('{0} is gone.', basename(runbook.fsPath)));
    const { importRunbook, planImport, planPreview } = await import('../../core/playbooks/loader');
    const result = importRunbook(bytes, runbook.fsPath);
    const existing = new Set(
      await vscode.workspace.fs.readDirectory(folder).then(
        (entries) => entries.map(([name]) => name),
        () => [] as string[],
      ),
    );
    const plan = planImport(result, runbook.fsPath, new TextDecoder().decode(bytes), folder.fsPath, existing);
    return { plan, preview: planPreview(plan, (p) => vscode.workspace.asRelativePath(p)) };
  }

  /** Writes the plan's YAML files or its Markdown copy; files that exist are never replaced. Returns what was written. */
  async applyImport(plan: ImportPlan, choice: ImportChoice): Promise<vscode.Uri[]> {
    const files: PlannedFile[] = choice === 'yaml' ? plan.yaml : plan.markdown ? [plan.markdown] : [];
    const written: vscode.Uri[] = [];
    const folder = this.deps.catalog.folder();
    if (folder) await vscode.workspace.fs.createDirectory(folder);
    for (const f of files) {
      if (f.exists) continue;
      const uri = vscode.Uri.file(f.path);
      // Checked again at write time: a file that appeared since the preview is not replaced either.
      const there = await vscode.workspace.fs.stat(uri).then(
        () => true,
        () => false,
      );
      if (there) continue;
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(f.text));
      written.push(uri);
    }
    this.deps.log.info(`import ${basename(plan.runbook)}: ${choice === 'yaml' ? 'YAML' : 'Markdown kept'}, wrote ${written.map((u) => vscode.workspace.asRelativePath(u)).join(', ') || 'nothing'}`);
    return written;
  }

  async importRunbook(arg?: unknown): Promise<vscode.Uri[]> {
    let runbook = arg instanceof vscode.Uri ? arg : undefined;
    if (!runbook) {
      const picked = await vscode.window.showOpenDialog({
        title: vscode.l10n.t('Import Runbook'),
        canSelectMany: false,
        filters: { [vscode.l10n.t('Markdown runbooks')]: ['md', 'markdown'] },
        ...(this.deps.catalog.folder() ? { defaultUri: vscode.Uri.joinPath(this.deps.catalog.folder()!, '..', '..') } : {}),
        openLabel: vscode.l10n.t('Import'),
      });
      runbook = picked?.[0];
    }
    if (!runbook) return [];
    const { plan, preview } = await this.planImport(runbook);
    const uri = vscode.Uri.from({ scheme: IMPORT_PREVIEW_SCHEME, path: `/${basename(runbook.fsPath)} (import preview).md` });
    this.previewTexts.set(uri.toString(), preview);
    this.previewChanged.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: false });
    const writeYaml = vscode.l10n.t('Write YAML');
    const keep = vscode.l10n.t('Keep the Markdown');
    const count = plan.playbooks.length;
    const choice = await vscode.window.showInformationMessage(
      count === 1 ? vscode.l10n.t('Import 1 scenario from {0}?', basename(runbook.fsPath)) : vscode.l10n.t('Import {0} scenarios from {1}?', count, basename(runbook.fsPath)),
      { modal: true, detail: vscode.l10n.t('The preview beside shows what was read and where it goes. YAML files are yours to edit; a kept runbook is read as it is, each time it changes. Existing files are never replaced.') },
      writeYaml,
      keep,
    );
    if (!choice) return [];
    const written = await this.applyImport(plan, choice === writeYaml ? 'yaml' : 'markdown');
    if (written.length) await vscode.window.showTextDocument(written[0]!, { preview: false, viewColumn: vscode.ViewColumn.One });
    else void vscode.window.showInformationMessage(vscode.l10n.t('Nothing was written: the files exist already.'));
    return written;
  }

  // --- Preview Guide --------------------------------------------------------------------------

  async previewGuide(arg?: unknown): Promise<RecoveryPanel | undefined> {
    const doc = arg instanceof vscode.Uri ? await vscode.workspace.openTextDocument(arg) : vscode.window.activeTextEditor?.document;
    if (!doc) throw new Error(vscode.l10n.t('Open a playbook file (YAML) or a runbook (Markdown) first.'));
    const r = await this.parse(doc);
    if (!r.playbooks.length) {
      await this.problems.lint(doc);
      void vscode.commands.executeCommand('workbench.actions.view.problems');
      throw new Error(vscode.l10n.t('{0} has problems to fix before its guide can show (see Problems).', basename(doc.uri.fsPath)));
    }
    let index = 0;
    if (r.playbooks.length > 1) {
      const picked = await vscode.window.showQuickPick(
        r.playbooks.map((p, i) => ({ label: p.title, description: p.id, i })),
        { title: vscode.l10n.t('Preview which scenario?') },
      );
      if (!picked) return undefined;
      index = picked.i;
    }
    const chosen = r.playbooks[index]!;
    this.following.set(doc.uri.toString(), { choice: chosen.id });
    return this.deps.panels.openPreview(chosen, doc.uri.toString(), r.origins[index]);
  }

  private async parse(doc: vscode.TextDocument): Promise<FileResult> {
    const { parsePlaybookFile } = await import('../../core/playbooks/loader');
    return parsePlaybookFile(doc.getText(), doc.uri.fsPath);
  }

  /** A previewed document changed: once typing pauses, the guide shows the edited playbook (when it loads). */
  private edited(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const f = this.following.get(key);
    if (!f) return;
    if (!this.deps.panels.preview(key)) {
      this.following.delete(key);
      return;
    }
    clearTimeout(f.timer);
    f.timer = setTimeout(() => void this.refresh(doc, key), EDIT_PAUSE_MS);
  }

  private async refresh(doc: vscode.TextDocument, key: string): Promise<void> {
    const f = this.following.get(key);
    if (!f || doc.isClosed || !this.deps.panels.preview(key)) return;
    const r = await this.parse(doc);
    // While the file does not load, the guide keeps showing the last version that did (Problems says why).
    if (!r.playbooks.length) return;
    const i = Math.max(0, r.playbooks.findIndex((p) => p.id === f.choice));
    const p = r.playbooks[i]!;
    f.choice = p.id;
    this.deps.panels.openPreview(p, key, r.origins[i]);
    this.deps.log.info(`preview of ${vscode.workspace.asRelativePath(doc.uri)} follows an edit`);
  }

  /** Whether `doc` is a playbook file Lifeline checks (for the editor title button's context key). */
  isPlaybook(doc: vscode.TextDocument): boolean {
    return isPlaybookDocument(doc, this.deps.catalog.folder());
  }
}

/** `folder/name.ext`, or `name-2.ext`... when that is taken: a new playbook never replaces a file. */
async function freeName(folder: vscode.Uri, name: string, ext: string): Promise<vscode.Uri> {
  for (let n = 1; ; n++) {
    const uri = vscode.Uri.joinPath(folder, `${name}${n === 1 ? '' : `-${n}`}${ext}`);
    const taken = await vscode.workspace.fs.stat(uri).then(
      () => true,
      () => false,
    );
    if (!taken) return uri;
  }
}
