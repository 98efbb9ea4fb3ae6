// Splits a command line into argv the way a POSIX shell would for simple commands (quotes and
// backslashes), without running a shell. A line that needs a shell (pipes, redirections,
// globs, variables, command substitution, `&&`) is reported as such, so the caller can hand it
// to the user's own shell as ONE argument instead of guessing. No `vscode` import.
export type SplitResult = { ok: true; argv: string[] } | { ok: false; reason: 'empty' | 'unclosed-quote' | 'needs-shell' };

const SHELL_CHARS = new Set(['|', '&', ';', '<', '>', '(', ')', '`', '$', '*', '?', '[', '~', '{', '}', '\n']);

/** `windows`: backslashes are path separators, not escapes (cmd and PowerShell do not escape with them). */
export function splitCommandLine(line: string, windows = false): SplitResult {
  const argv: string[] = [];
  let cur = '';
  let has = false;
  let i = 0;
  const s = line.trim();
  while (i < s.length) {
    const c = s[i]!;
    if (c === "'") {
      const end = s.indexOf("'", i + 1);
      if (end < 0) return { ok: false, reason: 'unclosed-quote' };
      cur += s.slice(i + 1, end);
      has = true;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      i++;
      let closed = false;
      while (i < s.length) {
        const d = s[i]!;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '$' || d === '`') return { ok: false, reason: 'needs-shell' };
        if (d === '\\' && !windows && i + 1 < s.length && '"\\$`'.includes(s[i + 1]!)) {
          cur += s[i + 1];
          i += 2;
          continue;
        }
        cur += d;
        i++;
      }
      if (!closed) return { ok: false, reason: 'unclosed-quote' };
      has = true;
      continue;
    }
    if (c === '\\' && !windows) {
      if (i + 1 < s.length) cur += s[i + 1];
      has = true;
      i += 2;
      continue;
    }
    if (c === ' ' || c === '\t') {
      if (has) argv.push(cur);
      cur = '';
      has = false;
      i++;
      continue;
    }
    // A `~` inside a word (`a~b`) is literal; everywhere else these characters mean shell syntax.
    if (SHELL_CHARS.has(c) && !(c === '~' && has)) return { ok: false, reason: 'needs-shell' };
    cur += c;
    has = true;
    i++;
  }
  if (has) argv.push(cur);
  if (argv.length === 0) return { ok: false, reason: 'empty' };
  return { ok: true, argv };
}

/**
 * argv as one line that splitCommandLine reads back to the same argv, on any platform: words
 * quoted only where needed. For display, and for the output watch, which reads a run's test selectors from it.
 */
export function joinCommandLine(argv: readonly string[]): string {
  return argv.map(quoteWord).join(' ');
}

/** An argv element as a person would type it back (JSON-quoted when needed): the CLI's previews and undo lines. */
export function showArg(a: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a);
}

function quoteWord(a: string): string {
  if (/^[\w@%+=:,./-]+$/.test(a)) return a;
  if (!a.includes("'")) return `'${a}'`;
  if (!/["$`\\]/.test(a)) return `"${a}"`;
  // Single-quoted runs joined by a double-quoted '; read alike with and without backslash
  // escapes (splitCommandLine's Windows mode), unlike the POSIX '\''.
  return `'${a.replace(/'/g, `'"'"'`)}'`;
}

/**
 * How to hand a whole command line to the user's shell as one argument: `sh -c LINE`,
 * `pwsh -Command LINE`, `cmd /d /s /c LINE`.
 */
export function shellArgv(shell: string, line: string): string[] {
  const base = shell.split(/[\\/]/).pop()!.toLowerCase().replace(/\.exe$/, '');
  if (base === 'pwsh' || base === 'powershell') return [shell, '-NoProfile', '-Command', line];
  if (base === 'cmd') return [shell, '/d', '/s', '/c', line];
  return [shell, '-c', line];
}
