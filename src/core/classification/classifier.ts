// Turns symptom matches into one answer: the scenario whose most specific symptom is strongest
// (the root cause, not the first scary word), in seed 004's recovery-analysis shape plus
// Lifeline's own fields. Deterministic and offline.
import type { FailureType, Playbook, SymptomSource } from '../playbooks/model';
import { compileMatcher } from '../matching/matcher';
import type { Matcher } from '../matching/matcher';
import { scanText } from '../matching/stream';
import type { ScanResult, SymptomMatch } from '../matching/stream';

/**
 * A playbook is a candidate when one of its symptoms weighs at least this much, or when several
 * of its lighter symptoms together do; one light symptom alone never raises it (too generic).
 */
export const MIN_DECISIVE_WEIGHT = 25;

export interface Evidence {
  line: number;
  offset: number;
  text: string;
  weight: number;
}

export interface Classification {
  /** Playbook id of the root cause, or null when nothing known matched. */
  scenario: string | null;
  title: string | null;
  failure_type: FailureType | null;
  severity: number | null;
  /** 0..1. */
  confidence: number;
  evidence: Evidence[];
  // Seed 004's recovery analysis:
  root_cause: string | null;
  recoverable: boolean | null;
  recovery_plan: string | null;
  human_instructions: string | null;
  suggested_actions: string[];
  escalation_reason: string | null;
  /** Other scenarios that matched, strongest first. */
  alternatives: { scenario: string; score: number }[];
  /**
   * Whether the output shows a failure: a scenario matched, or (with `scenario` null) a generic
   * failure line or a non-zero exit code did. An unrecognised failure stays `scenario: null`.
   */
  failed: boolean;
  /** The guide to open: the scenario's playbook, `triage` for an unrecognised failure, else null. */
  guide: string | null;
}

/** The playbook offered when the output failed but no playbook recognises how. */
export const TRIAGE_GUIDE = 'triage';

/**
 * Root cause before consequence: when both scenarios matched, the cause ranks first whatever
 * the weights say. `minWeight` is the least weight of the cause's best symptom for the rule to
 * apply (a timeout explains itself unless the connection itself failed). Acyclic by design.
 */
export const EXPLAINED_BY: readonly { consequence: string; cause: string; minWeight?: number; why: string }[] = [
  // An error inside a test run is why the tests failed.
  ...['import-error', 'dependency-cycle', 'db-locked', 'migration-error', 'network-failure', 'auth-error', 'rate-limit', 'timeout', 'process-crash', 'merge-conflict', 'worktree-corruption'].map(
    (cause) => ({ consequence: 'test-failure', cause, why: 'an error inside a test run is the root cause of the failing tests' }),
  ),
  { consequence: 'import-error', cause: 'dependency-cycle', why: 'an ImportError from a partially initialised module is a circular import' },
  { consequence: 'timeout', cause: 'network-failure', minWeight: 80, why: 'a refused, reset or unresolvable connection is why the wait timed out' },
  { consequence: 'timeout', cause: 'db-locked', why: 'waiting on a locked database is why it timed out' },
  { consequence: 'migration-error', cause: 'db-locked', why: 'a migration that cannot take the lock fails because of the lock' },
  { consequence: 'auth-error', cause: 'rate-limit', why: 'a 403 whose body says the rate limit was exceeded is a rate limit' },
  { consequence: 'network-failure', cause: 'rate-limit', why: 'retries that ran out on 429s are a rate limit' },
  { consequence: 'process-crash', cause: 'orchestrator-crash', why: "a crash in the orchestrator's own frames is the orchestrator crashing" },
];

interface Score {
  playbook: Playbook;
  score: number;
  best: number;
  matches: SymptomMatch[];
}

/** Ranks the playbooks that matched; strongest first, ties broken by id for determinism. */
export function rank(playbooks: readonly Playbook[], stream: ScanResult): Score[] {
  const byId = new Map(playbooks.map((p) => [p.id, p]));
  const perPlaybook = new Map<string, { weights: Map<number, number>; matches: SymptomMatch[] }>();
  for (const m of stream.matches) {
    const e = perPlaybook.get(m.playbookId) ?? { weights: new Map<number, number>(), matches: [] };
    e.weights.set(m.symptomIndex, Math.max(e.weights.get(m.symptomIndex) ?? 0, m.weight));
    e.matches.push(m);
    perPlaybook.set(m.playbookId, e);
  }
  const scores: Score[] = [];
  for (const [id, e] of perPlaybook) {
    const playbook = byId.get(id);
    if (!playbook) continue;
    const weights = [...e.weights.values()];
    const best = Math.max(...weights);
    const sum = weights.reduce((a, b) => a + b, 0);
    let score: number;
    if (best >= MIN_DECISIVE_WEIGHT) {
      // Specificity (the best weight) dominates; corroborating symptoms add a little.
      score = best + Math.min(8, 2 * (weights.length - 1));
    } else if (weights.length > 1 && sum >= MIN_DECISIVE_WEIGHT) {
      // Several weak signals together (e.g. "Running upgrade" followed by a traceback).
      score = Math.min(sum, 2 * MIN_DECISIVE_WEIGHT - 1);
    } else continue;
    const matches = [...e.matches].sort((a, b) => b.weight - a.weight || a.line - b.line);
    scores.push({ playbook, score, best, matches });
  }
  scores.sort((a, b) => b.score - a.score || (a.playbook.id < b.playbook.id ? -1 : 1));
  return causesFirst(scores);
}

/** Moves each matched cause just above the highest of its consequences (EXPLAINED_BY). */
function causesFirst(scores: Score[]): Score[] {
  const out = [...scores];
  // Each move lifts a cause above a consequence; the rules are acyclic, so this settles.
  for (let moved = true, rounds = 0; moved && rounds < 50; rounds++) {
    moved = false;
    for (const rule of EXPLAINED_BY) {
      const c = out.findIndex((s) => s.playbook.id === rule.consequence);
      const k = out.findIndex((s) => s.playbook.id === rule.cause);
      if (c < 0 || k < c || out[k]!.best < (rule.minWeight ?? 0)) continue;
      const [cause] = out.splice(k, 1);
      out.splice(c, 0, cause!);
      moved = true;
    }
  }
  return out;
}

export interface ClassifyOptions {
  /** The exit code of the command that printed the output, when known: non-zero is a failure. */
  exitCode?: number | null;
}

export function classifyStream(playbooks: readonly Playbook[], stream: ScanResult, options: ClassifyOptions = {}): Classification {
  const ranked = rank(playbooks, stream);
  const top = ranked[0];
  if (!top) return unmatched(playbooks, stream, options.exitCode);
  const p = top.playbook;
  const second = ranked[1]?.score ?? 0;
  const margin = Math.min(1, (top.score - second) / 30);
  const confidence = Math.round(Math.min(0.99, 0.45 + 0.4 * Math.min(1, top.score / 100) + 0.14 * margin) * 100) / 100;
  const evidence = top.matches.slice(0, 5).map((m) => ({ line: m.line, offset: m.offset, text: m.text, weight: m.weight }));
  const a = p.analysis;
  const firstLine = evidence[0]?.text.trim();
  const rootCause = `${a?.rootCause ?? p.title}${firstLine ? ` Evidence: "${firstLine.length > 200 ? firstLine.slice(0, 200) + '…' : firstLine}"` : ''}`;
  const steps = stepsText(p);
  return {
    scenario: p.id,
    title: p.title,
    failure_type: p.failureType,
    severity: p.severity,
    confidence,
    evidence,
    root_cause: rootCause,
    recoverable: p.recoverable,
    recovery_plan: p.recoverable ? (a?.recoveryPlan ?? steps) : null,
    human_instructions: p.recoverable ? null : (a?.humanInstructions ?? steps),
    suggested_actions: a?.suggestedActions ?? [],
    escalation_reason: p.recoverable ? null : (a?.escalationReason ?? p.recoverableReason),
    alternatives: ranked.slice(1, 4).map((s) => ({ scenario: s.playbook.id, score: s.score })),
    failed: true,
    guide: p.id,
  };
}

/** Classifies a whole text with a matcher compiled from `playbooks` (pass `matcher` to reuse one). */
export function classifyText(
  playbooks: readonly Playbook[],
  text: string | Uint8Array,
  options: ClassifyOptions & { matcher?: Matcher; source?: SymptomSource } = {},
): Classification {
  const matcher = options.matcher ?? compileMatcher(playbooks);
  return classifyStream(playbooks, scanText(matcher, text, { source: options.source }), options);
}

function stepsText(p: Playbook): string {
  return p.nodes
    .filter((n) => n.kind === 'step' || n.kind === 'action')
    .slice(0, 6)
    .map((n, i) => `${i + 1}. ${n.title}`)
    .join('\n');
}

/**
 * No playbook matched. Still a failure when a generic failure line or a non-zero exit says so:
 * then the answer carries seed 004's failure type (a FAIL summary is a test failure, anything
 * else an error) and offers the triage guide, while `scenario` stays null so the miss shows.
 */
function unmatched(playbooks: readonly Playbook[], stream: ScanResult, exitCode: number | null | undefined): Classification {
  const signals = stream.signals;
  const exited = exitCode !== undefined && exitCode !== null && exitCode !== 0;
  if (signals.length === 0 && !exited) return noMatch();
  const triage = playbooks.find((p) => p.id === TRIAGE_GUIDE);
  const type: FailureType = signals.some((s) => s.type === 'test_failure') ? 'test_failure' : 'error';
  const first = signals[0]?.text.trim();
  const why = first ? `"${first.length > 200 ? first.slice(0, 200) + '…' : first}"` : `exit code ${exitCode}`;
  return {
    ...noMatch(),
    failure_type: type,
    evidence: signals.map((m) => ({ line: m.line, offset: m.offset, text: m.text, weight: 0 })),
    root_cause: `The output shows a failure that no playbook recognises. Evidence: ${why}`,
    recoverable: false,
    human_instructions: triage ? (triage.analysis?.humanInstructions ?? stepsText(triage)) : null,
    suggested_actions: triage?.analysis?.suggestedActions ?? [],
    escalation_reason: triage?.analysis?.escalationReason ?? 'No playbook recognises this failure, so a person must judge it.',
    failed: true,
    guide: triage ? TRIAGE_GUIDE : null,
  };
}

function noMatch(): Classification {
  return {
    scenario: null,
    title: null,
    failure_type: null,
    severity: null,
    confidence: 0,
    evidence: [],
    root_cause: null,
    recoverable: null,
    recovery_plan: null,
    human_instructions: null,
    suggested_actions: [],
    escalation_reason: null,
    alternatives: [],
    failed: false,
    guide: null,
  };
}
