// The heavy half of the extension, loaded at first use (a command, a view, the first terminal
// output): playbooks, classification, the recovery panels and the fix-up engine. Activation
// only wires light listeners that call into this.
import * as vscode from 'vscode';
import { isAbsolute } from 'node:path';
import { Disposable } from './dispose';
import type { Settings } from './settings';
import type { Detections } from './detections';
import { PlaybookCatalog } from './playbook-catalog';
import { RecoveryPanels } from './webview/recovery-panel';
import type { OpenGuideArgs } from './webview/recovery-panel';
import { engineClassifier } from '../core/classification/failure-classifier';
import type { FailureClassifier } from '../core/classification/failure-classifier';
import type { WorkspaceFixups } from '../core/engine/workspace-fixups';
import { engineFixups } from '../core/engine/workspace-service';
import { workspaceRoot } from './workspace-root';
import { Notifier } from './notifier';
import { TestResults } from './testing/test-results';
import type { TestProblems } from './testing/test-problems';
import { OutputWatch } from './terminal/output-watch';
import { CommandPty, validTaskDefinition } from './tasks/command-pty';
import { STRIKES } from '../core/classification/repeats';
import { classifyText, recoverFromFailure } from './recover-command';
import { undoFromJournal } from './undo-command';
import { preflightCheck } from './preflight-command';
import * as z from 'zod/mini';
import { TriggerSchema } from '../core/decisions/state';
import { Authoring } from './authoring/authoring';
import { AgentTools } from './agents/agent-tools';
import { ConnectAgent } from './agents/connect-agent';

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
  testProblems: TestProblems;
}

export class Features extends Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly settings: Settings;
  readonly detections: Detections;
  readonly catalog: PlaybookCatalog;
  readonly panels: RecoveryPanels;
  readonly notifier: Notifier;
  readonly testResults: TestResults;
  readonly output: OutputWatch;
  readonly authoring: Authoring;
  readonly agentTools: AgentTools;
  readonly connectAgent: ConnectAgent;
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
    this.authoring = this._register(new Authoring({ catalog: this.catalog, panels: this.panels, log: base.log }));
    this.connectAgent = this._register(new ConnectAgent(base.context.extensionPath, base.log));
    this.agentTools = new AgentTools({ catalog: this.catalog, panels: this.panels, settings: base.settings, fixups: () => this.fixups(), log: base.log });
    this.notifier = this._register(new Notifier({
      state: base.context.workspaceState,
      settings: base.settings,
      detections: base.detections,
      openGuide: (id, args) => this.panels.openGuide(id, args),
      log: base.log,
    }));
    this.testResults = new TestResults({ problems: base.testProblems, detections: base.detections, classifier: () => this.classifier(), log: base.log });
    this.output = this._register(
      new OutputWatch({
        classifier: () => this.classifier(),
        fixups: () => this.fixups(),
        testResults: this.testResults,
        detections: base.detections,
        notifier: this.notifier,
        log: base.log,
      }),
    );
  }

  /** The classifier over the current playbooks, compiled at first use. */
  classifier(): Promise<FailureClassifier> {
    this.classifying ??= this.catalog.all().then((p) => engineClassifier(p));
    return this.classifying;
  }

  /** The fix-up engine; the third-strike check is answered here, from what this window saw. */
  fixups(): Promise<WorkspaceFixups> {
    const root = workspaceRoot();
    this.fixing ??= Promise.resolve(root ? engineFixups({ folder: root.fsPath, override: () => this.settings.current.orchestration }) : noWorkspace()).then((engine) => ({
      ...engine,
      probe: async (probe, subject) => (probe === 'repeat.third-strike' ? this.thirdStrike() : engine.probe(probe, subject)),
    }));
    return this.fixing;
  }

  private thirdStrike(): { answer: 'yes' | 'no'; detail: string } {
    const worst = this.detections.list().reduce((m, d) => Math.max(m, d.count), 0);
    return { answer: worst >= STRIKES ? 'yes' : 'no', detail: worst === 1 ? vscode.l10n.t('the most repeated failure in this window was seen once') : vscode.l10n.t('the most repeated failure in this window was seen {0} times', worst) };
  }

  /** The pseudoterminal of a `lifeline` task. */
  commandPty(definition: vscode.TaskDefinition): vscode.Pseudoterminal {
    const valid = validTaskDefinition(definition);
    if (typeof valid === 'string') throw new Error(valid);
    const root = workspaceRoot();
    const cwd = valid.cwd ? (isAbsolute(valid.cwd) ? valid.cwd : root ? vscode.Uri.joinPath(root, valid.cwd).fsPath : valid.cwd) : root?.fsPath;
    return new CommandPty(valid, cwd, this.output, this.log);
  }

  /** "Tests broke after a merge?": the guide that tests recent merges with this test's command. */
  async findBreakingMerge(arg: unknown): Promise<void> {
    const a = arg as { argv?: unknown; label?: unknown } | undefined;
    if (!a || !Array.isArray(a.argv) || !a.argv.length || a.argv.some((x) => typeof x !== 'string')) throw new Error(vscode.l10n.t('lifeline.findBreakingMerge needs the test command'));
    await this.panels.openGuide('tests-fail-after-merge', {
      params: { test: JSON.stringify(a.argv) },
      trigger: { source: 'test', at: new Date().toISOString(), evidence: [{ text: typeof a.label === 'string' ? a.label : (a.argv as string[]).join(' ') }], commandLine: (a.argv as string[]).join(' ') },
    });
  }

  recover(): Promise<void> {
    return recoverFromFailure(this);
  }

  preflight(): Promise<void> {
    return preflightCheck(this);
  }

  undoFromJournal(): Promise<void> {
    return undoFromJournal(this);
  }

  classify(from: 'selection' | 'clipboard'): Promise<void> {
    return classifyText(this, from);
  }

  /** `lifeline.openGuide` may be called by anyone: its arguments are checked before use. */
  async openGuide(playbookId: unknown, args?: unknown): Promise<void> {
    if (typeof playbookId !== 'string') throw new Error(vscode.l10n.t('lifeline.openGuide needs a playbook id'));
    const parsed = OpenGuideArgsSchema.safeParse(args ?? {});
    if (!parsed.success) throw new Error(vscode.l10n.t('lifeline.openGuide: invalid arguments ({0}: {1})', parsed.error.issues[0]?.path.join('.') ?? '', parsed.error.issues[0]?.message ?? ''));
    await this.panels.openGuide(playbookId, parsed.data as OpenGuideArgs);
  }
}

/** Without a folder there is nothing to diagnose or fix; every call says so. */
function noWorkspace(): WorkspaceFixups {
  const why = vscode.l10n.t('Open a folder to let Lifeline look at git worktrees and the orchestration database.');
  const refuse = () => Promise.reject(new Error(why));
  return {
    probe: async () => ({ answer: 'unknown', detail: why }),
    preview: refuse,
    apply: refuse,
    undo: refuse,
    journal: async () => [],
    diagnose: async () => ({ findings: [], hasDatabase: false }),
    preflight: refuse,
    subjects: async () => [],
    bind: async () => undefined,
    remaining: refuse,
    invalidate: () => undefined,
  };
}

export function createFeatures(base: FeatureBase): Features {
  return new Features(base);
}
