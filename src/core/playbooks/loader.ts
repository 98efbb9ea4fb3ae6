// Reads playbook files (YAML; JSON is a subset) into validated `Playbook`s. Every problem comes
// back as `file:line: message`, so `lifeline playbooks lint` and the editor can point at it.
// Pure apart from reading the files it is given.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { Document } from 'yaml';
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { PathRefused } from '../paths/contain';
import { MiB, readRegularFile } from '../paths/read-file';
import { PlaybookSchema, isTextSymptom } from './model';
import { backtrackingProblem } from './regex-safety';
import type { Playbook } from './model';
import { checkGraph } from './graph';
import { placeholderProblems } from './placeholders';
import { formatError } from './collection';
import type { DirResult, PlaybookError } from './collection';

// zod/mini ships without messages; English ones read better than "Invalid input".
config(en());

/** Aliases one file may expand: a playbook needs a few; a billion-laughs file needs thousands. */
const MAX_ALIASES = 100;

export interface ParseResult {
  playbook?: Playbook;
  errors: PlaybookError[];
  /** Set when the playbook loads: what lint warns about (placeholders nothing fills). */
  warnings?: PlaybookError[];
}

/** Parses and validates one playbook file's text. */
export function parsePlaybook(text: string, file: string): ParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter, uniqueKeys: true, prettyErrors: false });
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  if (doc.errors.length > 0) {
    return { errors: doc.errors.map((e) => ({ file, line: lineAt(e.pos[0]), message: oneLine(e.message) })) };
  }
  let value: unknown;
  try {
    // The yaml package refuses alias expansion past this many (a "billion laughs" file).
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    return { errors: [{ file, line: 1, message: `cannot read: ${oneLine((e as Error).message)}` }] };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { errors: [{ file, line: 1, message: 'a playbook file holds one mapping (id, title, symptoms, nodes, ...)' }] };
  }
  const parsed = PlaybookSchema.safeParse(value);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({
      file,
      line: lineOfPath(doc, issue.path as (string | number)[], lineAt),
      message: `${issue.path.length ? issue.path.join('.') + ': ' : ''}${oneLine(issue.message)}`,
    }));
    return { errors: dedupe(errors) };
  }
  const graphErrors = [...patternProblems(parsed.data), ...checkGraph(parsed.data)].map((g) => ({
    file,
    line: lineOfPath(doc, g.path, lineAt),
    message: g.message,
  }));
  if (graphErrors.length) return { errors: graphErrors };
  const warnings = placeholderProblems(parsed.data).map((w) => ({ file, line: lineOfPath(doc, w.path, lineAt), message: `warning: ${w.message}` }));
  return { playbook: parsed.data, errors: [], warnings };
}

/** Patterns that could backtrack catastrophically (regex-safety.ts), each with its path. */
function patternProblems(p: Playbook): { path: (string | number)[]; message: string }[] {
  const out: { path: (string | number)[]; message: string }[] = [];
  const check = (path: (string | number)[], source: string, caseSensitive?: boolean): void => {
    const why = backtrackingProblem(source, caseSensitive);
    if (why) out.push({ path, message: `${path.join('.')}: ${why}` });
  };
  p.symptoms.forEach((s, i) => {
    if (!isTextSymptom(s)) return;
    check(['symptoms', i, 'pattern'], s.pattern, s.caseSensitive);
    if (s.unless) check(['symptoms', i, 'unless'], s.unless, s.caseSensitive);
  });
  p.forbidden.forEach((f, i) => check(['forbidden', i, 'pattern'], f.pattern));
  return out;
}

/** The line of the deepest node on `path` that exists in the document (1 when none does). */
function lineOfPath(doc: Document, path: (string | number)[], lineAt: (offset: number) => number): number {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lineAt(node.range[0]);
  }
  return 1;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

function dedupe(errors: PlaybookError[]): PlaybookError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = formatError(e);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function isPlaybookFileName(name: string): boolean {
  return /\.(ya?ml|json)$/i.test(name) && !/\.schema\.json$/i.test(name);
}

/** Far beyond any runbook (the largest built-in is a few KiB); a bound, not a style rule. */
const MAX_PLAYBOOK_BYTES = 64 * MiB;

/** Loads every playbook file in `dir` (not recursive). A duplicate id is an error. */
export async function loadPlaybookDir(dir: string): Promise<DirResult> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter(isPlaybookFileName).sort();
  } catch (e) {
    return { playbooks: [], errors: [{ file: dir, line: 1, message: `cannot read playbook folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }] };
  }
  const playbooks: Playbook[] = [];
  const errors: PlaybookError[] = [];
  const warnings: PlaybookError[] = [];
  const byId = new Map<string, string>();
  for (const name of names) {
    const file = join(dir, name);
    let bytes: Buffer | null;
    try {
      // A FIFO named x.yaml would block the terminal watcher for good; a device would never end.
      bytes = await readRegularFile(file, { what: 'playbook', maxBytes: MAX_PLAYBOOK_BYTES });
    } catch (e) {
      errors.push({ file, line: 1, message: e instanceof PathRefused ? e.message : `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      continue;
    }
    if (!bytes) continue; // gone since the listing
    const text = bytes.toString('utf8');
    const r = parsePlaybook(text, file);
    errors.push(...r.errors);
    warnings.push(...(r.warnings ?? []));
    if (!r.playbook) continue;
    const prior = byId.get(r.playbook.id);
    if (prior) {
      errors.push({ file, line: 1, message: `id "${r.playbook.id}" is already used by ${prior}` });
      continue;
    }
    byId.set(r.playbook.id, file);
    playbooks.push(r.playbook);
  }
  return { playbooks, errors, warnings };
}
