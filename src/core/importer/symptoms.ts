// Reads what a runbook's words say into playbook parts: symptom lines into text symptoms
// (only what the runbook wrote, regex-escaped), "NEVER run `x`" into forbidden entries, and
// command-looking code spans (`alembic current`) into commands. Pure.
import type { Forbidden, TextSymptom } from '../playbooks/model';
import { plainText } from './markdown';
import type { Segment } from './markdown';
import { cleanTitle } from './labels';
import { escapeRegex } from '../text/strings';

/** Weight of a symptom that is a runbook's prose: weak evidence, for people to sharpen. */
export const PROSE_WEIGHT = 5;
/** Weight of an error string the runbook quotes: it names output, so it counts for more. */
export const QUOTED_WEIGHT = 25;


/** Splits a label's value at commas outside code spans: "`A`, `B`, c" -> three items. */
export function splitAtCommas(segments: Segment[]): Segment[][] {
  const items: Segment[][] = [[]];
  for (const s of segments) {
    if (s.kind === 'code') {
      items[items.length - 1]!.push(s);
      continue;
    }
    const parts = s.value.split(/,|;/);
    parts.forEach((p, i) => {
      if (i > 0) items.push([]);
      if (p) items[items.length - 1]!.push({ kind: 'text', value: p });
    });
  }
  return items.filter((item) => plainText(item).trim() !== '');
}

type Piece = { kind: 'text' | 'code' | 'quote'; value: string };

/** Text with its double-quoted strings and code spans told apart. */
function pieces(segments: Segment[]): Piece[] {
  const out: Piece[] = [];
  for (const s of segments) {
    if (s.kind === 'code') {
      out.push({ kind: 'code', value: s.value });
      continue;
    }
    const re = /"([^"\n]+)"|“([^”\n]+)”/g;
    let last = 0;
    for (let m = re.exec(s.value); m; m = re.exec(s.value)) {
      if (m.index > last) out.push({ kind: 'text', value: s.value.slice(last, m.index) });
      out.push({ kind: 'quote', value: (m[1] ?? m[2])! });
      last = m.index + m[0].length;
    }
    if (last < s.value.length) out.push({ kind: 'text', value: s.value.slice(last) });
  }
  return out;
}

/** Words that tell an error string from a command or a status in quotes. */
const ERRORISH =
  /error|exception|fatal|fail|denied|refused|not found|no such|locked|timed? ?out|invalid|cannot|can't|unable|exhausted|exceeded|conflict|panic|traceback|abort|interrupt|killed|segfault|not a valid/i;

const CLI_WORDS = new Set(
  (
    'git gh pytest python python3 py pip pip3 pipx uv poetry tox alembic django-admin manage.py npm npx yarn pnpm node deno bun tsc ' +
    'eslint jest vitest mocha go cargo rustc mvn gradle dotnet java make cmake docker docker-compose podman kubectl helm terraform ' +
    'ansible aws gcloud az sqlite3 psql mysql redis-cli mongo mongosh curl wget ssh scp rsync tar zip unzip systemctl service ' +
    'journalctl ps kill pkill lsof netstat ss top htop df du free ls cat tail head grep rg find rm mv cp mkdir chmod chown cd ' +
    'echo export source sudo vrooli code aider pre-commit ruff mypy black flake8 bandit isort pylint ' +
    'get-process stop-process remove-item get-childitem test-path get-content select-string set-location new-item copy-item'
  ).split(/\s+/),
);

/** `alembic current`, `git worktree prune -v`, `.\scripts\run.ps1`: a command a person would type. */
export function looksLikeCommand(code: string): boolean {
  const t = code.trim();
  if (!t || t.includes('\n')) return false;
  const first = t.split(/\s+/)[0]!.toLowerCase();
  if (CLI_WORDS.has(first)) return true;
  return /^(?:\.{1,2}[\\/]|~[\\/])\S+\.(?:sh|ps1|py|bat|cmd)$/i.test(first);
}

const NEGATED = /\b(?:never|do not|don't|dont|avoid|must not|should not)\b/i;

/** Command-looking code spans in a step's text, unless the text says not to run them. */
export function inlineCommands(segments: Segment[]): string[] {
  if (NEGATED.test(plainText(segments))) return [];
  return segments.filter((s) => s.kind === 'code' && looksLikeCommand(s.value)).map((s) => s.value.trim());
}

/**
 * "**NEVER do this**: `alembic stamp head` (risk of data loss)" -> a forbidden entry for each
 * code span. Only an explicit prohibition counts.
 */
export function forbiddenFrom(segments: Segment[]): Forbidden[] {
  const text = cleanTitle(plainText(segments)).replace(/\s+/g, ' ');
  if (!/\bnever\b|\b(?:do not|don't|must not) (?:run|use|execute|type|call)\b/i.test(text)) return [];
  return segments
    .filter((s) => s.kind === 'code' && s.value.trim())
    .map((s) => ({ pattern: escapeRegex(s.value.trim()).replace(/\s+/g, '\\s+'), reason: text }));
}

/** Whether a list item or paragraph is only a prohibition (then it is no step of its own). */
export function isProhibition(segments: Segment[]): boolean {
  return /^never\b/i.test(cleanTitle(plainText(segments))) && forbiddenFrom(segments).length > 0;
}

/** The quoted strings of a symptom line that name output the failure prints. */
function errorStrings(ps: Piece[]): string[] {
  const quoted = ps.filter((p) => p.kind !== 'text' && p.value.trim());
  if (quoted.length === 0) return [];
  const rest = ps
    .filter((p) => p.kind === 'text')
    .map((p) => p.value)
    .join('')
    .replace(/[\s.,;:!/|()-]+/g, '');
  // The line is nothing but quotes: each one is the symptom.
  if (rest === '') return quoted.filter((p) => !looksLikeCommand(p.value)).map((p) => p.value.trim());
  const firstQuote = ps.indexOf(quoted[0]!);
  const before = ps
    .slice(0, firstQuote)
    .map((p) => p.value)
    .join('');
  // "Error: "x"", "Error message like "A", "B"", "fails with `X`": every quote is output.
  if (/\b(?:errors?|exceptions?|messages?|output|says|saying|reads|like|with|prints?)\b[\s:]*$/i.test(before) || /^\s*error\s*:?\s*$/i.test(before)) {
    return quoted.filter((p) => !looksLikeCommand(p.value)).map((p) => p.value.trim());
  }
  return ps
    .map((p, i) => ({ p, next: ps[i + 1] }))
    .filter(({ p, next }) => {
      if (p.kind === 'text' || looksLikeCommand(p.value)) return false;
      // '"not a valid path" errors'
      if (next?.kind === 'text' && /^\s*(?:errors?|exceptions?|messages?|warnings?)\b/i.test(next.value)) return true;
      return ERRORISH.test(p.value);
    })
    .map(({ p }) => p.value.trim());
}

/**
 * Error text a scenario's opening prose quotes in backticks ("the worker dies with
 * `database is locked`"): each such span, escaped. Commands and other code stay out.
 */
export function quotedErrors(segments: Segment[]): TextSymptom[] {
  if (NEGATED.test(plainText(segments))) return [];
  return segments
    .filter((s) => s.kind === 'code' && s.value.trim() && !looksLikeCommand(s.value) && ERRORISH.test(s.value))
    .map((s) => ({ pattern: escapeRegex(s.value.trim()), weight: QUOTED_WEIGHT }));
}

/** A line of error output the runbook shows: that exact text is the symptom. */
export function outputSymptom(line: string): TextSymptom {
  return { pattern: escapeRegex(line.trim()), weight: QUOTED_WEIGHT };
}

/**
 * One symptom line of a runbook -> its text symptoms: each quoted error string, escaped; or,
 * when it quotes none, the line itself as a literal with low weight.
 */
export function symptomsFrom(segments: Segment[]): TextSymptom[] {
  const line = cleanTitle(plainText(segments)).replace(/\s+/g, ' ').replace(/[.;,]$/, '');
  if (!line) return [];
  const strings = errorStrings(pieces(segments));
  if (strings.length) {
    return strings.map((s) => (s === line ? { pattern: escapeRegex(s), weight: QUOTED_WEIGHT } : { pattern: escapeRegex(s), weight: QUOTED_WEIGHT, description: line }));
  }
  // The pattern is the line itself: a description would only repeat it.
  return [{ pattern: escapeRegex(line), weight: PROSE_WEIGHT }];
}
