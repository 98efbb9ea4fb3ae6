// Renders the recovery panel from the host's view: scenario, evidence, path taken, the current
// node (with its check, question, or fix-up preview and confirmation), the map of the whole
// guide beside it, and the fix-ups run.
import { append, button, h, prose } from './dom';
import type { CurrentView, OutlineEntryView, PageRequest, PanelView, PreviewView, StringKey, Strings } from './protocol';
import { block, destructiveStepButtons, endScreen, subjectChoice, valueInputs } from './render-subject';

/** A request without its id; main.ts numbers it. */
export type Send = (request: DistributiveOmit<PageRequest, 'requestId'>) => void;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface RenderContext {
  view: PanelView;
  strings: Strings;
  send: Send;
  /** Progress lines of the fix-up running now. */
  progress: string[];
  /** Whether the user ticked "discard exactly these" for the current preview. */
  discardChecked: boolean;
  setDiscard(checked: boolean): void;
  /** Whether the map is unfolded (the user's choice; main.ts defaults it by the panel's width). */
  mapOpen: boolean;
  setMapOpen(open: boolean): void;
  /** The request whose "Copied" the page shows next to its button, if any. */
  copied?: 'report' | 'analysis';
}

export function render(ctx: RenderContext): HTMLElement {
  const { view, strings: t } = ctx;
  const s = view.scenario;
  return h(
    'div',
    { class: 'panel' },
    h(
      'header',
      {},
      h('h1', {}, s.title),
      h(
        'p',
        { class: 'meta' },
        // Short chips; the full wording is their tooltip (and what a screen reader reads).
        h('span', { class: `badge sev-${s.severity}`, title: s.severityText, 'aria-label': `${t.severity} ${s.severityText}` }, s.severityShort),
        ' ',
        h('span', { class: 'badge', title: s.recoverableReason }, s.recoverable ? t.recoverable : t.notRecoverable),
        ' ',
        h('span', { class: 'progress-text', id: 'progress-text' }, view.progress.text),
      ),
      view.trusted ? null : h('p', { class: 'notice', role: 'note' }, t.untrusted),
      view.subject ? h('p', { class: 'line' }, h('strong', {}, `${t.subject}: `), h('code', {}, view.subject)) : null,
      view.origin ? h('p', { class: 'line' }, h('strong', {}, `${t.origin}: `), view.origin) : null,
      toolbar(ctx),
    ),
    h('main', {}, h('div', { class: 'layout' }, current(ctx), guideMap(ctx)), evidence(ctx), pathTaken(ctx), actions(ctx)),
  );
}

/**
 * The map: the whole decision graph as an outline. Visited decisions are buttons that go back
 * there; each line says in words (not only by its mark) whether it was passed, is current, is
 * still ahead or was not taken.
 */
function guideMap(ctx: RenderContext): HTMLElement {
  const t = ctx.strings;
  const details = h('details', { class: 'map', id: 'map' }, h('summary', { 'data-key': 'map-toggle' }, h('span', { id: 'map-h' }, t.map), ' · ', ctx.view.progress.text));
  details.open = ctx.mapOpen;
  details.addEventListener('toggle', () => {
    if (details.open !== ctx.mapOpen) ctx.setMapOpen(details.open);
  });
  details.append(h('ol', { class: 'outline', 'aria-labelledby': 'map-h' }, ...ctx.view.outline.map((e) => outlineLine(ctx, e))), h('p', { class: 'muted keys' }, t.keyboardHint));
  return h('aside', { class: 'map-wrap', 'aria-labelledby': 'map-h' }, details);
}

const STATUS_MARK: Record<OutlineEntryView['status'], string> = { visited: '✔', current: '▶', ahead: '○', 'not-taken': '–' };

function outlineLine(ctx: RenderContext, e: OutlineEntryView): HTMLElement {
  const t = ctx.strings;
  const statusWord = { visited: t.visited, current: t.youAreHere, ahead: t.ahead, 'not-taken': t.notTaken }[e.status];
  const li = h('li', {
    class: `status-${e.status}${e.ref ? ' ref' : ''}${e.taken ? ' taken' : ''} kind-${e.kind}`,
    'aria-current': e.status === 'current' && !e.ref ? 'step' : undefined,
  });
  li.style.setProperty('--depth', String(Math.min(e.depth, 12)));
  const label = e.canGoBack && !e.ref
    ? button(e.title, `map-${e.nodeId}`, () => ctx.send({ type: 'goBack', nodeId: e.nodeId }), { link: true, label: `${t.goBackTo} ${e.title}` })
    : h('span', { class: 'title' }, e.title);
  append(li, [
    h('span', { class: 'mark', 'aria-hidden': 'true' }, e.ref ? '↪' : STATUS_MARK[e.status]),
    e.via ? h('span', { class: 'via' }, `${e.via}: `) : null,
    label,
    h('span', { class: 'sr-only' }, ` (${e.ref ? t.seeAbove : statusWord})`),
  ]);
  if (e.ref) li.append(h('span', { class: 'muted', 'aria-hidden': 'true' }, ` (${t.seeAbove})`));
  if (e.outcome) li.append(' — ', h('span', { class: 'outcome' }, e.outcome));
  if (e.evidence) li.append(h('div', { class: 'evidence-line muted' }, e.evidence));
  return li;
}

function toolbar(ctx: RenderContext): HTMLElement {
  const t = ctx.strings;
  const bar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': t.journal });
  if (ctx.view.canGoBack) bar.append(button(t.back, 'back', () => ctx.send({ type: 'back' })));
  bar.append(button(t.copyReport, 'copy-report', () => ctx.send({ type: 'copy', what: 'report' })));
  if (ctx.copied === 'report') bar.append(copiedNote(t));
  bar.append(button(t.copyAnalysis, 'copy-analysis', () => ctx.send({ type: 'copy', what: 'analysis' })));
  if (ctx.copied === 'analysis') bar.append(copiedNote(t));
  return bar;
}

/** Visible feedback next to a copy button; the host's reply is also announced to screen readers. */
function copiedNote(t: Strings): HTMLElement {
  return h('span', { class: 'copied', 'aria-hidden': 'true' }, `✔ ${t.copied}`);
}

function section(id: string, title: string, ...body: (Node | null)[]): HTMLElement {
  return h('section', { 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h` }, title), ...body);
}

function evidence(ctx: RenderContext): HTMLElement {
  const lines = ctx.view.evidence;
  const summary = ctx.view.scenario.summary;
  return section(
    'evidence',
    ctx.strings.evidence,
    // The scenario's summary sits here rather than in the header, so "Now" stays on the first screen.
    summary ? h('p', { class: 'summary' }, ...prose(summary)) : null,
    lines.length ? h('pre', { class: 'evidence', tabindex: '0' }, lines.join('\n')) : h('p', { class: 'muted' }, ctx.strings.noEvidence),
  );
}

function pathTaken(ctx: RenderContext): HTMLElement {
  const path = ctx.view.path;
  if (!path.length) return section('path', ctx.strings.pathTaken, h('p', { class: 'muted' }, ctx.strings.pathEmpty));
  return section('path', ctx.strings.pathTaken, h('ol', { class: 'path' }, ...path.map((p) => h('li', { class: `tone-${p.tone}` }, h('span', { class: 'step-title' }, p.title), ' — ', h('span', { class: 'outcome' }, p.outcome)))));
}

function current(ctx: RenderContext): HTMLElement {
  const c = ctx.view.current;
  const t = ctx.strings;
  // data-key: a re-render keeps the focus on the heading when it was there.
  const heading = h('h2', { id: 'now-h', tabindex: '-1', 'data-key': 'now-h' }, `${t.now}: ${c.title}`);
  const body = c.body ? h('p', { class: 'body' }, ...prose(c.body)) : null;
  // Where the step is written: a link back to the runbook's (or playbook's) line.
  const source = c.source ? h('p', { class: 'source muted' }, `${t.openSource} `, button(c.source, 'open-source', () => ctx.send({ type: 'openSource', nodeId: c.nodeId }), { link: true, label: `${t.openSource} ${c.source}` })) : null;
  // The checks Lifeline answered on the way here, with what it saw: why the guide stands where it does.
  const checked = c.checked?.length
    ? h('ul', { class: 'checked', 'aria-label': t.checkedOnTheWay }, ...c.checked.map((x) => h('li', {}, h('span', { class: 'mark', 'aria-hidden': 'true' }, '✔ '), h('span', { class: 'step-title' }, x.title), ' — ', h('span', { class: 'outcome' }, x.outcome))))
    : null;
  return h('section', { 'aria-labelledby': 'now-h', class: `current kind-${c.kind}`, 'aria-busy': c.kind === 'checking' || c.kind === 'previewing' || c.kind === 'applying' ? 'true' : undefined }, heading, source, checked, body, ...nodeBody(ctx, c));
}

/** Which shell a command is for, where it matters (product names, not translated). */
const SHELL_NAMES: Readonly<Record<string, string>> = { bash: 'bash', powershell: 'PowerShell', cmd: 'cmd', sql: 'SQL' };

function nodeBody(ctx: RenderContext, c: CurrentView): (Node | null)[] {
  const t = ctx.strings;
  switch (c.kind) {
    case 'step':
      return [
        c.commands.length
          ? h(
              'ul',
              { class: 'commands' },
              ...c.commands.map(({ index, ...cmd }) =>
                h(
                  'li',
                  {},
                  SHELL_NAMES[cmd.shell] ? h('span', { class: 'shell-tag' }, SHELL_NAMES[cmd.shell]!) : null,
                  h('pre', { class: 'command', tabindex: '0', ...(SHELL_NAMES[cmd.shell] ? { 'aria-label': `${SHELL_NAMES[cmd.shell]}: ${cmd.run}` } : {}) }, cmd.run),
                  cmd.description ? h('p', { class: 'muted' }, ...prose(cmd.description)) : null,
                  valueInputs(ctx, cmd.missing ?? [], `cmd-${index}`),
                  commandButtons(ctx, c.nodeId, index, Boolean(cmd.missing?.length)),
                ),
              ),
            )
          : null,
        ...(c.destructive ? destructiveStepButtons(ctx, c.nodeId) : [h('div', { class: 'buttons' }, button(t.done, 'continue', () => ctx.send({ type: 'continue', nodeId: c.nodeId }), { primary: true }))]),
      ];
    case 'finding-subjects':
      return [h('p', { class: 'working' }, t.findingSubjects)];
    case 'subject':
      return subjectChoice(ctx, c);
    case 'verifying':
      return [h('p', { class: 'working' }, t.verifying)];
    case 'checking':
      return [h('p', { class: 'working' }, `${t.checking} ${c.question}`)];
    case 'ask':
      return [
        h('p', {}, c.question),
        h('p', { class: 'muted', id: 'ask-detail' }, c.detail ? `${t.couldNotTell} ${c.detail}` : t.couldNotTell),
        h(
          'div',
          { class: 'buttons' },
          numbered(button(t.yes, 'yes', () => ctx.send({ type: 'answer', nodeId: c.nodeId, answer: 'yes' }), { primary: true, describedBy: 'ask-detail' }), 0),
          numbered(button(t.no, 'no', () => ctx.send({ type: 'answer', nodeId: c.nodeId, answer: 'no' }), { describedBy: 'ask-detail' }), 1),
          button(t.checkAgain, 'recheck', () => ctx.send({ type: 'recheck', nodeId: c.nodeId })),
        ),
      ];
    case 'choice':
      return [h('div', { class: 'buttons options', role: 'group', 'aria-labelledby': 'now-h' }, ...c.options.map((label, index) => numbered(button(label, `opt-${index}`, () => ctx.send({ type: 'choose', nodeId: c.nodeId, index })), index)))];
    case 'previewing':
      return [actionDescription(c), h('p', { class: 'working' }, t.preparingPreview)];
    case 'confirm':
      return confirm(ctx, c);
    case 'applying':
      return [h('p', { class: 'working' }, `${t.running} ${c.description}`), progressLog(ctx)];
    case 'ended':
      return endScreen(ctx, c);
  }
}

/** Shows the number key that picks this button (main.ts: 1-9), and tells assistive technology. */
function numbered(b: HTMLButtonElement, index: number): HTMLButtonElement {
  if (index > 8) return b;
  const key = String(index + 1);
  b.prepend(h('kbd', { class: 'key', 'aria-hidden': 'true' }, key), ' ');
  b.setAttribute('aria-keyshortcuts', key);
  return b;
}

/** "Put in terminal" and "Copy", unavailable while the command still has a blank in it. */
function commandButtons(ctx: RenderContext, nodeId: string, index: number, incomplete: boolean): HTMLElement {
  const t = ctx.strings;
  const term = button(t.putInTerminal, `term-${index}`, () => ctx.send({ type: 'runCommand', nodeId, index }));
  const copy = button(t.copyCommand, `copycmd-${index}`, () => ctx.send({ type: 'copy', what: 'command', nodeId, index }));
  return h('div', { class: 'buttons' }, incomplete ? block(term) : term, incomplete ? block(copy) : copy);
}

/** The fix-up's stock description, unless it only repeats the step's title or text (most playbooks title an action by what it does). */
function actionDescription(c: { title: string; body?: string; description: string }): HTMLElement | null {
  const words = (s: string) => s.replace(/\([^)]*\)/g, ' ').replace(/[^\p{L}\p{N}]+/gu, ' ').trim().toLowerCase();
  const said = words(c.description);
  return said === words(c.title) || said === words(c.body ?? '') ? null : h('p', { class: 'muted' }, c.description);
}

function confirm(ctx: RenderContext, c: Extract<CurrentView, { kind: 'confirm' }>): (Node | null)[] {
  const t = ctx.strings;
  const out: (Node | null)[] = [actionDescription(c)];
  if (c.failure) out.push(h('p', { class: 'error', role: 'alert' }, `${t.lastAttemptFailed} ${c.failure}`));
  if (c.declined) out.push(h('p', { class: 'notice', role: 'status' }, t.declinedNote));
  const skip = c.canSkip ? button(t.skipFixup, 'skip-fixup', () => ctx.send({ type: 'decline', nodeId: c.nodeId })) : null;
  if (c.blocked) {
    out.push(h('p', { class: 'error', id: 'blocked-reason' }, `${t.blocked} ${c.blocked.reason}`));
    out.push(valueInputs(ctx, c.inputs ?? [], 'fix'));
    const buttons = h('div', { class: 'buttons' });
    if (c.blocked.code !== 'untrusted') buttons.append(button(t.checkAgain, 'recheck', () => ctx.send({ type: 'recheck', nodeId: c.nodeId })));
    buttons.append(skip ?? button(t.dontRun, 'decline', () => ctx.send({ type: 'decline', nodeId: c.nodeId })));
    out.push(buttons);
    return out;
  }
  const p = c.preview;
  if (!p) return out;
  out.push(preview(ctx, p));
  const buttons = h('div', { class: 'buttons' });
  if (p.refusal) {
    buttons.append(button(t.previewAgain, 'recheck', () => ctx.send({ type: 'recheck', nodeId: c.nodeId }), { primary: true }));
  } else {
    const needsDiscard = Boolean(p.discards && p.discards.files.length + p.discards.commits.length > 0);
    const run = button(t.runFixup, 'confirm', () => ctx.send({ type: 'confirm', nodeId: c.nodeId, discard: needsDiscard && ctx.discardChecked }), { primary: true, describedBy: 'preview-title' });
    if (needsDiscard && !ctx.discardChecked) run.setAttribute('aria-disabled', 'true');
    buttons.append(run, button(t.previewAgain, 'recheck', () => ctx.send({ type: 'recheck', nodeId: c.nodeId })));
  }
  if (skip) buttons.append(skip);
  else if (!c.declined) buttons.append(button(t.dontRun, 'decline', () => ctx.send({ type: 'decline', nodeId: c.nodeId })));
  out.push(buttons);
  return out;
}

function preview(ctx: RenderContext, p: PreviewView): HTMLElement {
  const t = ctx.strings;
  const box = h('div', { class: `preview effect-${p.effect}` }, h('h3', { id: 'preview-title' }, p.title), effectBadge(ctx, p.effect));
  if (p.refusal) box.append(h('p', { class: 'error', role: 'alert' }, `${t.refused} ${p.refusal.reason}`));
  if (p.git.length) box.append(h('h4', {}, t.gitCommands), h('pre', { class: 'command', tabindex: '0' }, p.git.join('\n')));
  for (const q of p.sql) {
    box.append(h('h4', {}, t.sqlStatements), h('pre', { class: 'command', tabindex: '0' }, q.statement));
    if (q.rows.length) box.append(rowsTable(ctx, q));
  }
  if (p.files.length) box.append(h('h4', {}, t.filesTouched), h('ul', {}, ...p.files.map((f) => h('li', {}, h('code', {}, f)))));
  // Only a reversible fix-up has an undo to speak of.
  if (p.notes.length) box.append(h('h4', {}, p.effect === 'reversible' ? t.notes : t.notesNoUndo), h('ul', {}, ...p.notes.map((n) => h('li', {}, ...prose(n)))));
  if (p.discards && p.discards.files.length + p.discards.commits.length > 0) {
    const check = h('input', { type: 'checkbox', id: 'discard', 'data-key': 'discard' });
    check.checked = ctx.discardChecked;
    check.addEventListener('change', () => ctx.setDiscard(check.checked));
    box.append(
      h('h4', { class: 'error' }, t.discardsTitle),
      h('ul', {}, ...p.discards.files.map((f) => h('li', {}, h('code', {}, f))), ...p.discards.commits.map((c) => h('li', {}, h('code', {}, c)))),
      h('p', { class: 'discard' }, check, ' ', h('label', { for: 'discard' }, t.discardConfirm)),
    );
  }
  return box;
}

const EFFECT_STRINGS: Readonly<Record<PreviewView['effect'], StringKey>> = { 'read-only': 'readOnly', reversible: 'reversible', irreversible: 'irreversible', destructive: 'destructive' };

/** What running the fix-up does, in words (colour only repeats them: styles.css, theme tokens). */
function effectBadge(ctx: RenderContext, effect: PreviewView['effect']): HTMLElement {
  return h('p', { class: `badge effect-badge effect-${effect}`, 'data-effect': effect }, ctx.strings[EFFECT_STRINGS[effect]]);
}

/**
 * The rows a statement touches. With `after`, a compact diff: the changed columns come first
 * (so a narrow panel shows them without scrolling) and a changed cell reads "before → after".
 */
function rowsTable(ctx: RenderContext, q: PreviewView['sql'][number]): HTMLElement {
  const after = q.after;
  const head = h('tr', {}, ...q.columns.map((col, j) => h('th', { scope: 'col', ...(after && j < q.changedColumns ? { class: 'changed' } : {}) }, col)));
  const rows = q.rows.map((row, i) =>
    h(
      'tr',
      {},
      ...row.map((before, j) => {
        const now = after?.[i]?.[j];
        if (now === undefined || now === before) return h('td', {}, before);
        return h('td', { class: 'changed' }, h('del', {}, before), h('span', { class: 'arrow', 'aria-hidden': 'true' }, ' → '), h('span', { class: 'sr-only' }, ` ${ctx.strings.changesTo} `), h('ins', {}, now));
      }),
    ),
  );
  const caption = after ? h('caption', {}, ctx.strings.beforeAfter) : null;
  return h('div', { class: 'table-wrap', tabindex: '0' }, h('table', after ? { class: 'diff' } : {}, caption, h('thead', {}, head), h('tbody', {}, ...rows)));
}

/** Undo, only for a change the journal can still take back (never after prune or repair). */
function undoButton(ctx: RenderContext, a: PanelView['actions'][number], i: number): HTMLElement | null {
  if (!a.undoable || !a.journalId || !ctx.view.trusted) return null;
  const journalId = a.journalId;
  return button(ctx.strings.undo, `undo-${i}`, () => ctx.send({ type: 'undo', journalId }));
}

function progressLog(ctx: RenderContext): HTMLElement {
  return h('pre', { class: 'progress', role: 'log', 'aria-label': ctx.strings.output, tabindex: '0' }, ctx.progress.join('\n'));
}

function actions(ctx: RenderContext): HTMLElement | null {
  const t = ctx.strings;
  const list = ctx.view.actions;
  if (!list.length) return null;
  return section(
    'fixups',
    t.fixupsRun,
    h(
      'ol',
      { class: 'actions' },
      ...list.map((a, i) =>
        h(
          'li',
          { class: a.ok ? 'tone-good' : 'tone-bad' },
          h('p', {}, h('strong', {}, a.title), ' — ', a.ok ? t.worked : t.failed, a.undone ? ` (${t.undone} ${a.undone})` : ''),
          h('p', {}, a.message),
          h('p', { class: 'muted' }, a.at),
          a.output.length ? h('details', {}, h('summary', {}, t.output), h('pre', { tabindex: '0' }, a.output.join('\n'))) : null,
          h(
            'div',
            { class: 'buttons' },
            undoButton(ctx, a, i),
            a.handOff ? button(`${t.continueWith} ${a.handOff.title}`, `handoff-${i}`, () => ctx.send({ type: 'openGuide', playbookId: a.handOff!.playbookId })) : null,
          ),
        ),
      ),
    ),
  );
}
