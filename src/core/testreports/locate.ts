// Finds where a failure happened in a trace: the first frame that points into the project
// (not into node_modules, site-packages, the standard library or the runner itself).
import type { Location } from './model';

const FRAME_PATTERNS: RegExp[] = [
  // Python: File "tests/test_x.py", line 12, in test_y
  /File "([^"]+)", line (\d+)/g,
  // pytest short form: tests/test_x.py:12: AssertionError
  /^([^\s:()"']+\.py):(\d+):/gm,
  // JS stacks: at fn (src/x.test.ts:12:5) | at src/x.test.ts:12:5 | ❯ src/x.test.ts:12:5
  /(?:\bat\s+(?:.*?\()?|❯\s+)((?:[A-Za-z]:)?[^\s():]+\.(?:[cm]?[jt]sx?|vue|svelte)):(\d+)(?::(\d+))?/g,
  // Go: foo_test.go:12: message | /abs/path/foo_test.go:12 +0x1d
  /(?:^|\s)((?:[A-Za-z]:)?[^\s:]*\.go):(\d+)(?::(\d+))?/gm,
];

const OUTSIDE = /(?:^|[\\/])(?:node_modules|site-packages|dist-packages|\.venv|venv|lib[\\/]python\d|_pytest|pluggy|go[\\/]src[\\/]runtime|go[\\/]src[\\/]testing|internal[\\/]modules)(?:[\\/]|$)|^node:|^internal[\\/]|<frozen /;

/** Every project frame in order of appearance. */
export function projectFrames(trace: string): Location[] {
  const found: { index: number; loc: Location }[] = [];
  for (const re of FRAME_PATTERNS) {
    re.lastIndex = 0;
    for (const m of trace.matchAll(re)) {
      const file = m[1]!.replace(/^file:\/\//, '');
      if (OUTSIDE.test(file)) continue;
      const line = Number(m[2]);
      if (!Number.isInteger(line) || line < 1) continue;
      found.push({ index: m.index ?? 0, loc: { file, line, ...(m[3] ? { column: Number(m[3]) } : {}) } });
    }
  }
  found.sort((a, b) => a.index - b.index);
  const seen = new Set<string>();
  return found
    .map((f) => f.loc)
    .filter((l) => {
      const k = `${l.file}:${l.line}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
}

/**
 * Where the test failed: for Python the deepest project frame (the assertion is last in a
 * traceback); for JS and Go the first (stacks list the innermost frame first). A frame in the
 * test file itself is preferred when the test file is known.
 */
export function failureLocation(trace: string, options: { python?: boolean; testFile?: string } = {}): Location | undefined {
  const frames = projectFrames(trace);
  if (!frames.length) return undefined;
  if (options.testFile) {
    const base = options.testFile.replace(/\\/g, '/');
    const inTest = frames.filter((f) => f.file.replace(/\\/g, '/').endsWith(base) || base.endsWith(f.file.replace(/\\/g, '/')));
    if (inTest.length) return options.python ? inTest.at(-1) : inTest[0];
  }
  return options.python ? frames.at(-1) : frames[0];
}
