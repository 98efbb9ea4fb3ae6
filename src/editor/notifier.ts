// Failure notifications: "Looks like <scenario> — Open guide / Dismiss / Don't show for this".
// At most one per fingerprint per window, never for a fingerprint the user muted (kept in
// workspace state); a different failure within the interval is queued and comes out with the
// others as one "2 failures noticed" when the interval ends (NotificationPacer). The third sighting of the same failure
// offers the "Stuck in a loop" guide instead. Forbidden command lines get an immediate warning.
import * as vscode from 'vscode';
import { shown } from '../core/text/shown';
import type { Detection } from './detections';
import type { Detections } from './detections';
import type { Settings } from './settings';
import type { ForbiddenHit } from '../core/classification/failure-classifier';
import { STRIKES } from '../core/classification/repeats';
import { detectionArgs } from './recover-command';
import { NotificationPacer } from './notification-pacer';
import { COMMANDS } from './commands';
import type { OpenGuideArgs } from './webview/recovery-panel';
import { clip } from '../core/text/strings';

const MUTED_KEY = 'lifeline.mutedFingerprints';
const MAX_MUTED = 500;
/** The guide the third strike offers (seeds 000 and 003: change approach after three failures). */
export const LOOP_GUIDE = 'infinite-loop';

export type Choice = 'open' | 'dismiss' | 'mute';

export interface Shown {
  fingerprint: string;
  kind: 'failure' | 'third-strike' | 'forbidden' | 'batch';
  message: string;
  at: number;
}

export interface NotifierDeps {
  state: vscode.Memento;
  settings: Settings;
  detections: Detections;
  openGuide(playbookId: string, args: OpenGuideArgs): Promise<unknown>;
  log: vscode.LogOutputChannel;
}

export class Notifier {
  private readonly notified = new Set<string>();
  private readonly pacer: NotificationPacer<Detection>;
  /** What was shown, newest last (tests read it; the user sees the notifications). */
  readonly shown: Shown[] = [];

  constructor(private readonly deps: NotifierDeps) {
    this.pacer = new NotificationPacer<Detection>(
      () => deps.settings.current.notifications.minIntervalSeconds * 1000,
      (batch) => this.emit(batch),
    );
  }

  /** Called for every recorded failure; decides whether to speak up. */
  failure(d: Detection): void {
    const { notifications } = this.deps.settings.current;
    if (!notifications.enabled || this.muted(d.fingerprint)) return;
    if (d.count >= STRIKES && !this.notified.has(`strike|${d.fingerprint}`)) {
      this.notified.add(`strike|${d.fingerprint}`);
      this.show(d, 'third-strike');
      return;
    }
    if (this.pacer.offer(d.fingerprint, d) === 'queued') this.deps.log.info(`notification queued behind the interval: ${d.fingerprint}`);
  }

  /** The pacer lets a failure (or the failures queued during the interval) through. */
  private emit(batch: Detection[]): void {
    // Muted or closed while it waited: not worth a word any more.
    const live = batch.filter((d) => !this.muted(d.fingerprint) && this.deps.detections.isOpen(d.fingerprint));
    if (live.length === 1) {
      this.show(live[0]!, 'failure');
      return;
    }
    if (live.length === 0) return;
    const titles = [...new Set(live.map((d) => d.title))];
    const message = shown(vscode.l10n.t('{0} failures noticed: {1}', live.length, clip(titles.join('; '), 160)));
    this.record({ fingerprint: live.map((d) => d.fingerprint).join('|'), kind: 'batch', message });
    const recover = vscode.l10n.t('Recover from Failure');
    const dismiss = vscode.l10n.t('Dismiss');
    void vscode.window.showInformationMessage(message, recover, dismiss).then((c) => {
      if (c === recover) void vscode.commands.executeCommand(COMMANDS.recover);
      else if (c === dismiss) for (const d of live) this.deps.detections.close(d.fingerprint);
    });
  }

  /**
   * A command line a playbook forbids: warn at once, with the reason, whatever the rate limit.
   * One warning per command line, however many guides forbid it (three forbid `alembic stamp
   * head`): the first guide's reason, and a button for each guide (at most three).
   */
  forbidden(commandLine: string, hits: ForbiddenHit[]): void {
    const first = hits[0];
    if (!first) return;
    const distinct = hits.filter((h, i) => hits.findIndex((o) => o.scenario === h.scenario) === i);
    const guides = distinct.slice(0, 3);
    // The command line is the terminal's and the guides may be the workspace's: shown escaped.
    const message = shown(
      distinct.length > 1
        ? vscode.l10n.t('Careful: "{0}" — {1} (from the "{2}" guide and {3} more)', clip(commandLine, 80), first.reason, first.title, distinct.length - 1)
        : vscode.l10n.t('Careful: "{0}" — {1} (from the "{2}" guide)', clip(commandLine, 80), first.reason, first.title),
    );
    this.record({ fingerprint: `forbidden|${commandLine}`, kind: 'forbidden', message });
    const buttons = guides.map((h) => (guides.length > 1 ? shown(vscode.l10n.t('Open "{0}"', h.title)) : vscode.l10n.t('Open guide')));
    void vscode.window.showWarningMessage(message, ...buttons).then((c) => {
      const i = c === undefined ? -1 : buttons.indexOf(c);
      if (i >= 0) void this.deps.openGuide(guides[i]!.scenario, {});
    });
  }

  /** What a click on the notification does (also used by tests, which cannot click). */
  async respond(d: Detection, choice: Choice, kind: 'failure' | 'third-strike' = 'failure'): Promise<void> {
    switch (choice) {
      case 'open':
        await this.deps.openGuide(kind === 'third-strike' ? LOOP_GUIDE : d.scenario, detectionArgs(d));
        return;
      case 'dismiss':
        this.deps.detections.close(d.fingerprint);
        return;
      case 'mute': {
        const muted = [...this.mutedList().filter((f) => f !== d.fingerprint), d.fingerprint].slice(-MAX_MUTED);
        await this.deps.state.update(MUTED_KEY, muted);
        this.deps.detections.close(d.fingerprint);
        return;
      }
    }
  }

  async resetMuted(): Promise<void> {
    await this.deps.state.update(MUTED_KEY, []);
    this.notified.clear();
    this.pacer.reset();
  }

  dispose(): void {
    this.pacer.dispose();
  }

  muted(fingerprint: string): boolean {
    return this.mutedList().includes(fingerprint);
  }

  private mutedList(): string[] {
    const v = this.deps.state.get<unknown>(MUTED_KEY);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  }

  private show(d: Detection, kind: 'failure' | 'third-strike'): void {
    const evidence = d.evidence[0]?.text ?? d.commandLine ?? '';
    // The evidence line is the terminal's or a report's own text: shown escaped.
    const message = shown(
      kind === 'third-strike'
        ? vscode.l10n.t('The same failure has now happened {0} times ({1}). Stuck in a loop? Change approach.', d.count, d.title)
        : evidence
          ? vscode.l10n.t('Looks like {0} — {1}', d.title, clip(evidence, 120))
          : vscode.l10n.t('Looks like {0}', d.title),
    );
    this.record({ fingerprint: d.fingerprint, kind, message });
    const open = kind === 'third-strike' ? vscode.l10n.t('Open "Stuck in a loop" guide') : vscode.l10n.t('Open guide');
    const dismiss = vscode.l10n.t('Dismiss');
    const mute = vscode.l10n.t("Don't show for this");
    const show = kind === 'third-strike' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(message, open, dismiss, mute).then((c) => {
      const choice: Choice | undefined = c === open ? 'open' : c === dismiss ? 'dismiss' : c === mute ? 'mute' : undefined;
      if (choice) void this.respond(d, choice, kind).catch((e: unknown) => this.deps.log.error(`notification: ${String(e)}`));
    });
  }

  private record(s: Omit<Shown, 'at'>): void {
    this.shown.push({ ...s, at: Date.now() });
    if (this.shown.length > 100) this.shown.shift();
    this.deps.log.info(`notified (${s.kind}): ${s.message}`);
  }
}
