// The heavy half of the extension, loaded at first use (a command, a view, the first terminal
// output): playbooks, classification, the recovery panels and the fix-up engine. Activation
// only wires light listeners that call into this.
import type * as vscode from 'vscode';
import { Disposable } from './dispose';
import type { Settings } from './settings';
import type { Detections } from './detections';
import { PlaybookCatalog } from './playbook-catalog';
import { RecoveryPanels } from './webview/recovery-panel';
import type { OpenGuideArgs } from './webview/recovery-panel';
import { engineClassifier } from './classifier';
import type { FailureClassifier } from './classifier';
import type { WorkspaceFixups } from './workspace-fixups';
import { interimFixups } from './interim-fixups';
import { workspaceRoot } from './workspace-root';
import { workspaceConfig } from './workspace-config';
import { classifyText, recoverFromFailure } from './recover-command';
import * as z from 'zod/mini';
import { TriggerSchema } from '../core/decisions/state';

const OpenGuideArgsSchema = z.strictObject({
  subject: z.optional(z.string().check(z.maxLength(4_000))),
  params: z.optional(z.record(z.string(), z.string().check(z.maxLength(10_000)))),
  trigger: z.optional(TriggerSchema),
});

export interface FeatureBase {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  settings: Settings;
  detections: Detections;
}

export class Features extends Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly settings: Settings;
  readonly detections: Detections;
  readonly catalog: PlaybookCatalog;
  readonly panels: RecoveryPanels;
  private classifying: Promise<FailureClassifier> | undefined;
  private fixing: Promise<WorkspaceFixups> | undefined;

  constructor(readonly base: FeatureBase) {
    super();
    this.log = base.log;
    this.settings = base.settings;
    this.detections = base.detections;
    this.catalog = this._register(new PlaybookCatalog(base.context.extensionUri, base.settings, base.log));
    this._register(this.catalog.onDidChange(() => (this.classifying = undefined)));
    this.panels = this._register(
      new RecoveryPanels({
        extensionUri: base.context.extensionUri,
        log: base.log,
        catalog: this.catalog,
        fixups: () => this.fixups(),
      }),
    );
  }

  /** The classifier over the current playbooks, compiled at first use. */
  classifier(): Promise<FailureClassifier> {
    this.classifying ??= this.catalog.all().then((p) => engineClassifier(p));
    return this.classifying;
  }

  fixups(): Promise<WorkspaceFixups> {
    const root = workspaceRoot();
    this.fixing ??= Promise.resolve(interimFixups(root, () => (root ? workspaceConfig(root, this.settings, this.log) : Promise.reject(new Error('no workspace folder')))));
    return this.fixing;
  }

  recover(): Promise<void> {
    return recoverFromFailure(this);
  }

  classify(from: 'selection' | 'clipboard'): Promise<void> {
    return classifyText(this, from);
  }

  /** `lifeline.openGuide` may be called by anyone: its arguments are checked before use. */
  async openGuide(playbookId: unknown, args?: unknown): Promise<void> {
    if (typeof playbookId !== 'string') throw new Error('lifeline.openGuide needs a playbook id');
    const parsed = OpenGuideArgsSchema.safeParse(args ?? {});
    if (!parsed.success) throw new Error(`lifeline.openGuide: invalid arguments (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`);
    await this.panels.openGuide(playbookId, parsed.data as OpenGuideArgs);
  }
}

export function createFeatures(base: FeatureBase): Features {
  return new Features(base);
}
