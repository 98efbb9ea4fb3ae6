// Builds the recovery panel's view from a session: what the page shows, already worded and
// localised, so the page only renders. No `vscode` import (the localiser is passed in), so it is
// unit-tested outside the editor.
import { CHECK_PROBES, FIXUP_ACTIONS, SEVERITY_LEVELS } from '../../core/playbooks/model';
import type { Playbook, Severity } from '../../core/playbooks/model';
import { effectUndoable } from '../../core/fixups/effects';
import { rowChanges, showCell } from '../../core/fixups/row-changes';
import type { Preview } from '../../core/fixups/types';
import { effectBadge } from '../effect-text';
import type { PathEntry, SessionState, StepResult } from '../../core/decisions/state';
import { fillCommand, missingActionInputs, readable } from '../../core/decisions/fill';
import { outline, progress } from '../../core/decisions/outline';
import type { OutlineVia } from '../../core/decisions/outline';
import type { CurrentView, OutlineEntryView, PanelView, PreviewView, StringKey, Strings } from '../../webview/protocol';
import { STRING_KEYS } from '../../webview/protocol';
import { formatActionId } from '../../core/fixups/action-id';

/** vscode.l10n.t's shape: a message with {0}-style placeholders. */
export type Localize = (message: string, ...args: (string | number | boolean)[]) => string;

export interface ViewContext {
  t: Localize;
  trusted: boolean;
  /** Title of another playbook (for hand-offs), when it exists. */
  titleOf(playbookId: string): string | undefined;
  /** Where node `nodeId` is written ("runbook.md:12"), when the playbook came from a file. */
  sourceOf?(nodeId: string): string | undefined;
  /** Whose shell commands come first among a step's variants; the host's platform by default. */
  platform?: NodeJS.Platform;
  /** For showing times as people read them: the UI language (vscode.env.language), "now", and a fixed zone for tests. */
  locale?: string;
  now?: Date;
  timeZone?: string;
}

export function panelView(playbook: Playbook, state: SessionState, ctx: ViewContext): PanelView {
  const { t } = ctx;
  const level = SEVERITY_LEVELS[playbook.severity as Severity];
  const time = (iso: string) => humanTime(iso, ctx);
  const steps = progress(playbook, state);
  const passed = passedTitles(state);
  return {
    sessionId: state.id,
    scenario: {
      id: playbook.id,
      title: playbook.title,
      ...(playbook.summary ? { summary: playbook.summary } : {}),
      category: playbook.category,
      severity: playbook.severity,
      severityText: t('{0} — {1}: {2}', playbook.severity, level.name, level.response),
      severityShort: t('Severity {0}', playbook.severity),
      recoverable: playbook.recoverable,
      recoverableReason: playbook.recoverableReason,
    },
    ...(state.subject ? { subject: state.subject } : {}),
    ...(origin(state, t, time) ? { origin: origin(state, t, time)! } : {}),
    evidence: (state.trigger?.evidence ?? []).map((e) => (e.line !== undefined ? `${e.line}: ${e.text}` : e.text)),
    path: state.path.map((p) => pathLine(p, t)),
    current: currentView(playbook, state, ctx, ctx.platform ?? process.platform),
    progress: { step: steps.step, total: steps.total, text: steps.ended ? t('Step {0} of {1}', steps.step, steps.total) : t('Step {0} of about {1}', steps.step, steps.total) },
    outline: outline(playbook, state).map((e): OutlineEntryView => {
      const words = e.result ? resultWords(e.result, t) : undefined;
      return {
        nodeId: e.nodeId,
        kind: e.kind,
        // Filled in as the step read when the walk passed it (a loop moves to other subjects), else
        // for the subject now: "Does ws-15's branch ...", never {{ws-id}}.
        title: (e.status === 'visited' ? passed.get(e.nodeId) : undefined) ?? readable(playbook, state, e.title),
        depth: e.depth,
        ...(e.via ? { via: readable(playbook, state, viaWords(e.via, t)) } : {}),
        taken: e.taken,
        status: e.status,
        ref: e.ref,
        ...(words && !e.ref ? { outcome: e.visits > 1 ? t('{0} (passed {1} times)', words.outcome, e.visits) : words.outcome } : {}),
        // An automatic check's evidence is in its outcome already; what the user was told when answering stays apart.
        ...(words?.evidence && !e.ref && e.result?.type === 'check' && e.result.by === 'user' ? { evidence: words.evidence } : {}),
        canGoBack: e.canGoBack,
      };
    }),
    actions: state.actions.map((a) => {
      const handOffTitle = a.handOff ? ctx.titleOf(a.handOff) : undefined;
      return {
        title: a.title,
        actionId: a.actionId,
        at: time(a.at),
        ok: a.ok,
        message: a.message,
        output: a.output ?? [],
        ...(a.journalId ? { journalId: a.journalId } : {}),
        ...(a.undone ? { undone: time(a.undone) } : {}),
        undoable: Boolean(a.journalId) && !a.undone && effectUndoable(a.effect),
        ...(a.handOff && handOffTitle ? { handOff: { playbookId: a.handOff, title: handOffTitle } } : {}),
      };
    }),
    trusted: ctx.trusted,
    canGoBack: state.path.some((p) => !(p.result.type === 'check' && p.result.by === 'probe')) && state.pending.kind !== 'applying',
  };
}

function origin(state: SessionState, t: Localize, time: (iso: string) => string): string | undefined {
  const tr = state.trigger;
  if (!tr) return undefined;
  const where = {
    terminal: t('Terminal'),
    task: t('Task'),
    test: t('Test report'),
    selection: t('Selected text'),
    clipboard: t('Clipboard'),
    tree: t('Stuck Workstreams view'),
    manual: t('Opened by hand'),
  }[tr.source];
  const parts = [where];
  if (tr.commandLine) parts.push(tr.commandLine);
  if (tr.exitCode !== undefined) parts.push(t('exit code {0}', tr.exitCode));
  if (tr.confidence !== undefined) parts.push(t('confidence {0}%', Math.round(tr.confidence * 100)));
  parts.push(time(tr.at));
  return parts.join(' · ');
}

/**
 * An ISO time as people read it, in the UI language: "21:26" today, "1 Dec, 21:26" another day.
 * The exact ISO stays in the report and the journal.
 */
export function humanTime(iso: string, ctx: Pick<ViewContext, 'locale' | 'now' | 'timeZone'> = {}): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const zone = ctx.timeZone ? { timeZone: ctx.timeZone } : {};
  const format = (options: Intl.DateTimeFormatOptions, at: Date) => {
    try {
      return new Intl.DateTimeFormat(ctx.locale, { ...options, ...zone }).format(at);
    } catch {
      // An unknown UI language: the runtime's own.
      return new Intl.DateTimeFormat(undefined, { ...options, ...zone }).format(at);
    }
  };
  const day: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'numeric', day: 'numeric' };
  const sameDay = format(day, d) === format(day, ctx.now ?? new Date());
  return sameDay ? format({ hour: '2-digit', minute: '2-digit' }, d) : format({ day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }, d);
}

/** A result as words: the outcome ("yes (checked)") and, apart, what the check saw. */
function resultWords(r: StepResult, t: Localize): { outcome: string; answer?: string; by?: string; evidence?: string } {
  switch (r.type) {
    case 'check': {
      const answer = r.answer === 'yes' ? t('yes') : r.answer === 'no' ? t('no') : t('could not tell');
      const by = r.by === 'user' ? t('answered by you') : t('checked');
      // What an automatic check saw is its answer's reason: "yes: 1 commit ahead of main, last 290 min ago".
      const outcome = r.by === 'probe' && r.detail ? t('{0}: {1}', answer, r.detail) : `${answer} (${by})`;
      return { outcome, answer, by, ...(r.detail ? { evidence: r.detail } : {}) };
    }
    case 'choice':
      return { outcome: r.label };
    case 'action':
      return { outcome: r.ok ? t('done: {0}', r.message) : t('failed: {0}', r.message) };
    case 'declined':
      return { outcome: r.reason === 'skipped' ? t('skipped') : r.reason ? t('not run: {0}', r.reason) : t('not run') };
    case 'acknowledged':
      return { outcome: t('done (you confirmed you ran it)') };
    case 'done':
      return { outcome: t('done') };
  }
}

function viaWords(via: OutlineVia, t: Localize): string {
  switch (via.kind) {
    case 'yes':
      return t('yes');
    case 'no':
      return t('no');
    case 'unknown':
      return t('could not tell');
    case 'failure':
      return t('if it fails');
    case 'option':
      return via.label;
  }
}

/** Each passed node's title as it read the last time the walk passed it. */
function passedTitles(state: SessionState): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of state.path) out.set(p.nodeId, p.title);
  return out;
}

/** The checks that answered themselves on the way to the current step (since the user last decided), with what they saw. */
function justChecked(state: SessionState, t: Localize): { title: string; outcome: string }[] {
  const out: { title: string; outcome: string }[] = [];
  for (let i = state.path.length - 1; i >= 0; i--) {
    const p = state.path[i]!;
    if (p.result.type !== 'check' || p.result.by !== 'probe') break;
    out.unshift({ title: p.title, outcome: resultWords(p.result, t).outcome });
  }
  return out.slice(-10);
}

function pathLine(p: PathEntry, t: Localize): PanelView['path'][number] {
  const r = p.result;
  const w = resultWords(r, t);
  const tone = r.type === 'action' ? (r.ok ? 'good' : 'bad') : r.type === 'done' || r.type === 'acknowledged' ? 'good' : 'neutral';
  return { title: p.title, outcome: w.evidence && r.type === 'check' && r.by === 'user' ? `${w.answer} (${w.by}: ${w.evidence})` : w.outcome, tone };
}

function currentView(playbook: Playbook, state: SessionState, ctx: ViewContext, platform: NodeJS.Platform): CurrentView {
  const { t } = ctx;
  const node = playbook.nodes.find((n) => n.id === state.current);
  if (!node) throw new Error(`playbook ${playbook.id} has no node ${state.current}`);
  const source = ctx.sourceOf?.(node.id);
  const checked = justChecked(state, t);
  const base = { nodeId: node.id, title: readable(playbook, state, node.title), ...(node.body ? { body: readable(playbook, state, node.body) } : {}), ...(source ? { source } : {}), ...(checked.length ? { checked } : {}) };
  const p = state.pending;
  switch (p.kind) {
    case 'finding-subjects':
      return { ...base, kind: 'finding-subjects' };
    case 'subject':
      return { ...base, title: subjectQuestion(playbook, t), kind: 'subject', question: t('Lifeline found these in the workspace; the guide takes one at a time.'), options: p.options.map((o) => ({ id: o.id, label: o.label })), ...(p.problem ? { problem: p.problem } : {}) };
    case 'verifying':
      return { ...base, kind: 'verifying' };
    case 'step':
      return {
        ...base,
        kind: 'step',
        commands:
          node.kind === 'step'
            ? nativeShellFirst(node.commands, platform).map((index) => {
                const c = fillCommand(playbook, state, node, index)!;
                return { index, run: c.run, shell: c.shell, ...(c.description ? { description: c.description } : {}), ...(c.missing.length ? { missing: c.missing } : {}) };
              })
            : [],
        ...(node.kind === 'step' && node.destructive ? { destructive: true } : {}),
      };
    case 'checking':
      return { ...base, kind: 'checking', question: t(CHECK_PROBES[p.probe]) };
    case 'ask':
      return { ...base, kind: 'ask', question: t(CHECK_PROBES[p.probe]), ...(p.detail ? { detail: p.detail } : {}) };
    case 'choice':
      return { ...base, kind: 'choice', options: node.kind === 'question' ? node.options.map((o) => readable(playbook, state, o.label)) : [] };
    case 'previewing':
      return { ...base, kind: 'previewing', actionId: formatActionId(p.target.action, p.target.subject), description: t(FIXUP_ACTIONS[p.target.action]) };
    case 'confirm':
      return {
        ...base,
        kind: 'confirm',
        actionId: formatActionId(p.target.action, p.target.subject),
        description: t(FIXUP_ACTIONS[p.target.action]),
        ...(p.preview ? { preview: previewView(p.preview) } : {}),
        ...(p.blocked ? { blocked: { reason: p.blocked.code === 'untrusted' ? t('This workspace is not trusted: Lifeline only diagnoses here and runs no fix-ups.') : p.blocked.reason, code: p.blocked.code } } : {}),
        ...(p.failure ? { failure: p.failure.message } : {}),
        ...(p.blocked?.code === 'input' ? { inputs: missingActionInputs(playbook, state, node) } : {}),
        ...(p.declined ? { declined: true } : {}),
        ...(node.kind === 'action' && node.skip ? { canSkip: true } : {}),
      };
    case 'applying':
      return { ...base, kind: 'applying', actionId: formatActionId(p.target.action, p.target.subject), description: t(FIXUP_ACTIONS[p.target.action]) };
    case 'ended': {
      const remaining = p.remaining?.map((r) => {
        const guideTitle = ctx.titleOf(r.scenario);
        return { id: r.id, subject: r.subject, detail: r.detail, playbookId: r.scenario, ...(guideTitle ? { guideTitle } : {}), mine: r.mine };
      });
      return { ...base, kind: 'ended', outcome: p.outcome, ...(p.reason ? { reason: p.reason } : {}), ...(remaining ? { remaining, summary: endSummary(remaining, t) } : {}) };
    }
  }
}

/** "What is this guide about?" in the words of the playbook's subject kind. */
/** "Which workstream is this guide about?" (the guide's subject choice, and the palette's quick pick). */
export function subjectQuestion(playbook: Playbook, t: Localize): string {
  switch (playbook.subject?.kind) {
    case 'workstream':
      return t('Which workstream is this guide about?');
    case 'worktree':
      return t('Which worktree is this guide about?');
    case 'branch':
      return t('Which branch is this guide about?');
    case 'test':
      return t('Which test is this guide about?');
    default:
      return t('What is this guide about?');
  }
}

/** One line on what the diagnosis still finds at the end, about this guide's subjects first. */
export function endSummary(remaining: readonly { mine: boolean }[], t: Localize): string {
  const mine = remaining.filter((r) => r.mine).length;
  const other = remaining.length - mine;
  if (mine === 0 && other === 0) return t('The diagnosis finds no problem left in the workspace.');
  if (mine === 0) return other === 1 ? t('Nothing is left of what this guide handled; 1 other problem remains in the workspace.') : t('Nothing is left of what this guide handled; {0} other problems remain in the workspace.', other);
  const head = mine === 1 ? t('1 problem remains about what this guide handled') : t('{0} problems remain about what this guide handled', mine);
  return other === 0 ? t('{0}.', head) : other === 1 ? t('{0}, and 1 other in the workspace.', head) : t('{0}, and {1} others in the workspace.', head, other);
}

/** The preview exactly as the handler gave it, worded for reading: argv as a command line, rows as a table. */
/**
 * The order to show a step's commands in, as indexes into `commands`. Playbooks list the variants
 * of one command for each shell side by side (PowerShell, then bash); within each such run the
 * platform's own shell comes first. Shell-neutral commands (and SQL) keep their places, since a
 * step's commands may be a sequence.
 */
export function nativeShellFirst(commands: readonly { shell: string }[], platform: NodeJS.Platform): number[] {
  const windows = platform === 'win32';
  const rank = (shell: string) => ((shell === 'powershell' || shell === 'cmd') === windows ? 0 : 1);
  const specific = (shell: string) => shell === 'bash' || shell === 'powershell' || shell === 'cmd';
  const order: number[] = [];
  for (let i = 0; i < commands.length; ) {
    if (!specific(commands[i]!.shell)) {
      order.push(i++);
      continue;
    }
    const run: number[] = [];
    while (i < commands.length && specific(commands[i]!.shell)) run.push(i++);
    order.push(...run.sort((a, b) => rank(commands[a]!.shell) - rank(commands[b]!.shell) || a - b));
  }
  return order;
}

export function previewView(p: Preview): PreviewView {
  return {
    title: p.title,
    git: (p.git ?? []).map((argv) => ['git', ...argv].map(quoteArg).join(' ')),
    sql: (p.sql ?? []).map((q) => {
      const { columns, changed } = rowChanges(q);
      const table = (rows: Record<string, unknown>[]) => rows.slice(0, 200).map((r) => columns.map((c) => cell(r[c])));
      return { statement: q.statement, columns, changedColumns: changed.length, rows: table(q.rows), ...(q.after ? { after: table(q.after) } : {}) };
    }),
    files: p.files ?? [],
    notes: p.notes,
    effect: p.effect,
    ...(p.refusal ? { refusal: p.refusal } : {}),
    ...(p.discards ? { discards: p.discards } : {}),
  };
}

/**
 * Shows one argv element so a reader sees its boundaries: quoted when it holds spaces, quotes
 * or nothing. For reading only — the handler runs the argv itself, never this text.
 */
export function quoteArg(arg: string): string {
  if (arg !== '' && /^[\w@%+=:,./-]+$/u.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

function cell(v: unknown): string {
  const s = showCell(v);
  return s.length > 2_000 ? `${s.slice(0, 1_999)}…` : s;
}

/** The page's fixed strings, localised. */
export function panelStrings(t: Localize): Strings {
  const english: Record<StringKey, string> = {
    evidence: t('What was seen'),
    noEvidence: t('No output was captured; this guide was opened by hand.'),
    pathTaken: t('Path taken'),
    pathEmpty: t('Nothing yet: this is the first step.'),
    now: t('Now'),
    fixupsRun: t('Fix-ups run'),
    severity: t('Severity'),
    subject: t('About'),
    origin: t('Seen in'),
    done: t('Done — next step'),
    putInTerminal: t('Put in terminal'),
    copyCommand: t('Copy command'),
    yes: t('Yes'),
    no: t('No'),
    checkAgain: t('Check again'),
    checking: t('Checking:'),
    couldNotTell: t('Lifeline could not tell by itself.'),
    preparingPreview: t('Preparing a preview of exactly what will change…'),
    runFixup: t('Run this fix-up'),
    dontRun: t("Don't run it"),
    previewAgain: t('Preview again'),
    destructive: effectBadge('destructive', t),
    reversible: effectBadge('reversible', t),
    irreversible: effectBadge('irreversible', t),
    readOnly: effectBadge('read-only', t),
    gitCommands: t('Git commands it will run'),
    sqlStatements: t('SQL it will run, with the rows it changes'),
    beforeAfter: t('Each row before → after; changed columns first'),
    changesTo: t('changes to'),
    filesTouched: t('Files it writes, moves or deletes'),
    notes: t('What changes and how to undo it'),
    notesNoUndo: t('What changes'),
    discardsTitle: t('This work would be lost'),
    discardConfirm: t('I accept losing exactly the work listed above'),
    refused: t('Refused for safety:'),
    blocked: t('Cannot run now:'),
    lastAttemptFailed: t('The last attempt did not work:'),
    running: t('Running:'),
    resolved: t('Resolved: the guide is complete.'),
    escalate: t('Escalate: this needs a person. Copy the failure report and hand it over.'),
    undo: t('Undo'),
    undone: t('undone'),
    worked: t('worked'),
    failed: t('did not work'),
    output: t('Output'),
    continueWith: t('Continue with'),
    back: t('Back'),
    copyReport: t('Copy failure report'),
    untrusted: t('Restricted Mode: this workspace is not trusted, so Lifeline only diagnoses here. Fix-ups and undo are offered once you trust the folder.'),
    copyAnalysis: t('Copy recovery analysis (JSON)'),
    working: t('Working…'),
    recoverable: t('Recoverable'),
    notRecoverable: t('Needs a person'),
    journal: t('Recovery actions'),
    allOneByOne: t('All of them, one by one'),
    findingSubjects: t('Looking at the workspace for what this guide can be about…'),
    needsValue: t('Needs a value:'),
    useValue: t('Use this value'),
    fillFirst: t('Fill in the value first; the command cannot go to a terminal with a blank in it.'),
    destructiveStep: t('These commands can destroy work (for example uncommitted changes). "Done" counts only if you confirm you ran them knowingly.'),
    acknowledgeStep: t('I ran it and accept what it discards'),
    skipStep: t('Skip — I did not run it'),
    skipFixup: t('Skip it'),
    declinedNote: t('Not run: nothing was changed. Run it after all, preview it again, or go back.'),
    verifying: t('Checking the workspace once more to see what is left…'),
    openIt: t('Open its guide'),
    elsewhere: t('Elsewhere in the workspace'),
    notVerified: t('Lifeline could not look at the workspace again; check the Lifeline view for what is left.'),
    map: t('Map of this guide'),
    youAreHere: t('you are here'),
    notTaken: t('not taken'),
    ahead: t('still ahead'),
    visited: t('passed'),
    goBackTo: t('Go back to'),
    seeAbove: t('see above'),
    copied: t('Copied'),
    keyboardHint: t('Keys: Enter runs the highlighted action, 1–9 pick an option, Alt+Left goes back.'),
    openSource: t('Written at'),
    checkedOnTheWay: t('Checked on the way here'),
  };
  // Every key the page needs is present (the protocol's list is the contract).
  for (const k of STRING_KEYS) if (!english[k]) throw new Error(`missing panel string ${k}`);
  return english;
}
