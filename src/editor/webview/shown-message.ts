// Every message the host posts to the guide page passes through here, so text from the
// workspace (names and messages from the database, git, the journal, workspace playbooks) is
// shown with control characters, line breaks in one-line fields and bidi overrides escaped
// (core/text/shown.ts), whichever field it lands in. The page renders text only through
// textContent, so markup was never the risk; what is escaped here is what reorders or forges
// what a person reads. No `vscode` import: unit-tested as is.
import { shown, shownLines } from '../../core/text/shown';
import type { HostMessage } from '../../webview/protocol';

/** Fields whose text may span lines: a step's body, a summary, a command, an SQL statement, a description. */
const MULTI_LINE = new Set(['body', 'summary', 'run', 'statement', 'description']);

function escapeAll(value: unknown, key: string): unknown {
  if (typeof value === 'string') return MULTI_LINE.has(key) ? shownLines(value) : shown(value);
  if (Array.isArray(value)) return value.map((v) => escapeAll(v, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeAll(v, k)]));
  }
  return value;
}

/**
 * The message as the page may show it. `persist` is opaque to the page (it only stores it for
 * VS Code to hand back), so it stays as the session holds it.
 */
export function shownMessage(message: HostMessage): HostMessage {
  if (message.type !== 'state') return escapeAll(message, '') as HostMessage;
  return { type: 'state', view: escapeAll(message.view, '') as typeof message.view, persist: message.persist };
}

/**
 * The raw subject id the page means by `sent`: the page only ever saw ids as shownMessage wrote
 * them. Undefined when none, or more than one, of `ids` reads as `sent` (then nothing is chosen).
 */
export function rawSubjectId(ids: readonly string[], sent: string): string | undefined {
  // By the shown form only: a name spelling `\x1b` literally and one holding ESC read the same.
  const matches = ids.filter((id) => shown(id) === sent);
  return matches.length === 1 ? matches[0] : undefined;
}
