// Turns symptom matches into one answer: the scenario whose most specific symptom is strongest
// (the root cause, not the first scary word), in seed 004's recovery-analysis shape plus
// Lifeline's own fields. Deterministic and offline.
import type { FailureType, Playbook, SymptomSource } from '../playbooks/model';
import { compileMatcher } from '../matching/matcher';
import type { Matcher } from '../matching/matcher';
import { scanText } from '../matching/stream';
import type { SymptomMatch, SymptomStream } from '../matching/stream';

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
}

interface Score {
  playbook: Playbook;
  score: number;
  best: number;
  matches: SymptomMatch[];
}

/** Ranks the playbooks that matched; strongest first, ties broken by id for determinism. */
export function rank(playbooks: readonly Playbook[], stream: SymptomStream): Score[] {
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
  return scores.sort((a, b) => b.score - a.score || (a.playbook.id < b.playbook.id ? -1 : 1));
}

export function classifyStream(playbooks: readonly Playbook[], stream: SymptomStream): Classification {
  const ranked = rank(playbooks, stream);
  const top = ranked[0];
  if (!top) return noMatch();
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
  };
}

/** Classifies a whole text with a matcher compiled from `playbooks` (pass `matcher` to reuse one). */
export function classifyText(
  playbooks: readonly Playbook[],
  text: string | Uint8Array,
  options: { matcher?: Matcher; source?: SymptomSource } = {},
): Classification {
  const matcher = options.matcher ?? compileMatcher(playbooks);
  return classifyStream(playbooks, scanText(matcher, text, { source: options.source }));
}

function stepsText(p: Playbook): string {
  return p.nodes
    .filter((n) => n.kind === 'step' || n.kind === 'action')
    .slice(0, 6)
    .map((n, i) => `${i + 1}. ${n.title}`)
    .join('\n');
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
  };
}
