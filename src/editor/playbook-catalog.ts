// The playbooks the editor knows: the built-in ones shipped in playbooks/, overridden and
// extended by the workspace's own folder (setting `lifeline.playbooks.folder`). Loaded at first
// use, reloaded when that folder or the setting changes. Problems are logged as file:line.
// An untrusted workspace's own playbooks are not loaded (their patterns would run on every line
// of output, and they could override a built-in guide): only once the user trusts the folder.
import * as vscode from 'vscode';
import { Disposable } from './dispose';
import type { Settings } from './settings';
import type { Playbook } from '../core/playbooks/model';
import { formatError, mergePlaybooks } from '../core/playbooks/collection';
import { COMPILED_PLAYBOOKS, readCompiledPlaybooks } from '../core/playbooks/compiled';
import { workspaceRoot } from './workspace-root';

export class PlaybookCatalog extends Disposable {
  private loading: Promise<Playbook[]> | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly settings: Settings,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register(
      settings.onDidChange((e) => {
        if (e.affects('playbooks')) this.invalidate();
      }),
    );
    this._register({ dispose: () => this.watcher?.dispose() });
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.invalidate()));
  }

  /** Every playbook, built-in ones overridden by the workspace's. */
  all(): Promise<Playbook[]> {
    this.loading ??= this.load();
    return this.loading;
  }

  async get(id: string): Promise<Playbook | undefined> {
    return (await this.all()).find((p) => p.id === id);
  }

  private invalidate(): void {
    this.loading = undefined;
    this.changed.fire();
  }

  private async load(): Promise<Playbook[]> {
    const started = Date.now();
    const builtIn = await readCompiledPlaybooks(vscode.Uri.joinPath(this.extensionUri, 'dist', COMPILED_PLAYBOOKS).fsPath);
    for (const e of builtIn.errors) this.log.error(`built-in playbook: ${formatError(e)}`);
    let user: Playbook[] = [];
    const root = workspaceRoot();
    if (root && !vscode.workspace.isTrusted) {
      this.log.info('workspace playbooks are not loaded until this folder is trusted');
    } else if (root) {
      const folder = vscode.Uri.joinPath(root, this.settings.current.playbooksFolder);
      this.watch(root);
      const exists = await vscode.workspace.fs.stat(folder).then(
        () => true,
        () => false,
      );
      if (exists) {
        // The YAML loader is a bundle of its own, loaded only for a workspace's playbooks.
        const { loadPlaybookDir } = await import('../core/playbooks/loader');
        const r = await loadPlaybookDir(folder.fsPath);
        for (const e of r.errors) this.log.warn(`workspace playbook: ${formatError(e)}`);
        user = r.playbooks;
      }
    }
    const all = mergePlaybooks(builtIn.playbooks, user);
    this.log.info(`loaded ${all.length} playbooks (${user.length} from the workspace) in ${Date.now() - started} ms`);
    return all;
  }

  private watch(root: vscode.Uri): void {
    this.watcher?.dispose();
    const pattern = new vscode.RelativePattern(root, `${this.settings.current.playbooksFolder}/*.{yaml,yml,json}`);
    this.watcher = vscode.workspace.createFileSystemWatcher(pattern);
    const reload = () => this.invalidate();
    this.watcher.onDidChange(reload);
    this.watcher.onDidCreate(reload);
    this.watcher.onDidDelete(reload);
  }
}
