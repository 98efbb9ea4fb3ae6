// The recovery panel's page. Receives the host's messages (validated before use), renders the
// view, numbers the user's requests and matches replies, keeps focus where the user works (the
// new step's primary action), offers keys (Enter, 1-9, Alt+Left), and announces each new step,
// check results, progress and replies to screen readers.
import './styles.css';
import { parseHostMessage } from './protocol';
import type { HostMessage, PanelView, Strings } from './protocol';
import { render } from './render';
import type { Send } from './render';
import { h } from './dom';

interface VsCodeApi {
  postMessage(message: unknown): void;
  setState(state: unknown): void;
  getState(): unknown;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('root') ?? document.body;
const status = h('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite', id: 'announce' });
const alert = h('div', { class: 'alert', role: 'alert', id: 'alert', hidden: true });
document.body.append(status, alert);

let strings: Strings | undefined;
let view: PanelView | undefined;
let progress: string[] = [];
let discardChecked = false;
let nextRequest = 1;
const inFlight = new Set<number>();
/** Copy requests waiting for their reply, so the right button can say "Copied". */
const copying = new Map<number, 'report' | 'analysis'>();
let copied: 'report' | 'analysis' | undefined;
let copiedTimer: number | undefined;
/** The map's fold: the user's choice once made; until then unfolded when there is room beside the step. */
let mapOpen: boolean | undefined;
const wide = window.matchMedia('(min-width: 46rem)');

const send: Send = (request) => {
  if (inFlight.size > 0) return; // one request at a time; the host would refuse a second
  const requestId = nextRequest++;
  inFlight.add(requestId);
  if (request.type === 'copy' && request.what !== 'command') copying.set(requestId, request.what);
  setBusy(true);
  alert.hidden = true;
  vscode.postMessage({ ...request, requestId });
};

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseHostMessage(event.data);
  if (!message) return; // not ours, or malformed: never acted on
  handle(message);
});

function handle(message: HostMessage): void {
  switch (message.type) {
    case 'init':
      strings = message.strings;
      break;
    case 'state': {
      const before = view;
      view = message.view;
      vscode.setState(message.persist);
      const moved = !before || before.current.nodeId !== view.current.nodeId || before.current.kind !== view.current.kind;
      if (moved) discardChecked = false;
      if (moved && view.current.kind !== 'applying') progress = [];
      announceChange(before, view);
      draw(moved);
      break;
    }
    case 'progress':
      progress.push(message.line);
      if (progress.length > 2_000) progress = progress.slice(-2_000);
      {
        const log = document.querySelector('.progress');
        if (log) log.textContent = progress.join('\n');
      }
      announce(message.line);
      break;
    case 'reply': {
      inFlight.delete(message.requestId);
      const what = copying.get(message.requestId);
      copying.delete(message.requestId);
      setBusy(inFlight.size > 0);
      if (!message.ok) {
        alert.textContent = message.message ?? '';
        alert.hidden = false;
      } else {
        if (message.message) announce(message.message);
        if (what) showCopied(what);
      }
      break;
    }
  }
}

/** Re-renders; keeps focus on the same control, or moves it to the new step when the guide moved on. */
function draw(moved: boolean): void {
  if (!view || !strings) return;
  const focusedKey = (document.activeElement as HTMLElement | null)?.dataset?.key;
  root.replaceChildren(
    render({
      view,
      strings,
      send,
      progress,
      discardChecked,
      setDiscard: (checked) => {
        discardChecked = checked;
        draw(false);
      },
      mapOpen: mapOpen ?? wide.matches,
      setMapOpen: (open) => {
        mapOpen = open;
      },
      ...(copied ? { copied } : {}),
    }),
  );
  setBusy(inFlight.size > 0);
  if (moved) {
    // The guide moved on: put the user on the new step's primary action (Enter runs it); the
    // live region names the step.
    (primaryControl() ?? document.getElementById('now-h'))?.focus();
  } else if (focusedKey) {
    root.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusedKey)}"]`)?.focus();
  }
}

/**
 * The current step's main action: its primary button, else its first option or button. A button
 * the page marks unavailable only while a request is in flight still counts (the reply comes in
 * a moment); one waiting for "discard exactly these" gives the focus to that checkbox.
 */
function primaryControl(): HTMLElement | null {
  const c = view?.current;
  if (!c || c.kind === 'checking' || c.kind === 'previewing' || c.kind === 'applying' || c.kind === 'ended') return null;
  const discard = root.querySelector<HTMLInputElement>('.current #discard');
  if (discard && !discard.checked) return discard;
  return root.querySelector<HTMLElement>('.current button.primary') ?? root.querySelector<HTMLElement>('.current .buttons button');
}

function showCopied(what: 'report' | 'analysis'): void {
  copied = what;
  draw(false);
  window.clearTimeout(copiedTimer);
  copiedTimer = window.setTimeout(() => {
    copied = undefined;
    draw(false);
  }, 4_000);
}

function announceChange(before: PanelView | undefined, after: PanelView): void {
  if (!strings) return;
  const c = after.current;
  const last = after.path.at(-1);
  if (c.kind === 'checking') {
    announce(`${strings.checking} ${c.question}`);
    return;
  }
  const arrived = !before || before.current.nodeId !== c.nodeId || (before.current.kind !== c.kind && before.current.kind !== 'step');
  if (!arrived) return;
  // Say what just happened, then where the user is now.
  const parts: string[] = [];
  if (last && (!before || after.path.length > before.path.length)) parts.push(`${last.title}: ${last.outcome}.`);
  parts.push(`${after.progress.text}. ${strings.now}: ${c.title}`);
  announce(parts.join(' '));
}

/** Keys for the whole page; never while the user types in a field. */
function onKey(e: KeyboardEvent): void {
  if (!view || e.defaultPrevented || e.ctrlKey || e.metaKey) return;
  const target = e.target as HTMLElement | null;
  if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
  const c = view.current;
  if (e.altKey && e.key === 'ArrowLeft') {
    if (view.canGoBack) {
      e.preventDefault();
      send({ type: 'back' });
    }
    return;
  }
  if (e.altKey || e.shiftKey) return;
  if (/^[1-9]$/.test(e.key)) {
    const n = Number(e.key) - 1;
    if (c.kind === 'choice' && n < c.options.length) {
      e.preventDefault();
      send({ type: 'choose', nodeId: c.nodeId, index: n });
    } else if (c.kind === 'ask' && n < 2) {
      e.preventDefault();
      send({ type: 'answer', nodeId: c.nodeId, answer: n === 0 ? 'yes' : 'no' });
    }
    return;
  }
  if (e.key === 'Enter' && (target === document.body || target === null || target.id === 'now-h')) {
    // Focus is nowhere in particular: Enter runs the step's primary action.
    const primary = primaryControl();
    if (primary instanceof HTMLButtonElement) {
      e.preventDefault();
      primary.click();
    }
  }
}
document.addEventListener('keydown', onKey);
// When the panel gets the keyboard (opened, or Ctrl+1), start at the step's primary action.
window.addEventListener('focus', () => {
  if (document.activeElement === document.body || document.activeElement === null) primaryControl()?.focus();
});

function announce(text: string): void {
  // Clearing first makes a repeated message be read again.
  status.textContent = '';
  window.setTimeout(() => (status.textContent = text), 50);
}

function setBusy(busy: boolean): void {
  document.body.classList.toggle('busy', busy);
  for (const b of root.querySelectorAll<HTMLButtonElement>('button')) {
    if (busy) b.setAttribute('aria-disabled', 'true');
    // A button blocked by the view (a command with a blank, an unacknowledged step) stays so.
    else if (b.dataset.blocked !== 'true') b.removeAttribute('aria-disabled');
  }
  // The run button stays unavailable until the user accepts discarding the listed work.
  const run = root.querySelector('button[data-key="confirm"]');
  const check = root.querySelector<HTMLInputElement>('#discard');
  if (run && check && !check.checked) run.setAttribute('aria-disabled', 'true');
}

vscode.postMessage({ type: 'ready' });
