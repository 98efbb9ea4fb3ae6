// Text from files, the database, the journal or a log, made safe to show: on a terminal (CLI
// human output) or as a tree or webview label. Control characters (C0, DEL, C1: the start of
// every escape sequence, OSC 52 clipboard writes, resets, BEL, BS), line breaks in single-line
// fields (which can forge "> lifeline fix ..." lines) and bidirectional overrides (which reorder
// what is shown) are written as visible escapes: `\x1b`, `\n`, `\u202e`. JSON output needs none
// of this (JSON escapes control characters itself). Pure.

/** Characters that change how text is displayed rather than being displayed. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- as above, with tab and line feed too
const UNSAFE_SINGLE_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escape(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const c = ch.charCodeAt(0);
  return c < 0x100 ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
}

/** One line of text as it may be shown: every line break and control character escaped. */
export function shown(text: string): string {
  return text.replace(UNSAFE_SINGLE_LINE, escape);
}

/** Text that may span lines (a message, a body): tab and line feed kept, the rest escaped. */
export function shownLines(text: string): string {
  return text.replace(UNSAFE, escape);
}
