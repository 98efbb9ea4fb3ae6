// Compiles every text symptom of the loaded playbooks into one multi-pattern matcher: one
// Aho-Corasick pass over the text finds every pattern's literal anchors at once and so selects
// the lines (and the few patterns) on which the full regular expressions run. Patterns without
// a provable anchor are kept on a slow path that tests every line.
import type { Playbook, SymptomSource } from '../playbooks/model';
import { isTextSymptom } from '../playbooks/model';
import { compilePattern } from '../playbooks/patterns';
import { extractAnchors, extractGuards } from './anchors';
import { AhoCorasick } from './aho-corasick';
import { FAILURE_SIGNALS } from './failure-signals';
import type { FailureType } from '../playbooks/model';

export interface CompiledSymptom {
  playbookId: string;
  /** Index of the symptom in its playbook's `symptoms`. */
  index: number;
  regex: RegExp;
  unless?: RegExp;
  weight: number;
  sources?: readonly SymptomSource[];
  /** Set for a generic failure signal (no playbook): the failure type it shows. */
  signal?: FailureType;
  /**
   * Lower-cased UTF-8 literals every match contains: a line lacking one is skipped before it is
   * decoded or the regex runs. Empty when the pattern has top-level alternatives.
   */
  guards: readonly Uint8Array[];
  /** The same guards as text, for long lines searched after decoding. */
  guardText: readonly string[];
}

export interface Matcher {
  readonly symptoms: readonly CompiledSymptom[];
  /** Finds all anchors in one pass; a hit reports an index into `anchors`. */
  readonly automaton: AhoCorasick;
  /** Lower-cased anchors and the symptoms each one selects. */
  readonly anchors: readonly (readonly [string, readonly number[]])[];
  /** Symptoms without an anchor: tested on every line. */
  readonly unanchored: readonly number[];
  /** For each automaton state, the symptoms its anchors select (the hot loop's one lookup on a hit). */
  readonly selects: readonly (readonly number[] | undefined)[];
}

/** Line feed, carriage return and escape: the stream handles them; no anchor contains one. */
const CONTROL_BYTES = [10, 13, 27];

export function compileMatcher(playbooks: readonly Playbook[]): Matcher {
  const symptoms: CompiledSymptom[] = [];
  const byAnchor = new Map<string, number[]>();
  const unanchored: number[] = [];
  const encoder = new TextEncoder();
  const add = (partial: Omit<CompiledSymptom, 'guards' | 'guardText'>, pattern: string): void => {
    const guardText = extractGuards(pattern);
    const id = symptoms.push({ ...partial, guards: guardText.map((g) => encoder.encode(g)), guardText }) - 1;
    const anchors = extractAnchors(pattern);
    if (!anchors) {
      unanchored.push(id);
      return;
    }
    for (const a of anchors) {
      const list = byAnchor.get(a) ?? [];
      list.push(id);
      byAnchor.set(a, list);
    }
  };
  for (const p of playbooks) {
    p.symptoms.forEach((s, index) => {
      if (!isTextSymptom(s)) return;
      const unless = s.unless ? compilePattern(s.unless, s.caseSensitive) : undefined;
      add({ playbookId: p.id, index, regex: compilePattern(s.pattern, s.caseSensitive), unless, weight: s.weight, sources: s.sources }, s.pattern);
    });
  }
  FAILURE_SIGNALS.forEach((f, index) => {
    const unless = f.unless ? compilePattern(f.unless, f.caseSensitive) : undefined;
    add({ playbookId: '', index, regex: compilePattern(f.pattern, f.caseSensitive), unless, weight: 0, signal: f.type }, f.pattern);
  });
  const anchorList = [...byAnchor.entries()];
  const automaton = new AhoCorasick(anchorList.map(([a]) => a), CONTROL_BYTES);
  const selects = automaton.outputs.map((out) => (out ? [...new Set(out.flatMap((a) => anchorList[a]![1]))].sort((x, y) => x - y) : undefined));
  return { symptoms, automaton, anchors: anchorList, unanchored, selects };
}
