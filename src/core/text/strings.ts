// Small string rules used in several layers, kept once so they cannot drift apart. No imports:
// the editor's activation bundle uses them too.

/** `s` cut to at most `max` characters, an ellipsis marking the cut. */
export function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/**
 * `s` with every regular-expression metacharacter escaped, to match it literally; also valid in
 * Unicode mode (which rejects needless escapes). Patterns are strings, not /literals/, so "/"
 * stays as it is.
 */
export function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/** `n` and the English word for that many: "1 file", "3 files"; `many` for the words whose plural is not `word + s`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
