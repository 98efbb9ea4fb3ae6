// The one place a playbook's regular expression becomes a RegExp: the flags it is validated with
// are the flags it runs with (symptoms, `unless`, forbidden commands), and the length of text
// one pattern may run on is bounded. Pure: no I/O, no `vscode`.

/**
 * Unicode mode (`u`) only when the pattern cannot be written without it: `\p{…}`, `\u{…}` or a
 * character outside the Basic Multilingual Plane (e.g. `[😀-😎]`). V8 runs case-insensitive
 * Unicode regexes many times slower (20x on the built-ins), so the rest run without `u`, where
 * `.` matches one UTF-16 unit.
 */
function needsUnicode(source: string): boolean {
  return /\\[pP]\{|\\u\{|[\uD800-\uDBFF][\uDC00-\uDFFF]/.test(source);
}

/** The flags a pattern is validated and run with: case-insensitive unless `caseSensitive`. */
export function patternFlags(source: string, caseSensitive?: boolean): string {
  return (caseSensitive ? '' : 'i') + (needsUnicode(source) ? 'u' : '');
}

/** Compiles a pattern with its flags; throws a SyntaxError when it is not valid with them. */
export function compilePattern(source: string, caseSensitive?: boolean): RegExp {
  return new RegExp(source, patternFlags(source, caseSensitive));
}

/** Why `source` does not compile with the flags it would run with, or undefined. */
export function patternSyntaxError(source: string): string | undefined {
  // `i` never changes whether a pattern is valid, so case sensitivity does not matter here.
  try {
    compilePattern(source);
    return undefined;
  } catch (e) {
    return (e as Error).message.replace(/^Invalid regular expression: /, '');
  }
}

/**
 * The most characters one pattern runs on at a time. A pattern that passes the load-time check
 * can still be quadratic (`\w+\s+failed` tried at every start of a long word); bounding its text
 * bounds its cost per line (a 4 KiB window costs at most ~16 M steps).
 */
export const PATTERN_TEXT_LIMIT = 4096;
/** Overlap between windows of a longer text, so a match up to this long across a cut is seen. */
const WINDOW_OVERLAP = 512;

/**
 * `re.test(text)`, with a text longer than PATTERN_TEXT_LIMIT tested in overlapping windows of
 * that size (as the stream already examines over-long lines in segments).
 */
export function testBounded(re: RegExp, text: string): boolean {
  if (text.length <= PATTERN_TEXT_LIMIT) return re.test(text);
  for (let start = 0; ; start += PATTERN_TEXT_LIMIT - WINDOW_OVERLAP) {
    if (re.test(text.slice(start, start + PATTERN_TEXT_LIMIT))) return true;
    if (start + PATTERN_TEXT_LIMIT >= text.length) return false;
  }
}
