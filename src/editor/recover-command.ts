// "Lifeline: Recover from Failure": the failures noticed in this window (newest first, with
// their evidence line), then every guide grouped by category. Choosing one opens its guide.
// Also "Classify Selection / Clipboard": name the failure in pasted output and open its guide.
import * as vscode from 'vscode';
import { shown } from '../core/text/shown';
import type { Detection } from './detections';
import type { Features } from './features';
import type { Playbook } from '../core/playbooks/model';
import type { Subject, Trigger } from '../core/decisions/state';
import type { UnrecognisedFailure } from '../core/classification/failure-classifier';
import { TRIAGE_GUIDE } from '../core/classification/classifier';
import { failureTypeLabel } from './failure-type-label';
import type { OpenGuideArgs } from './webview/recovery-panel';
import { subjectQuestion } from './webview/panel-view';
import { clip } from '../core/text/strings';

interface Item extends vscode.QuickPickItem {
  playbookId?: string;
  detection?: Detection;
  /** Classify pasted output instead of choosing a guide. */
  classify?: 'selection' | 'clipboard';
}

/** "Classify..." entries, after the noticed failures and before the guides. */
function withClassify(items: Item[], hasSelection: boolean): Item[] {
  const at = items.findIndex((it, i) => it.kind === vscode.QuickPickItemKind.Separator && !items[i + 1]?.detection);
  const classify: Item[] = [
    { label: vscode.l10n.t('Classify output'), kind: vscode.QuickPickItemKind.Separator },
    ...(hasSelection ? [{ label: `$(selection) ${vscode.l10n.t('Classify Selection')}`, detail: vscode.l10n.t('Name the failure in the selected text'), classify: 'selection' as const }] : []),
    { label: `$(clippy) ${vscode.l10n.t('Classify Clipboard')}`, detail: vscode.l10n.t('Name the failure in output you copied'), classify: 'clipboard' },
  ];
  return at < 0 ? [...items, ...classify] : [...items.slice(0, at), ...classify, ...items.slice(at)];
}

/** The quick pick's items: detections, then playbooks by category under separators. */
export function recoverItems(detections: readonly Detection[], playbooks: readonly Playbook[], now = Date.now()): Item[] {
  const items: Item[] = [];
  const open = detections.filter((d) => !d.closed);
  if (open.length) {
    items.push({ label: vscode.l10n.t('Noticed in this window'), kind: vscode.QuickPickItemKind.Separator });
    for (const d of open) {
      items.push({
        label: `$(warning) ${shown(d.title)}`,
        description: [sourceLabel(d), ago(d.at.getTime(), now), d.count > 1 ? vscode.l10n.t('seen {0} times', d.count) : ''].filter(Boolean).join(' · '),
        detail: shown(d.evidence[0]?.text ?? d.commandLine ?? ''),
        playbookId: d.scenario,
        detection: d,
      });
    }
  }
  const byCategory = new Map<string, Playbook[]>();
  for (const p of playbooks) byCategory.set(p.category, [...(byCategory.get(p.category) ?? []), p]);
  for (const category of [...byCategory.keys()].sort((a, b) => a.localeCompare(b))) {
    items.push({ label: category, kind: vscode.QuickPickItemKind.Separator });
    for (const p of byCategory.get(category)!.sort((a, b) => a.title.localeCompare(b.title))) {
      items.push({ label: shown(p.title), description: p.id, ...(p.summary ? { detail: shown(p.summary) } : {}), playbookId: p.id });
    }
  }
  return items;
}

export async function recoverFromFailure(features: Features): Promise<void> {
  const playbooks = await features.catalog.all();
  const hasSelection = vscode.window.activeTextEditor?.selections.some((s) => !s.isEmpty) ?? false;
  const pick = await vscode.window.showQuickPick(withClassify(recoverItems(features.detections.list(), playbooks), hasSelection), {
    title: vscode.l10n.t('Lifeline: Recover from Failure'),
    placeHolder: vscode.l10n.t('Which failure are you recovering from?'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (pick?.classify) return classifyText(features, pick.classify);
  if (!pick?.playbookId) return;
  features.log.info(`recover: chose ${pick.playbookId}${pick.detection ? ' (noticed failure)' : ''}`);
  let args: OpenGuideArgs = pick.detection ? detectionArgs(pick.detection) : {};
  const playbook = playbooks.find((p) => p.id === pick.playbookId);
  if (playbook && args.subject === undefined) {
    const about = await pickSubject(features, playbook);
    if (!about) return; // dismissed: nothing opens
    args = { ...args, ...about };
  }
  await features.panels.openGuide(pick.playbookId, args);
}

interface SubjectItem extends vscode.QuickPickItem {
  subject?: string;
  each?: true;
}

/**
 * What a guide about a subject is about, asked before it opens: a quick pick of what the
 * diagnosis finds (a workstream with its state, a worktree...), then "all of them, one by one".
 * `{}` when there is nothing to ask (the guide starts where its playbook says, or says what it
 * could not find); undefined when the user dismissed the pick.
 */
export async function pickSubject(features: Features, playbook: Playbook): Promise<{ subject?: string; each?: true } | undefined> {
  const spec = playbook.subject;
  if (!spec || spec.ask === false) return {};
  let found: Subject[];
  try {
    found = await (await features.fixups()).subjects(spec);
  } catch (e) {
    features.log.warn(`recover: could not list what ${playbook.id} is about: ${e instanceof Error ? e.message : String(e)}`);
    return {}; // the guide itself says what went wrong
  }
  if (found.length === 0) return {};
  if (found.length === 1) return { subject: found[0]!.id };
  const items: SubjectItem[] = [
    ...found.slice(0, 200).map((f) => ({ label: f.id, detail: f.label, subject: f.id })),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: `$(list-ordered) ${vscode.l10n.t('All of them, one by one')}`, detail: vscode.l10n.t('The guide takes each in turn and moves on by itself until none is left.'), each: true },
  ];
  const chosen = await vscode.window.showQuickPick(items, {
    title: `${playbook.title}: ${subjectQuestion(playbook, vscode.l10n.t)}`,
    placeHolder: vscode.l10n.t('Lifeline found these in the workspace; the guide takes one at a time.'),
    matchOnDetail: true,
  });
  if (!chosen) return undefined;
  return chosen.each ? { each: true } : chosen.subject !== undefined ? { subject: chosen.subject } : undefined;
}

/** Guide arguments for a noticed failure. */
export function detectionArgs(d: Detection): { subject?: string; trigger: Trigger } {
  return {
    ...(d.subject !== undefined ? { subject: d.subject } : {}),
    trigger: {
      source: d.source,
      at: d.at.toISOString(),
      evidence: d.evidence.slice(0, 50),
      fingerprint: d.fingerprint,
      ...(d.commandLine !== undefined ? { commandLine: d.commandLine.slice(0, 4_000) } : {}),
      ...(d.exitCode !== undefined ? { exitCode: d.exitCode } : {}),
      ...(d.confidence !== undefined ? { confidence: d.confidence } : {}),
    },
  };
}

/** Classifies the selection (or the whole document when nothing is selected), or the clipboard. */
export async function classifyText(features: Features, from: 'selection' | 'clipboard'): Promise<void> {
  let text: string;
  if (from === 'clipboard') {
    text = await vscode.env.clipboard.readText();
  } else {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open the output to classify in an editor and select it first.'));
      return;
    }
    text = editor.selections.some((s) => !s.isEmpty) ? editor.selections.map((s) => editor.document.getText(s)).join('\n') : editor.document.getText();
  }
  if (!text.trim()) {
    void vscode.window.showInformationMessage(from === 'clipboard' ? vscode.l10n.t('The clipboard is empty.') : vscode.l10n.t('There is no text to classify.'));
    return;
  }
  const classifier = await features.classifier();
  const c = classifier.classify(text, 'log');
  if (c?.kind === 'unrecognised') return offerTriage(features, from, c);
  if (!c) {
    features.log.info(`classify ${from}: no known failure recognised (${text.length} characters)`);
    const pickOne = vscode.l10n.t('Pick a guide…');
    const answer = await vscode.window.showInformationMessage(vscode.l10n.t('Lifeline does not recognise a known failure in this text.'), pickOne);
    if (answer === pickOne) await recoverFromFailure(features);
    return;
  }
  const playbook = await features.catalog.get(c.scenario);
  const { detection } = features.detections.add({
    scenario: c.scenario,
    title: playbook?.title ?? c.scenario,
    fingerprint: c.fingerprint,
    source: from,
    evidence: c.evidence,
    at: new Date(),
    confidence: c.confidence,
  });
  features.log.info(`classify ${from}: ${c.scenario} (confidence ${c.confidence.toFixed(2)})`);
  await features.panels.openGuide(c.scenario, detectionArgs(detection));
}

/**
 * The text clearly failed (a traceback, a FAIL summary, an exit line) but no playbook knows how:
 * say so with the failure type, note it among the noticed failures, and offer the triage guide.
 */
async function offerTriage(features: Features, from: 'selection' | 'clipboard', c: UnrecognisedFailure): Promise<void> {
  const kind = failureTypeLabel(c.failureType);
  const first = c.evidence[0]?.text;
  const guide = c.guide ?? TRIAGE_GUIDE;
  const { detection } = features.detections.add({
    scenario: guide,
    title: vscode.l10n.t('Unrecognised {0}', kind),
    fingerprint: `triage|${c.failureType}|${from}|${first ?? ''}`,
    source: from,
    evidence: c.evidence,
    at: new Date(),
    failureType: c.failureType,
  });
  const message = first
    ? vscode.l10n.t('This text shows a failure ({0}) that no playbook recognises: {1}', kind, clip(first, 120))
    : vscode.l10n.t('This text shows a failure ({0}) that no playbook recognises.', kind);
  const open = vscode.l10n.t('Open Triage Guide');
  const pickOne = vscode.l10n.t('Pick a guide…');
  features.log.info(`classify ${from}: failed (${c.failureType}), no playbook matched; offered: ${message} [${open}] [${pickOne}]`);
  const answer = await vscode.window.showWarningMessage(message, open, pickOne);
  if (answer === open) await features.panels.openGuide(guide, detectionArgs(detection));
  else if (answer === pickOne) await recoverFromFailure(features);
}

function sourceLabel(d: Detection): string {
  switch (d.source) {
    case 'terminal':
      return d.commandLine ? vscode.l10n.t('terminal: {0}', shown(clip(d.commandLine, 60))) : vscode.l10n.t('terminal');
    case 'task':
      return vscode.l10n.t('task');
    case 'test':
      return vscode.l10n.t('test report');
    case 'selection':
      return vscode.l10n.t('selection');
    case 'clipboard':
      return vscode.l10n.t('clipboard');
    case 'tree':
      return vscode.l10n.t('workstreams');
    case 'manual':
      return '';
  }
}

function ago(then: number, now: number): string {
  const s = Math.max(0, Math.round((now - then) / 1000));
  if (s < 60) return vscode.l10n.t('just now');
  if (s < 3600) return vscode.l10n.t('{0} min ago', Math.round(s / 60));
  return vscode.l10n.t('{0} h ago', Math.round(s / 3600));
}
