// The recovery panel's page. Receives the host's messages (validated before use), renders the
// view, numbers the user's requests and matches replies, keeps focus where the user works, and
// announces check results, progress and replies to screen readers.
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

const send: Send = (request) => {
  if (inFlight.size > 0) return; // one request at a time; the host would refuse a second
  const requestId = nextRequest++;
  inFlight.add(requestId);
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
    case 'reply':
      inFlight.delete(message.requestId);
      setBusy(inFlight.size > 0);
      if (!message.ok) {
        alert.textContent = message.message ?? '';
        alert.hidden = false;
      } else if (message.message) {
        announce(message.message);
      }
      break;
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
    }),
  );
  setBusy(inFlight.size > 0);
  if (moved) {
    // The guide moved on: put the user at the new step's heading, which names it.
    document.getElementById('now-h')?.focus();
  } else if (focusedKey) {
    root.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusedKey)}"]`)?.focus();
  }
}

function announceChange(before: PanelView | undefined, after: PanelView): void {
  const last = after.path.at(-1);
  if (last && (!before || after.path.length > before.path.length)) announce(`${last.title}: ${last.outcome}`);
  else if (after.current.kind === 'checking' && strings) announce(`${strings.checking} ${after.current.question}`);
}

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
