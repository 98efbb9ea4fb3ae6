// Reads playbook files (YAML; JSON is a subset) into validated `Playbook`s. Every problem comes
// back as `file:line: message`, so `lifeline playbooks lint` and the editor can point at it.
// Pure apart from reading the files it is given.
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { LineCounter, parseDocument, isMap, isNode, isScalar, isSeq } from 'yaml';
import type { Document } from 'yaml';
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { PathRefused } from '../fixups/contain';
import { MiB, readRegularFile } from '../fixups/read-file';
import { PlaybookSchema, isTextSymptom } from './model';
import { backtrackingProblem } from './regex-safety';
import type { Playbook } from './model';
import { checkGraph } from './graph';
import { placeholderProblems } from './placeholders';
import { formatError } from './collection';
import type { DirResult, PlaybookError, PlaybookOrigin } from './collection';
import { describeIssue, whereIs } from './problems';
import type { SchemaProblem } from './problems';
import { importRunbook } from '../importer/import-runbook';
import { ImportError } from '../importer/errors';
// The editor's bundle loads this module lazily (esbuild.mjs); what the Import Runbook command
// needs of the importer comes through it, so markdown-it and the YAML writer ship once.
export { importRunbook } from '../importer/import-runbook';
export { planImport, planPreview } from '../importer/import-plan';

// zod/mini ships without messages; English ones read better than "Invalid input".
config(en());

/** Aliases one file may expand: a playbook needs a few; a billion-laughs file needs thousands. */
const MAX_ALIASES = 100;

export interface ParseResult {
  playbook?: Playbook;
  errors: PlaybookError[];
  /** Set when the playbook loads: what lint warns about (placeholders nothing fills). */
  warnings?: PlaybookError[];
  /** The line each node starts at (1-based), when the playbook loads. */
  nodeLines?: Record<string, number>;
}

type At = (path: (string | number)[], at?: SchemaProblem['at']) => Pick<PlaybookError, 'line' | 'column' | 'end'>;

/** Parses and validates one playbook file's text. Every problem has its line and column. */
export function parsePlaybook(text: string, file: string): ParseResult {
  const lineCounter = new LineCounter();
  // The BOM is replaced, not removed, so columns stay those of the file.
  const doc = parseDocument(text.replace(/^\uFEFF/, ' '), { lineCounter, uniqueKeys: true, prettyErrors: false });
  const pos = (offset: number): { line: number; column: number } => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const span = (range: readonly number[]): Pick<PlaybookError, 'line' | 'column' | 'end'> => {
    const start = pos(range[0]!);
    const stop = pos(Math.max(range[0]!, range[1] ?? range[0]!));
    // A value running over several lines is marked on its first one.
    const end = stop.line === start.line && stop.column > start.column ? stop : { line: start.line, column: start.column + 1 };
    return { ...start, end };
  };
  if (doc.errors.length > 0) {
    return { errors: doc.errors.map((e) => ({ file, ...span(e.pos), code: 'yaml-syntax', message: `YAML: ${oneLine(e.message)}` })) };
  }
  let value: unknown;
  try {
    // The yaml package refuses alias expansion past this many (a "billion laughs" file).
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    return { errors: [{ file, line: 1, code: 'yaml-syntax', message: `cannot read: ${oneLine((e as Error).message)}` }] };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { errors: [{ file, line: 1, column: 1, code: 'wrong-type', message: 'a playbook file holds one mapping (lifeline, id, title, severity, nodes, ...)' }] };
  }
  const at: At = (path, where = 'value') => locate(doc, path, where, span);
  const parsed = PlaybookSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) => describeIssue(issue, value));
    // `severty` said to mean `severity`: that `severity` is missing says nothing more.
    const meant = new Set(problems.flatMap((p) => (p.code === 'unknown-field' && p.suggestion ? [JSON.stringify([...p.path.slice(0, -1), p.suggestion])] : [])));
    const errors = problems
      .filter((p) => !(p.code === 'missing-field' && meant.has(JSON.stringify(p.missing ? [...p.path, p.missing] : p.path))))
      .map((p) => ({ file, ...at(p.path, p.at), code: p.code, message: p.message }));
    return { errors: dedupe(errors).sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0)) };
  }
  const graphErrors = [
    ...patternProblems(parsed.data).map((g) => ({ ...g, code: 'unsafe-pattern' })),
    ...checkGraph(parsed.data).map((g) => ({ ...g, code: 'graph' })),
  ].map((g) => ({ file, ...at(g.path), code: g.code, message: g.message }));
  if (graphErrors.length) return { errors: graphErrors };
  const warnings = placeholderProblems(parsed.data).map((w) => ({ file, ...at(w.path), code: 'placeholder', message: `warning: ${w.message}` }));
  const nodeLines: Record<string, number> = {};
  parsed.data.nodes.forEach((n, i) => {
    const node = doc.getIn(['nodes', i], true);
    if (isNode(node) && node.range) nodeLines[n.id] = pos(node.range[0]).line;
  });
  return { playbook: parsed.data, errors: [], warnings, nodeLines };
}

/** Patterns that could backtrack catastrophically (regex-safety.ts), each with its path. */
function patternProblems(p: Playbook): { path: (string | number)[]; message: string }[] {
  const out: { path: (string | number)[]; message: string }[] = [];
  const check = (path: (string | number)[], source: string, caseSensitive?: boolean): void => {
    const why = backtrackingProblem(source, caseSensitive);
    if (why) out.push({ path, message: `${whereIs(path, p) === 'the playbook' ? '' : `${whereIs(path, p)}: `}\`${String(path[path.length - 1])}\` ${why}` });
  };
  p.symptoms.forEach((s, i) => {
    if (!isTextSymptom(s)) return;
    check(['symptoms', i, 'pattern'], s.pattern, s.caseSensitive);
    if (s.unless) check(['symptoms', i, 'unless'], s.unless, s.caseSensitive);
  });
  p.forbidden.forEach((f, i) => check(['forbidden', i, 'pattern'], f.pattern));
  return out;
}

/**
 * Where a problem at `path` shows: the key of an unknown field, the value of a wrong one, the
 * key of the mapping that lacks one; else the deepest node on the path that exists.
 */
function locate(doc: Document, path: (string | number)[], where: SchemaProblem['at'], span: (range: readonly number[]) => Pick<PlaybookError, 'line' | 'column' | 'end'>): Pick<PlaybookError, 'line' | 'column' | 'end'> {
  const keyOf = (p: (string | number)[]): Pick<PlaybookError, 'line' | 'column' | 'end'> | undefined => {
    const parent = p.length === 1 ? doc.contents : doc.getIn(p.slice(0, -1), true);
    if (!isMap(parent)) return undefined;
    const pair = parent.items.find((it) => isScalar(it.key) && it.key.value === p[p.length - 1]);
    return pair && isScalar(pair.key) && pair.key.range ? span(pair.key.range) : undefined;
  };
  if (where === 'key' && path.length) {
    const k = keyOf(path);
    if (k) return k;
  }
  if (where === 'parent' && path.length && typeof path[path.length - 1] === 'string') {
    const k = keyOf(path);
    if (k) return k;
  }
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (!isNode(node) || !node.range) continue;
    // A mapping or list is marked at its first line, not over all of it.
    if ((isMap(node) || isSeq(node)) && n === path.length && where === 'value') {
      const k = keyOf(path);
      if (k) return k;
    }
    if (isMap(node)) {
      const key = node.items[0]?.key;
      return span(isScalar(key) && key.range ? key.range : [node.range[0], node.range[0] + 1]);
    }
    if (isSeq(node)) return span([node.range[0], node.range[0] + 1]);
    return span(node.range);
  }
  return { line: 1, column: 1 };
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

/** A Markdown runbook read as playbooks; a folder's README describes the folder and is not one. */
export function isRunbookFileName(name: string): boolean {
  return /\.(md|markdown)$/i.test(name) && !/^readme\./i.test(name);
}

/** What one playbook file (YAML) or runbook (Markdown, several scenarios) holds. */
export interface FileResult {
  playbooks: Playbook[];
  errors: PlaybookError[];
  warnings: PlaybookError[];
  /** One per playbook, in the same order. */
  origins: PlaybookOrigin[];
}

/** Parses one file's content by its kind: YAML or JSON a playbook, Markdown a runbook read through the importer. */
export function parsePlaybookFile(content: Uint8Array | string, file: string): FileResult {
  if (isRunbookFileName(basename(file)) || /\.(md|markdown)$/i.test(file)) return parseRunbook(content, file);
  const text = typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
  const r = parsePlaybook(text, file);
  return {
    playbooks: r.playbook ? [r.playbook] : [],
    errors: r.errors,
    warnings: r.warnings ?? [],
    origins: r.playbook ? [{ file, format: 'yaml', line: 1, nodes: r.nodeLines ?? {} }] : [],
  };
}

/** A Markdown runbook as it is: its scenarios, symptoms and steps, as `lifeline playbooks import` reads them. */
function parseRunbook(content: Uint8Array | string, file: string): FileResult {
  try {
    const r = importRunbook(content, file);
    // The importer escapes what it quotes; the budget check still holds for whatever it made.
    const errors = r.playbooks.flatMap((p, i) =>
      patternProblems(p).map((g) => ({ file, line: r.origins[i]!.line, column: 1, code: 'unsafe-pattern', message: `${p.id}: ${g.message}` })),
    );
    if (errors.length) return { playbooks: [], errors, warnings: [], origins: [] };
    return { playbooks: r.playbooks, errors: [], warnings: [], origins: r.origins.map((o) => ({ file, format: 'markdown', line: o.line, nodes: o.nodes })) };
  } catch (e) {
    const message = e instanceof ImportError ? `not read as a runbook: ${e.message}` : `the runbook could not be read: ${oneLine((e as Error).message)}`;
    return { playbooks: [], errors: [{ file, line: 1, column: 1, code: 'runbook', message }], warnings: [], origins: [] };
  }
}

/** Far beyond any runbook (the largest built-in is a few KiB); a bound, not a style rule. */
const MAX_PLAYBOOK_BYTES = 64 * MiB;

/**
 * Loads every playbook file in `dir` (not recursive): YAML and JSON playbooks, and Markdown
 * runbooks through the importer. A duplicate id is an error.
 */
export async function loadPlaybookDir(dir: string): Promise<DirResult> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => isPlaybookFileName(n) || isRunbookFileName(n)).sort();
  } catch (e) {
    return { playbooks: [], errors: [{ file: dir, line: 1, code: 'unreadable', message: `cannot read playbook folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }] };
  }
  const playbooks: Playbook[] = [];
  const errors: PlaybookError[] = [];
  const warnings: PlaybookError[] = [];
  const origins: Record<string, PlaybookOrigin> = {};
  const byId = new Map<string, string>();
  for (const name of names) {
    const file = join(dir, name);
    let bytes: Buffer | null;
    try {
      // A FIFO named x.yaml would block the terminal watcher for good; a device would never end.
      bytes = await readRegularFile(file, { what: 'playbook', maxBytes: MAX_PLAYBOOK_BYTES });
    } catch (e) {
      errors.push({ file, line: 1, code: 'unreadable', message: e instanceof PathRefused ? e.message : `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      continue;
    }
    if (!bytes) continue; // gone since the listing
    const r = parsePlaybookFile(bytes, file);
    errors.push(...r.errors);
    warnings.push(...r.warnings);
    r.playbooks.forEach((p, i) => {
      const origin = r.origins[i]!;
      const prior = byId.get(p.id);
      if (prior) {
        errors.push({ file, line: origin.line, column: 1, code: 'duplicate-id', message: `id "${p.id}" is already used by ${prior}` });
        return;
      }
      byId.set(p.id, file);
      playbooks.push(p);
      origins[p.id] = origin;
    });
  }
  return { playbooks, errors, warnings, origins };
}
