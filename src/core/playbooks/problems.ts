// Schema problems in plain words: zod's issues about a playbook file turned into what a person
// fixes ("`severty` is not a playbook field — did you mean `severity`?"), each with the path it
// is about and whether it points at a key, a value or the mapping missing something. Pure.
import type { $ZodIssue } from 'zod/v4/core';
import {
  ActionNodeSchema,
  AnalysisSchema,
  CheckNodeSchema,
  CommandSchema,
  EndNodeSchema,
  ForbiddenSchema,
  InputSchema,
  PlaybookSchema,
  ProbeSymptomSchema,
  QuestionNodeSchema,
  StepNodeSchema,
  SubjectSpecSchema,
  TextSymptomSchema,
} from './model';

export type Path = (string | number)[];

/** Problem codes, shared with the editor (diagnostic codes, what the YAML extension also shows). */
export type ProblemCode = 'yaml-syntax' | 'unknown-field' | 'missing-field' | 'wrong-type' | 'wrong-value' | 'invalid' | 'graph' | 'unsafe-pattern' | 'duplicate-id' | 'unreadable' | 'placeholder' | 'runbook';

export interface SchemaProblem {
  path: Path;
  /** What the position should be: the key itself (unknown field), its value, or the mapping that lacks it. */
  at: 'key' | 'value' | 'parent';
  code: ProblemCode;
  message: string;
  /** An unknown field's likely meaning. */
  suggestion?: string;
  /** A missing field's name (the path is its mapping's). */
  missing?: string;
}

const NODE_SCHEMAS = { step: StepNodeSchema, check: CheckNodeSchema, question: QuestionNodeSchema, action: ActionNodeSchema, end: EndNodeSchema } as const;

const keys = (s: { shape: object }): string[] => Object.keys(s.shape);

/** The fields a mapping at `path` may hold, and how to name it ("a playbook field"). */
function context(path: Path, value: unknown): { fields: string[]; name: string } | undefined {
  const at = valueAt(value, path) as Record<string, unknown> | undefined;
  const [a, , c] = path;
  if (path.length === 0) return { fields: keys(PlaybookSchema), name: 'a playbook field' };
  if (a === 'nodes' && path.length === 2) {
    const kind = typeof at?.kind === 'string' && Object.hasOwn(NODE_SCHEMAS, at.kind) ? (at.kind as keyof typeof NODE_SCHEMAS) : undefined;
    return kind ? { fields: keys(NODE_SCHEMAS[kind]), name: `a field of ${kind === 'action' || kind === 'end' ? 'an' : 'a'} ${kind} node` } : undefined;
  }
  if (a === 'nodes' && c === 'commands' && path.length === 4) return { fields: keys(CommandSchema), name: 'a command field' };
  if (a === 'nodes' && c === 'options' && path.length === 4) return { fields: ['label', 'next'], name: 'an option field' };
  if (a === 'symptoms' && path.length === 2) {
    const probe = at && 'probe' in at;
    return { fields: probe ? keys(ProbeSymptomSchema) : keys(TextSymptomSchema), name: 'a symptom field' };
  }
  if (a === 'forbidden' && path.length === 2) return { fields: keys(ForbiddenSchema), name: 'a field of a forbidden command' };
  if (a === 'inputs' && path.length === 2) return { fields: keys(InputSchema), name: 'an input field' };
  if (a === 'analysis' && path.length === 1) return { fields: keys(AnalysisSchema), name: 'an analysis field' };
  if (a === 'subject' && path.length === 1) return { fields: keys(SubjectSpecSchema), name: 'a subject field' };
  return undefined;
}

export function valueAt(value: unknown, path: Path): unknown {
  let v = value;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

/** "node \"check-redis\"", "symptom 2", "the playbook": who a problem at `path` is about. */
export function whereIs(path: Path, value: unknown): string {
  const [a, i, c, j] = path;
  if (a === 'nodes' && typeof i === 'number') {
    const id = (valueAt(value, ['nodes', i]) as { id?: unknown } | undefined)?.id;
    const node = typeof id === 'string' && id ? `node "${id}"` : `node ${i + 1}`;
    if (c === 'commands' && typeof j === 'number') return `${node}, command ${j + 1}`;
    if (c === 'options' && typeof j === 'number') return `${node}, option ${j + 1}`;
    return node;
  }
  if (a === 'symptoms' && typeof i === 'number') return `symptom ${i + 1}`;
  if (a === 'forbidden' && typeof i === 'number') return `forbidden command ${i + 1}`;
  if (a === 'inputs' && typeof i === 'number') return `input ${i + 1}`;
  if (a === 'analysis') return 'analysis';
  if (a === 'subject') return 'subject';
  return 'the playbook';
}

/** The closest name within a small edit distance, for "did you mean". */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.min(3, Math.floor(best.length / 3))) ? best : undefined;
}

/** Optimal string alignment distance: a swapped pair of letters counts once. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value lines)',
  record: 'a mapping (key: value lines)',
};

function shownValue(v: unknown): string {
  if (v === null) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `"${v.length > 40 ? v.slice(0, 39) + '…' : v}"`;
  return String(v);
}

/** What a field needs, in words, where "is missing" alone would not help. */
const FIELD_HINTS: Record<string, string> = {
  lifeline: 'the format version: `lifeline: 1`',
  id: 'lower-case words joined by "-", e.g. `redis-down`',
  title: 'a few words naming it',
  severity: 'a number from 1 (trivial) to 5 (catastrophic)',
  failureType: 'one of test_failure, timeout, error, git_conflict, auth_failure, network_failure',
  recoverable: 'true or false',
  recoverableReason: 'why it can (or cannot) be recovered without a person',
  nodes: 'the list of steps',
  kind: 'one of step, check, question, action, end',
  outcome: 'resolved or escalate',
  pattern: 'a regular expression matched against a line of output',
  run: 'the command line',
  label: 'the words shown for it',
  next: 'the id of the node that follows',
  probe: 'the name of a workspace check',
  action: 'the name of a fix-up',
  reason: 'why it must never run',
  yes: 'the node to go to when the check says yes',
  no: 'the node to go to when the check says no',
  options: 'at least two answers, each with a label and next',
  rootCause: 'the cause, in a sentence',
  name: 'the placeholder name, e.g. `port`',
};

/** The problems of one zod issue (a union's issues come from the branch the value meant). */
export function describeIssue(issue: $ZodIssue, value: unknown, prefix: Path = []): SchemaProblem[] {
  const path: Path = [...prefix, ...(issue.path as Path)];
  const where = whereIs(path, value);
  const field = path[path.length - 1];
  const fieldName = typeof field === 'string' ? `\`${field}\`` : where;
  const inThe = (p: Path): string => (whereIs(p, value) === 'the playbook' ? '' : `${whereIs(p, value)}: `);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => {
        const ctx = context(path, value);
        const suggestion = ctx ? closest(k, ctx.fields) : undefined;
        const what = ctx ? `is not ${ctx.name}` : 'is not a field here';
        return { path: [...path, k], at: 'key', code: 'unknown-field', ...(suggestion ? { suggestion } : {}), message: `${inThe(path)}\`${k}\` ${what}${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}` };
      });
    case 'invalid_type': {
      const got = valueAt(value, path);
      const parent = path.slice(0, -1);
      if (got === undefined && typeof field === 'string') {
        const hint = FIELD_HINTS[field];
        return [{ path: parent, at: 'parent', code: 'missing-field', missing: field, message: `${inThe(parent)}\`${field}\` is missing${hint ? `: ${hint}` : ''}` }];
      }
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      return [{ path, at: 'value', code: 'wrong-type', message: `${inThe(parent)}${fieldName} should be ${expected}, not ${shownValue(got)}` }];
    }
    case 'invalid_value': {
      const got = valueAt(value, path);
      if (got === undefined && typeof field === 'string') {
        const parent = path.slice(0, -1);
        return [{ path: parent, at: 'parent', code: 'missing-field', missing: field, message: `${inThe(parent)}\`${field}\` is missing: ${FIELD_HINTS[field] ?? `one of ${issue.values.map(String).join(', ')}`}` }];
      }
      const allowed = issue.values.map(String);
      const suggestion = typeof got === 'string' ? closest(got, allowed) : undefined;
      const list = allowed.length === 1 ? allowed[0]! : allowed.length <= 8 ? `one of ${allowed.join(', ')}` : `one of ${allowed.slice(0, 6).join(', ')}, ... (${allowed.length} in all)`;
      return [{ path, at: 'value', code: 'wrong-value', message: `${inThe(path.slice(0, -1))}${fieldName} is ${shownValue(got)}: it must be ${list}${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}` }];
    }
    case 'invalid_union': {
      const got = valueAt(value, path);
      if ('discriminator' in issue && issue.discriminator) {
        const kp = path[path.length - 1] === issue.discriminator ? path : [...path, issue.discriminator as string];
        const kind = valueAt(value, kp);
        const allowed = ((issue as { options?: unknown[] }).options ?? Object.keys(NODE_SCHEMAS)).map(String);
        const suggestion = typeof kind === 'string' ? closest(kind, allowed) : undefined;
        if (kind === undefined) return [{ path: kp.slice(0, -1), at: 'parent', code: 'missing-field', message: `${inThe(kp.slice(0, -1))}\`kind\` is missing: ${FIELD_HINTS.kind}` }];
        return [{ path: kp, at: 'value', code: 'wrong-value', message: `${inThe(kp.slice(0, -1))}\`kind\` is ${shownValue(kind)}: it must be one of ${allowed.join(', ')}${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}` }];
      }
      // A symptom is text (pattern) or a workspace probe: report the branch it meant.
      const branches = issue.errors;
      const meant = got && typeof got === 'object' && 'probe' in got ? branches[1] : branches[0];
      if (meant?.length) return meant.flatMap((i) => describeIssue(i, value, path));
      return [{ path, at: 'value', code: 'invalid', message: `${inThe(path)}has the wrong shape` }];
    }
    case 'too_small':
    case 'too_big': {
      const got = valueAt(value, path);
      const custom = !/^(?:too (?:small|big)|invalid input)/i.test(issue.message) ? issue.message : undefined;
      if (issue.origin === 'number') {
        const bound = issue.code === 'too_small' ? `at least ${String(issue.minimum)}` : `at most ${String(issue.maximum)}`;
        return [{ path, at: 'value', code: 'wrong-value', message: `${inThe(path.slice(0, -1))}${fieldName} is ${shownValue(got)}: it must be ${bound}` }];
      }
      return [{ path, at: 'value', code: 'invalid', message: `${inThe(path.slice(0, -1))}${fieldName} ${custom ?? (issue.code === 'too_small' ? 'is too short' : 'is too long')}` }];
    }
    default: {
      const got = valueAt(value, path);
      const message = oneLine(issue.message);
      const shown = typeof got === 'string' && issue.code === 'invalid_format' ? ` ${shownValue(got)}` : '';
      return [{ path, at: 'value', code: 'invalid', message: `${inThe(path.slice(0, -1))}${fieldName}${shown} ${message}` }];
    }
  }
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}
