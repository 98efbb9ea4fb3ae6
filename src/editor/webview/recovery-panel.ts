// The recovery panel host: one webview panel per recovery session, and one tab per subject.
// `RecoveryPanels` opens panels (or reveals the one already open for the same guide and subject;
// another guide about the same subject takes over its tab) and revives them after a reload
// through its registered serializer; `RecoveryPanel` relays the page's validated
// requests to the session and sends the view back after every change.
import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { Disposable } from '../dispose';
import { effectUndoable } from '../../core/fixups/effects';
import { PANEL_VIEW_TYPE } from '../commands';
import { RecoverySession, SessionError } from '../../core/decisions/session';
import type { SessionDeps, StartOptions } from '../../core/decisions/session';
import type { SessionState, Trigger } from '../../core/decisions/state';
import { failureReport } from '../../core/decisions/failure-report';
import { fillCommand } from '../../core/decisions/fill';
import { recoveryAnalysis } from '../../core/decisions/recovery-analysis';
import type { Playbook } from '../../core/playbooks/model';
import type { PlaybookOrigin } from '../../core/playbooks/collection';
import { basename } from 'node:path';
import type { PlaybookCatalog } from '../playbook-catalog';
import type { WorkspaceFixups } from '../../core/engine/workspace-fixups';
import { parsePageMessage } from '../../webview/protocol';
import type { HostMessage, PageRequest, PanelView } from '../../webview/protocol';
import { rawSubjectId, shownMessage } from './shown-message';
import { shown } from '../../core/text/shown';
import { localResourceRoots, pageHtml } from './page-html';
import { panelStrings, panelView } from './panel-view';
import { workspaceRoot } from '../workspace-root';
import { fixupPlaybook, validFixupPlaybook } from './fixup-playbook';
import type { FixupGuideInput } from './fixup-playbook';

export interface OpenGuideArgs {
  subject?: string;
  /** Without a subject: take every one the playbook finds, one by one. */
  each?: boolean;
  params?: Record<string, string>;
  trigger?: Trigger;
}

export interface PanelServices {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  catalog: PlaybookCatalog;
  fixups(): Promise<WorkspaceFixups>;
}

/** What the page stores with setState and VS Code hands back on revival. */
export interface Persisted {
  lifelinePanel: 1;
  playbookId: string;
  session: SessionState;
  /** A one-step fix-up guide is not in the catalogue: it travels with its state. */
  inline?: unknown;
}

/** Owns the open panels; the serializer registered at activation hands revived ones here. */
export class RecoveryPanels extends Disposable implements vscode.WebviewPanelSerializer {
  private readonly open = new Map<string, RecoveryPanel>();
  /** "Preview Guide" panels, by the document they preview. */
  private readonly previews = new Map<string, RecoveryPanel>();
  private readonly opened = this._register(new vscode.EventEmitter<RecoveryPanel>());
  /** Fires when a panel opens or is revived (tests and the status bar listen). */
  readonly onDidOpen = this.opened.event;

  constructor(private readonly services: PanelServices) {
    super();
    this._register(
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        for (const p of this.open.values()) p.trustChanged();
      }),
    );
    this._register({ dispose: () => [...this.open.values()].forEach((p) => p.dispose()) });
  }

  get panels(): readonly RecoveryPanel[] {
    return [...this.open.values()];
  }

  /** Journal entry `journalId` was undone: every open guide that made it shows it undone. */
  undone(journalId: string): void {
    for (const p of this.open.values()) p.undone(journalId);
  }

  /**
   * Opens the guide `playbookId` for a failure. The same failure (playbook, subject and
   * fingerprint) reveals the panel already open instead of starting over.
   */
  async openGuide(playbookId: string, args: OpenGuideArgs = {}): Promise<RecoveryPanel | undefined> {
    const playbook = await this.services.catalog.get(playbookId);
    if (!playbook) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Lifeline has no guide named "{0}".', playbookId));
      return undefined;
    }
    return this.openPlaybook(playbook, args, false);
  }

  /** Opens a one-step guide that previews and runs a single fix-up (from the Stuck Workstreams view). */
  async openFixup(input: Omit<FixupGuideInput, 'scenario' | 't'>, args: OpenGuideArgs = {}): Promise<RecoveryPanel> {
    const scenario = await this.services.catalog.get(input.finding.scenario);
    return this.openPlaybook(fixupPlaybook({ ...input, ...(scenario ? { scenario } : {}), t: vscode.l10n.t }), { ...args, subject: input.finding.subject }, true);
  }

  private openPlaybook(playbook: Playbook, args: OpenGuideArgs, inline: boolean): RecoveryPanel {
    const key = panelKey(playbook.id, args.subject);
    const existing = this.open.get(key);
    if (existing && existing.session.state.pending.kind !== 'ended') {
      existing.reveal();
      return existing;
    }
    // One tab per subject: another guide about the same workstream (or the same guide ended)
    // takes over that tab instead of opening one more. A guide running a fix-up keeps its tab.
    const previous = existing ?? (args.subject !== undefined ? this.panels.find((p) => p.session.state.subject === args.subject) : undefined);
    // (A check or preview still running is simply dropped with its guide: it changes nothing.)
    if (previous && previous.session.state.pending.kind === 'applying') {
      previous.reveal();
      void vscode.window.showInformationMessage(vscode.l10n.t('The guide about {0} is running a fix-up; it opens the next guide when it is done.', shown(args.subject ?? playbook.title)));
      return previous;
    }
    const panel =
      previous?.release(title(playbook)) ??
      vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, title(playbook), vscode.ViewColumn.Active, {
        enableScripts: true,
        enableCommandUris: false,
        localResourceRoots: localResourceRoots(this.services.extensionUri),
      });
    if (previous) this.services.log.info(`guide ${previous.playbook.id} gives its tab to ${playbook.id} (same subject)`);
    const start: StartOptions = {
      id: randomUUID(),
      ...(args.subject !== undefined ? { subject: args.subject } : {}),
      ...(args.params ? { params: args.params } : {}),
      ...(args.trigger ? { trigger: args.trigger } : {}),
      ...(args.each ? { each: true } : {}),
    };
    const host = new RecoveryPanel(panel, playbook, inline, this.services, this, (deps) => RecoverySession.start(playbook, deps, start));
    this.track(key, host);
    // The keyboard goes to the guide (a tree row's Enter would otherwise keep it in the tree), so
    // the page's focus on the step's primary action is where the user types next.
    panel.reveal(panel.viewColumn, false);
    void host.run();
    return host;
  }

  /** The preview of document `key` (a playbook or runbook being written), if one is open. */
  preview(key: string): RecoveryPanel | undefined {
    return this.previews.get(key);
  }

  /**
   * Opens (or refreshes) the guide previewing a playbook file being written: beside the editor,
   * without taking the keyboard from it. A refresh keeps the walk where it stands when the
   * edited playbook still has that step; otherwise the guide starts over.
   */
  openPreview(playbook: Playbook, key: string, origin: PlaybookOrigin | undefined): RecoveryPanel {
    const existing = this.previews.get(key);
    const saved = existing?.session.state;
    const panel =
      existing?.release(title(playbook), false) ??
      vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, title(playbook), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
        enableScripts: true,
        enableCommandUris: false,
        localResourceRoots: localResourceRoots(this.services.extensionUri),
      });
    const host = new RecoveryPanel(panel, playbook, false, this.services, this, (deps) => {
      if (saved && saved.playbookId === playbook.id) {
        try {
          return RecoverySession.restore(playbook, deps, saved);
        } catch {
          // The step it stood at is gone or changed kind: the edited guide starts over.
        }
      }
      return RecoverySession.start(playbook, deps, { id: randomUUID() });
    });
    host.source = origin;
    this.previews.set(key, host);
    host.onDidDispose(() => {
      if (this.previews.get(key) === host) this.previews.delete(key);
    });
    this.opened.fire(host);
    void host.run();
    return host;
  }

  /** VS Code restores a panel after a reload with the state the page saved. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: unknown): Promise<void> {
    panel.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: localResourceRoots(this.services.extensionUri) };
    const persisted = saved as Partial<Persisted> | undefined;
    try {
      if (!persisted || persisted.lifelinePanel !== 1 || typeof persisted.playbookId !== 'string') throw new Error(vscode.l10n.t('no saved session'));
      const inline = persisted.inline !== undefined;
      const playbook = inline ? validFixupPlaybook(persisted.inline) : await this.services.catalog.get(persisted.playbookId);
      if (!playbook) throw new Error(vscode.l10n.t('the guide "{0}" is no longer available', persisted.playbookId));
      const host = new RecoveryPanel(panel, playbook, inline, this.services, this, (deps) => RecoverySession.restore(playbook, deps, persisted.session));
      const s = host.session.state;
      this.track(panelKey(playbook.id, s.subject), host);
      void host.run();
    } catch (e) {
      this.services.log.warn(`could not restore a recovery panel: ${e instanceof Error ? e.message : String(e)}`);
      panel.dispose();
      void vscode.window.showWarningMessage(vscode.l10n.t('Lifeline could not restore a recovery guide after the reload: {0}', shown(e instanceof Error ? e.message : String(e))));
    }
  }

  private track(key: string, host: RecoveryPanel): void {
    this.open.set(key, host);
    host.onDidDispose(() => {
      if (this.open.get(key) === host) this.open.delete(key);
    });
    this.opened.fire(host);
  }
}

export class RecoveryPanel extends Disposable {
  readonly session: RecoverySession;
  private readonly disposed = this._register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this.disposed.event;
  private readonly changed = this._register(new vscode.EventEmitter<SessionState>());
  /** Fires after every change of the session's state. */
  readonly onDidChangeState = this.changed.event;
  private fixups: WorkspaceFixups | undefined;
  private terminal: vscode.Terminal | undefined;
  private readonly abort = new AbortController();
  /** Titles of every guide, for naming hand-offs. */
  private titles = new Map<string, string>();
  /** Set when the tab goes on to the next guide (`release`): disposing this host leaves it open. */
  private keepPanel = false;
  /** Where the playbook is written (a preview's document); the catalogue's origin otherwise. */
  source: PlaybookOrigin | undefined;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    readonly playbook: Playbook,
    private readonly inline: boolean,
    private readonly services: PanelServices,
    private readonly panels: RecoveryPanels,
    create: (deps: SessionDeps) => RecoverySession,
  ) {
    super();
    const fixups = (): Promise<WorkspaceFixups> => services.fixups().then((f) => (this.fixups = f));
    const deps: SessionDeps = {
      get fixupsAllowed() {
        return vscode.workspace.isTrusted;
      },
      probe: async (probe, subject) => (await fixups()).probe(probe, subject),
      preview: async (target) => (await fixups()).preview(target),
      apply: async (target, options) => (await fixups()).apply(target, options),
      subjects: async (spec) => (await fixups()).subjects(spec),
      bind: async (spec, id) => (await fixups()).bind(spec, id),
      remaining: async (subjects) => (await fixups()).remaining(subjects),
      invalidate: () => this.fixups?.invalidate(),
      onChange: (state) => this.stateChanged(state),
    };
    this.session = create(deps);
    panel.webview.html = pageHtml(panel.webview, services.extensionUri, title(playbook));
    this._register(panel.webview.onDidReceiveMessage((m: unknown) => void this.receive(m)));
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register({ dispose: () => this.terminal?.dispose() });
  }

  /** Runs the automatic part (checks, previews) from wherever the session stands. */
  async run(): Promise<void> {
    try {
      this.titles = new Map((await this.services.catalog.all()).map((p) => [p.id, p.title]));
      await this.session.advance();
    } catch (e) {
      this.services.log.error(`guide ${this.playbook.id}: ${oneLine(e)}`);
    }
  }

  reveal(): void {
    this.panel.reveal(this.panel.viewColumn, false);
  }

  /**
   * Ends this guide but keeps its tab, for the next guide about the same subject (which loads
   * its own page into it). Returns the tab, retitled and brought to the front.
   */
  release(newTitle: string, reveal = true): vscode.WebviewPanel {
    this.keepPanel = true;
    this.dispose();
    this.panel.title = newTitle;
    if (reveal) this.panel.reveal();
    return this.panel;
  }

  /** Where the playbook is written, when it came from a file. */
  private origin(): PlaybookOrigin | undefined {
    return this.source ?? this.services.catalog.origin(this.playbook.id);
  }

  get visible(): boolean {
    return this.panel.visible;
  }

  /** Trust was granted: a fix-up blocked for lack of trust gets its preview now. */
  trustChanged(): void {
    const p = this.session.state.pending;
    if (p.kind === 'confirm' && p.blocked?.code === 'untrusted') void this.session.recheck(this.session.state.current).catch(() => undefined);
    else this.post(this.stateMessage(this.session.state));
  }

  /** Handles one request from the page; also the entry point for tests driving the panel. */
  async request(req: PageRequest): Promise<string | undefined> {
    const s = this.session;
    switch (req.type) {
      case 'continue':
        await s.continueStep(req.nodeId, { acknowledge: req.acknowledge === true });
        return undefined;
      case 'skip':
        await s.skipStep(req.nodeId);
        return undefined;
      case 'chooseSubject': {
        const p = s.state.pending;
        // The page saw (and sends back) ids as shownMessage escaped them.
        const id = req.id === null || p.kind !== 'subject' ? req.id : rawSubjectId(p.options.map((o) => o.id), req.id);
        if (id === undefined) throw new Error(vscode.l10n.t('"{0}" is not one subject this guide offers (names that read the same are not told apart); open the guide from the Stuck Workstreams view instead.', shown(req.id ?? '')));
        await s.chooseSubject(id);
        return undefined;
      }
      case 'provide':
        await s.provide(req.name, req.value);
        return undefined;
      case 'answer':
        await s.answer(req.nodeId, req.answer);
        return undefined;
      case 'choose':
        await s.choose(req.nodeId, req.index);
        return undefined;
      case 'confirm': {
        this.services.log.info(`guide ${this.playbook.id}: user confirmed ${req.nodeId}`);
        const record = await s.confirm(req.nodeId, {
          discard: req.discard,
          signal: this.abort.signal,
          onProgress: (line) => this.post({ type: 'progress', line }),
        });
        this.services.log.info(`guide ${this.playbook.id}: ${record.actionId} ${record.ok ? 'worked' : 'failed'}: ${record.message}`);
        return record.message;
      }
      case 'decline':
        await s.decline(req.nodeId);
        return vscode.l10n.t('Not run: nothing was changed.');
      case 'recheck':
        await s.recheck(req.nodeId);
        return undefined;
      case 'back':
        await s.back();
        return undefined;
      case 'goBack':
        await s.goBack(req.nodeId);
        return undefined;
      case 'undo':
        return this.undo(req.journalId);
      case 'runCommand':
        return this.putInTerminal(this.commandAt(req.nodeId, req.index));
      case 'copy': {
        const text =
          req.what === 'report'
            ? failureReport(this.playbook, s.state)
            : req.what === 'analysis'
              ? JSON.stringify(recoveryAnalysis(this.playbook, s.state), null, 2)
              : this.commandAt(req.nodeId ?? '', req.index ?? -1);
        await vscode.env.clipboard.writeText(text);
        return req.what === 'report' ? vscode.l10n.t('Failure report copied.') : req.what === 'analysis' ? vscode.l10n.t('Recovery analysis copied.') : vscode.l10n.t('Command copied.');
      }
      case 'openSource': {
        const origin = this.origin();
        const line = origin?.nodes[req.nodeId];
        if (!origin || !line) throw new Error(vscode.l10n.t('This step is not written in a file of this workspace.'));
        const at = new vscode.Position(line - 1, 0);
        await vscode.window.showTextDocument(vscode.Uri.file(origin.file), { selection: new vscode.Range(at, at), viewColumn: vscode.ViewColumn.One, preview: true });
        return undefined;
      }
      case 'openGuide': {
        const s0 = s.state;
        // A problem left at the end opens its own guide about its own subject; a hand-off keeps this one's.
        const subject = req.subject ?? s0.subject;
        await this.panels.openGuide(req.playbookId, { ...(subject !== undefined ? { subject } : {}), ...(req.subject === undefined && s0.trigger ? { trigger: s0.trigger } : {}) });
        return undefined;
      }
    }
  }

  private async receive(raw: unknown): Promise<void> {
    const msg = parsePageMessage(raw);
    if ('error' in msg) {
      this.services.log.warn(`recovery panel: dropped an invalid message (${msg.error})`);
      return;
    }
    if (msg.type === 'ready') {
      this.post({ type: 'init', strings: panelStrings(vscode.l10n.t) });
      this.post(this.stateMessage(this.session.state));
      return;
    }
    try {
      const message = await this.request(msg);
      this.post({ type: 'reply', requestId: msg.requestId, ok: true, ...(message ? { message } : {}) });
    } catch (e) {
      if (!(e instanceof SessionError)) this.services.log.error(`guide ${this.playbook.id}: ${msg.type} failed: ${oneLine(e)}`);
      this.post({ type: 'reply', requestId: msg.requestId, ok: false, message: oneLine(e) });
    }
  }

  private async undo(journalId: string): Promise<string> {
    if (!vscode.workspace.isTrusted) throw new Error(vscode.l10n.t('This workspace is not trusted: Lifeline runs no fix-ups or undo here.'));
    const record = this.session.state.actions.find((a) => a.journalId === journalId);
    if (!record) throw new Error(vscode.l10n.t('This guide did not make that change, so it cannot undo it here; use Lifeline: Undo a Fix-up...'));
    if (!effectUndoable(record.effect)) throw new Error(vscode.l10n.t('"{0}" cannot be undone: it is {1}.', record.title, record.effect));
    const fixups = this.fixups ?? (await this.services.fixups());
    const result = await fixups.undo(journalId);
    this.services.log.info(`guide ${this.playbook.id}: undo ${journalId}: ${result.ok ? 'ok' : 'failed'}: ${result.message}`);
    if (!result.ok) throw new Error(result.message);
    this.panels.undone(journalId);
    return result.message;
  }

  /** A change this guide made was undone (here or elsewhere): show it, and step back to it. */
  undone(journalId: string): void {
    if (this.session.markUndone(journalId)) void this.run();
  }

  /**
   * The text of command `index` of step `nodeId`, read from the playbook (never from the page) and
   * filled from the session's subject and inputs; refused while a value is missing.
   */
  private commandAt(nodeId: string, index: number): string {
    const node = this.playbook.nodes.find((n) => n.id === nodeId);
    const command = node ? fillCommand(this.playbook, this.session.state, node, index) : undefined;
    if (!command) throw new Error(vscode.l10n.t('That command is not part of this guide.'));
    if (command.missing.length) throw new Error(vscode.l10n.t('Fill in {0} first; the command is not complete without it.', command.missing.map((m) => m.label).join(', ')));
    return command.run;
  }

  /** Types the command into a terminal without pressing Enter: the user reads it and decides. */
  private putInTerminal(command: string): string {
    if (!this.terminal || this.terminal.exitStatus !== undefined) {
      const cwd = workspaceRoot();
      this.terminal = vscode.window.createTerminal({ name: shown(vscode.l10n.t('Lifeline: {0}', this.playbook.title)), ...(cwd ? { cwd } : {}) });
    }
    this.terminal.show(false);
    this.terminal.sendText(command, false);
    return vscode.l10n.t('The command is in the terminal; press Enter there to run it.');
  }

  private stateChanged(state: SessionState): void {
    this.changed.fire(state);
    this.post(this.stateMessage(state));
  }

  private stateMessage(state: SessionState): HostMessage {
    return { type: 'state', view: this.view(state), persist: this.persisted(state) };
  }

  /** What the page shows for `state` (the current one by default); tests read the badge and Undo from it. */
  view(state: SessionState = this.session.state): PanelView {
    return panelView(this.playbook, state, {
      t: vscode.l10n.t,
      locale: vscode.env.language,
      trusted: vscode.workspace.isTrusted,
      titleOf: (id) => this.titles.get(id),
      sourceOf: (nodeId) => {
        const o = this.origin();
        const line = o?.nodes[nodeId];
        return o && line ? `${basename(o.file)}:${line}` : undefined;
      },
    });
  }

  /** What the page stores with setState (the `persist` of every 'state' message); tests revive panels from it. */
  persisted(state: SessionState = this.session.state): Persisted {
    return { lifelinePanel: 1, playbookId: this.playbook.id, session: state, ...(this.inline ? { inline: this.playbook } : {}) };
  }

  private post(message: HostMessage): void {
    if (this.isDisposed) return;
    void this.panel.webview.postMessage(shownMessage(message));
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.abort.abort();
    this.disposed.fire();
    super.dispose();
    if (!this.keepPanel) this.panel.dispose();
  }
}

function panelKey(playbookId: string, subject: string | undefined): string {
  return JSON.stringify([playbookId, subject ?? null]);
}

function title(playbook: Playbook): string {
  // A workspace playbook's title is the workspace's text: shown escaped in the tab.
  return shown(vscode.l10n.t('Lifeline: {0}', playbook.title));
}

function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/\s*\r?\n\s*/g, ' ').trim();
}
