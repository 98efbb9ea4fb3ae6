// The playbooks the editor knows: the built-in ones shipped in playbooks/, overridden and
// extended by the workspace's own folder (setting `lifeline.playbooks.folder`): YAML playbooks
// and Markdown runbooks read through the importer. Loaded at first use, reloaded when a file in
// that folder, the folder itself (also one that did not exist yet) or the setting changes.
// Problems are logged as file:line:column and handed to the Problems view (`onDidLoad`).
// An untrusted workspace's own playbooks are not loaded (their patterns would run on every line
// of output, and they could override a built-in guide): only once the user trusts the folder.
import * as vscode from 'vscode';
import { Disposable } from './dispose';
import type { Settings } from './settings';
import type { Playbook } from '../core/playbooks/model';
import { formatError, mergePlaybooks } from '../core/playbooks/collection';
import type { PlaybookError, PlaybookOrigin } from '../core/playbooks/collection';
import { COMPILED_PLAYBOOKS, readCompiledPlaybooks } from '../core/playbooks/compiled';
import { workspaceRoot } from './workspace-root';
import { PLAYBOOK_GLOB } from './authoring/playbook-files';
import { plural } from '../core/text/strings';

/** What one load of the workspace's folder found. */
export interface CatalogLoad {
  /** The folder read (undefined without a workspace or trust). */
  folder: vscode.Uri | undefined;
  errors: PlaybookError[];
  warnings: PlaybookError[];
}


const SETTLE_MS = 150;
/** After a load, the folder is looked at once more this much later (see `recheck`). */
const RECHECK_MS = 1_500;

export class PlaybookCatalog extends Disposable {
  private loading: Promise<Playbook[]> | undefined;
  private watchers: vscode.Disposable[] = [];
  private watchedFolder: string | undefined;
  private settle: ReturnType<typeof setTimeout> | undefined;
  private origins: Record<string, PlaybookOrigin> = {};
  /** Why the next load happens, for its log line. */
  private reason = 'first use';
  private recheckTimer: ReturnType<typeof setTimeout> | undefined;
  /** Counts loads: one overtaken by a newer load keeps its hands off the shared state. */
  private loads = 0;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private readonly loaded = this._register(new vscode.EventEmitter<CatalogLoad>());
  /** Fires after every load with the problems found (the Problems view listens). */
  readonly onDidLoad = this.loaded.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly settings: Settings,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register(
      settings.onDidChange((e) => {
        if (e.affects('playbooks')) this.invalidate('the setting changed');
      }),
    );
    this._register({ dispose: () => { this.watchers.forEach((w) => w.dispose()); clearTimeout(this.recheckTimer); } });
    this._register({ dispose: () => clearTimeout(this.settle) });
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.invalidate('the folder was trusted')));
  }

  /** Where playbook `id` came from in the workspace's folder (undefined for a built-in). */
  origin(id: string): PlaybookOrigin | undefined {
    return Object.hasOwn(this.origins, id) ? this.origins[id] : undefined;
  }

  /** The workspace's playbook folder, when there is a workspace. */
  folder(): vscode.Uri | undefined {
    const root = workspaceRoot();
    return root ? vscode.Uri.joinPath(root, this.settings.current.playbooksFolder) : undefined;
  }

  /** Every playbook, built-in ones overridden by the workspace's. */
  all(): Promise<Playbook[]> {
    this.loading ??= this.load();
    return this.loading;
  }

  async get(id: string): Promise<Playbook | undefined> {
    return (await this.all()).find((p) => p.id === id);
  }

  private invalidate(reason: string): void {
    this.loading = undefined;
    this.reason = reason;
    this.changed.fire();
    // Reloaded at once (not at next use), so the log and the Problems view follow every edit.
    void this.all();
  }

  private async load(): Promise<Playbook[]> {
    const started = Date.now();
    const generation = ++this.loads;
    const builtIn = await readCompiledPlaybooks(vscode.Uri.joinPath(this.extensionUri, 'dist', COMPILED_PLAYBOOKS).fsPath);
    for (const e of builtIn.errors) this.log.error(`built-in playbook: ${formatError(e)}`);
    let user: Playbook[] = [];
    let errors: PlaybookError[] = [];
    let warnings: PlaybookError[] = [];
    let origins: Record<string, PlaybookOrigin> = {};
    const root = workspaceRoot();
    const reason = this.reason;
    let folder: vscode.Uri | undefined;
    if (root && !vscode.workspace.isTrusted) {
      this.log.info('workspace playbooks are not loaded until this folder is trusted');
    } else if (root) {
      folder = vscode.Uri.joinPath(root, this.settings.current.playbooksFolder);
      this.watch(root);
      const exists = await vscode.workspace.fs.stat(folder).then(
        () => true,
        () => false,
      );
      if (exists) {
        // The YAML loader is a bundle of its own, loaded only for a workspace's playbooks.
        const { loadPlaybookDir } = await import('../core/playbooks/loader');
        const before = await folderSignature(folder);
        const r = await loadPlaybookDir(folder.fsPath);
        this.recheck(folder, before);
        user = r.playbooks;
        errors = r.errors;
        warnings = r.warnings ?? [];
        origins = r.origins ?? {};
      }
    }
    const all = mergePlaybooks(builtIn.playbooks, user);
    // An edit during the read started a newer load: its Problems and origins are the current ones.
    if (generation !== this.loads) return all;
    for (const e of errors) this.log.warn(`workspace playbook: ${formatError(e)}`);
    this.origins = origins;
    const failed = new Set(errors.map((e) => e.file)).size;
    this.log.info(
      `loaded ${all.length} playbooks (${user.length} from the workspace${failed ? `, ${plural(failed, 'file')} failed to load` : ''}) in ${Date.now() - started} ms (${reason})`,
    );
    this.loaded.fire({ folder, errors, warnings });
    return all;
  }

  /**
   * VS Code's watcher can drop an event that follows another closely (a file written again just
   * after it appeared): a save right after a load would then never be seen. So a moment after each
   * load the folder's names, sizes and times are compared with what the load started from.
   */
  private recheck(folder: vscode.Uri, before: string): void {
    clearTimeout(this.recheckTimer);
    this.recheckTimer = setTimeout(() => {
      void folderSignature(folder).then((now) => {
        if (now !== before) this.invalidate(`${vscode.workspace.asRelativePath(folder)} changed while it was read`);
      });
    }, RECHECK_MS);
  }

  /**
   * Watches the folder's files, the folder itself and the folders above it: a glob below the
   * workspace root works before the folder exists, and catches it being created, renamed or
   * deleted as a whole. A parent created or deleted with everything in it (`mkdir -p`, `rm -rf
   * .lifeline`) may be reported as that parent alone.
   */
  private watch(root: vscode.Uri): void {
    const folder = this.settings.current.playbooksFolder.replace(/[\\/]+$/, '');
    const key = `${root.toString()}|${folder}`;
    if (this.watchedFolder === key) return;
    this.watchers.forEach((w) => w.dispose());
    this.watchedFolder = key;
    const files = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root, `${folder}/${PLAYBOOK_GLOB}`));
    const itself = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root, folder), false, true, false);
    const segments = folder.split(/[\\/]+/).filter(Boolean);
    const parents = segments.slice(0, -1).map((_, i) => vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root, segments.slice(0, i + 1).join('/')), false, true, false));
    // A save or a copy of several files is a burst of events: one reload after it settles.
    const on = (what: string) => (uri: vscode.Uri) => {
      clearTimeout(this.settle);
      const reason = `${vscode.workspace.asRelativePath(uri)} ${what}`;
      this.settle = setTimeout(() => this.invalidate(reason), SETTLE_MS);
    };
    this.watchers = [
      files,
      itself,
      files.onDidChange(on('changed')),
      files.onDidCreate(on('created')),
      files.onDidDelete(on('deleted')),
      itself.onDidCreate(on('created')),
      itself.onDidDelete(on('deleted')),
      ...parents.flatMap((w) => [w, w.onDidCreate(on('created')), w.onDidDelete(on('deleted'))]),
    ];
  }
}

/** Names, sizes and modification times of the folder's entries ("" when it cannot be read). */
async function folderSignature(folder: vscode.Uri): Promise<string> {
  try {
    const entries = await vscode.workspace.fs.readDirectory(folder);
    const stats = await Promise.all(entries.map(([name]) => vscode.workspace.fs.stat(vscode.Uri.joinPath(folder, name)).then((st) => `${name}:${st.size}:${st.mtime}`, () => `${name}:gone`)));
    return stats.sort().join('|');
  } catch {
    return '';
  }
}
