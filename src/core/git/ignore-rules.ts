// A deliberately small reading of gitignore patterns, for one question only: "is this untracked
// path certainly ignored?". It understands literal names, `*` and `?`, a leading or middle "/"
// (anchored), a trailing "/" (directories only) and "!" (re-include). Any other syntax (`**`,
// `[...]`, backslash escapes, CR) makes the answer "unknown", and the caller asks git.

export interface IgnoreRule {
  negate: boolean;
  dirOnly: boolean;
  /** Matches the base name only (the pattern had no "/" besides a trailing one). */
  basename: boolean;
  re: RegExp;
}

/** Rules of one file, applied to paths relative to `base` ("" for the worktree root). */
export interface IgnoreList {
  base: string;
  rules: IgnoreRule[];
  /** Set when a line used syntax this reader does not follow. */
  unsupported: boolean;
}

function globToRegExp(glob: string): RegExp {
  let src = '';
  for (const ch of glob) {
    if (ch === '*') src += '[^/]*';
    else if (ch === '?') src += '[^/]';
    else src += ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^${src}$`);
}

export function parseIgnore(text: string, base: string): IgnoreList {
  const list: IgnoreList = { base, rules: [], unsupported: false };
  for (let line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    if (/[\\[\r]|\*\*/.test(line)) {
      list.unsupported = true;
      continue;
    }
    line = line.replace(/ +$/, '');
    if (line === '') continue;
    let negate = false;
    if (line.startsWith('!')) {
      negate = true;
      line = line.slice(1);
    }
    let dirOnly = false;
    if (line.endsWith('/')) {
      dirOnly = true;
      line = line.slice(0, -1);
    }
    const basename = !line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    if (line === '' || line.includes('//')) {
      list.unsupported = true;
      continue;
    }
    list.rules.push({ negate, dirOnly, basename, re: globToRegExp(line) });
  }
  return list;
}

/**
 * The verdict of one list for `path` (relative to the worktree, "/"-separated): true = ignored,
 * false = re-included, null = no rule matched. The last matching rule wins, as in git.
 */
function verdict(list: IgnoreList, path: string, isDir: boolean): boolean | null {
  if (list.base && !path.startsWith(list.base + '/')) return null;
  const rel = list.base ? path.slice(list.base.length + 1) : path;
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  for (let i = list.rules.length - 1; i >= 0; i--) {
    const r = list.rules[i]!;
    if (r.dirOnly && !isDir) continue;
    if (r.re.test(r.basename ? name : rel)) return !r.negate;
  }
  return null;
}

/**
 * Whether `path` is ignored by `lists` (most specific first: deeper .gitignore files, then the
 * root's, then info/exclude). `true` only when certain; `null` when a list with unsupported
 * syntax could have decided. A path inside an ignored directory is ignored (git cannot
 * re-include it), so ancestors are checked first.
 */
export function isIgnored(lists: readonly IgnoreList[], path: string, isDir: boolean): boolean | null {
  const parts = path.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const p = parts.slice(0, i).join('/');
    const dir = i < parts.length || isDir;
    let decided: boolean | null = null;
    for (const list of lists) {
      if (list.base && !p.startsWith(list.base + '/')) continue;
      if (list.unsupported) return null;
      decided = verdict(list, p, dir);
      if (decided !== null) break;
    }
    if (decided === true) return true;
  }
  return false;
}
