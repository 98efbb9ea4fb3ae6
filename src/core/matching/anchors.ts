// Extracts the literal text a regular expression cannot match without ("anchors"), so that one
// combined literal scan can pick the few lines and patterns worth running the full regex on.
// Conservative by construction: when unsure, a branch yields no anchor and the pattern is
// checked on every line (correct, only slower).

/**
 * The anchor sets of `source`: every match of the pattern contains at least one string of the
 * returned set (compared case-insensitively). `null` when no such set of literals of at least
 * `minLength` characters could be proven. Of several required literals the rarest is chosen
 * (see `rarity`), so that common words do not make every line a candidate.
 */
export function extractAnchors(source: string, minLength = 3): string[] | null {
  const branches = splitTopLevel(source);
  if (!branches) return null;
  const out: string[] = [];
  for (const branch of branches) {
    const best = bestRequiredLiteral(branch, minLength);
    if (!best) return null;
    out.push(...best.map((a) => rarestWindow(a, MAX_ANCHOR)));
  }
  return [...new Set(out.map((a) => a.toLowerCase()))];
}

/**
 * Anchors longer than this are cut to their rarest part: any part of a required literal is
 * required too, and short anchors keep the automaton (and its table) small; the full literal
 * is still checked, as a guard, before the regex runs.
 */
const MAX_ANCHOR = 12;

function rarestWindow(literal: string, max: number): string {
  if (literal.length <= max) return literal;
  let best = literal.slice(0, max);
  for (let i = 1; i + max <= literal.length; i++) {
    const w = literal.slice(i, i + max);
    if (rarity(w) > rarity(best)) best = w;
  }
  return best;
}

/**
 * Literals every match of `source` contains, all of them (lower-cased, at least two characters):
 * a cheap check on a candidate line's bytes before its full regex runs. Only for a pattern
 * without top-level alternatives (a guard must hold for every way the pattern can match).
 */
export function extractGuards(source: string): string[] {
  const branches = splitTopLevel(source);
  if (!branches || branches.length !== 1) return [];
  const found = requiredRuns(branches[0]!, 2);
  return found ? [...new Set(found.runs.map((r) => r.toLowerCase()))] : [];
}

/**
 * Words that occur on most lines of ordinary logs (levels, HTTP access lines, test names,
 * source paths): a literal containing one is a poor anchor, whatever its length.
 */
const COMMON = ['http', 'info', 'debug', 'warn', 'test', 'error', 'timeout', '.py', '.js', '.ts', 'get ', '/api', 'the '];

/** How rarely a literal is expected in ordinary output: letters and digits count, spaces and punctuation little, common words against. */
export function rarity(literal: string): number {
  let score = 0;
  for (const c of literal) score += /[\p{L}\p{N}]/u.test(c) ? 1 : c === ' ' ? 0.25 : 0.5;
  const lower = literal.toLowerCase();
  for (const w of COMMON) if (lower.includes(w)) score -= 3;
  return score;
}

/**
 * Calls `visit` with each character of `src` from `from` on that is neither escaped nor inside a
 * character class; `visit` returning true stops the walk. Returns whether a class was left open.
 */
function walkStructure(src: string, from: number, visit: (c: string, i: number) => boolean | void): boolean {
  let inClass = false;
  for (let i = from; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (visit(c, i)) return false;
  }
  return inClass;
}

/** Splits on `|` at depth 0; null on syntax we do not follow. */
function splitTopLevel(src: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  const classOpen = walkStructure(src, 0, (c, i) => {
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      parts.push(src.slice(start, i));
      start = i + 1;
    }
    return depth < 0;
  });
  if (depth !== 0 || classOpen) return null;
  parts.push(src.slice(start));
  return parts;
}

const ESCAPED_LITERAL = /^[\\/.\-()[\]{}*+?^$|:'"#&~ ,;=!<>@%`]$/;

/**
 * The best set of literals required by one alternation-free branch: a single required run of
 * literal characters, or the anchors of a required group whose own branches all have one.
 */
function bestRequiredLiteral(branch: string, minLength: number): string[] | null {
  const found = requiredRuns(branch, minLength);
  if (!found) return null;
  const bestRun = [...found.runs].sort((a, b) => rarity(b) - rarity(a))[0];
  if (bestRun) return [bestRun];
  // No plain run: the group whose weakest anchor is rarest.
  const bestGroup = [...found.groupSets].sort((a, b) => minRarity(b) - minRarity(a))[0];
  return bestGroup ?? null;
}

/** The required literal runs of one alternation-free branch, and the anchor sets of its required groups. */
function requiredRuns(branch: string, minLength: number): { runs: string[]; groupSets: string[][] } | null {
  const runs: string[] = [];
  const groupSets: string[][] = [];
  let run = '';
  const flush = (): void => {
    if (run.length >= minLength) runs.push(run);
    run = '';
  };
  for (let i = 0; i < branch.length; i++) {
    const c = branch[i]!;
    if (c === '\\') {
      const n = branch[i + 1] ?? '';
      i++;
      if (ESCAPED_LITERAL.test(n)) {
        if (isOptionalQuantifier(branch, i + 1)) {
          flush();
          i = skipQuantifier(branch, i + 1) - 1;
        } else run += n;
      } else {
        // \b \B are zero-width: they do not break a literal run's requiredness, but keep it simple.
        flush();
        if (/[dDwWsSpPuxck0-9]/.test(n)) i = skipEscapeBody(branch, i) - 1;
        i = skipQuantifier(branch, i + 1) - 1;
      }
      continue;
    }
    if (c === '(') {
      const end = matchingParen(branch, i);
      if (end < 0) return null;
      flush();
      let inner = branch.slice(i + 1, end);
      const optional = isOptionalQuantifier(branch, end + 1);
      const lookaround = /^\?(?:[=!]|<[=!])/.test(inner);
      if (!optional && !lookaround) {
        inner = inner.replace(/^\?(?::|<[A-Za-z_$][\w$]*>)/, '');
        const anchors = extractAnchors(inner, minLength);
        if (anchors) groupSets.push(anchors);
      }
      i = skipQuantifier(branch, end + 1) - 1;
      continue;
    }
    if (c === '[') {
      flush();
      let j = i + 1;
      while (j < branch.length && branch[j] !== ']') j += branch[j] === '\\' ? 2 : 1;
      i = skipQuantifier(branch, j + 1) - 1;
      continue;
    }
    if ('.^$'.includes(c)) {
      flush();
      i = skipQuantifier(branch, i + 1) - 1;
      continue;
    }
    if ('*+?{'.includes(c)) {
      // A quantifier on the previous literal character: it may be absent (or repeated).
      const last = run.slice(0, -1);
      const optional = isOptionalQuantifier(branch, i);
      run = optional ? last : run;
      flush();
      i = skipQuantifier(branch, i) - 1;
      continue;
    }
    run += c;
  }
  flush();
  return { runs, groupSets };
}

function minRarity(set: string[]): number {
  return Math.min(...set.map(rarity));
}

function matchingParen(s: string, open: number): number {
  let depth = 0;
  let found = -1;
  walkStructure(s, open, (c, i) => {
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) found = i;
    return found >= 0;
  });
  return found;
}

function skipEscapeBody(s: string, i: number): number {
  // i points at the escape letter; \p{..} \u{..} \xHH \uHHHH \cX
  const n = s[i];
  if ((n === 'p' || n === 'P' || n === 'u') && s[i + 1] === '{') return s.indexOf('}', i) + 1 || s.length;
  if (n === 'x') return i + 3;
  if (n === 'u') return i + 5;
  if (n === 'c') return i + 2;
  return i + 1;
}

/** Index after a quantifier starting at i (or i when there is none). */
function skipQuantifier(s: string, i: number): number {
  const c = s[i];
  if (c === '*' || c === '+' || c === '?') return s[i + 1] === '?' ? i + 2 : i + 1;
  if (c === '{') {
    const m = /^\{\d+(?:,\d*)?\}\??/.exec(s.slice(i));
    if (m) return i + m[0].length;
  }
  return i;
}

/** Whether a quantifier at i allows zero repetitions. */
function isOptionalQuantifier(s: string, i: number): boolean {
  const c = s[i];
  if (c === '*' || c === '?') return true;
  if (c === '{') return /^\{0(?:,\d*)?\}/.test(s.slice(i));
  return false;
}
