// Compiles every text symptom of the loaded playbooks into one multi-pattern matcher: one
// Aho-Corasick pass over the text finds every pattern's literal anchors at once and so selects
// the lines (and the few patterns) on which the full regular expressions run. Patterns without
// a provable anchor are kept on a slow path that tests every line.
import type { Playbook, SymptomSource } from '../playbooks/model';
import { isTextSymptom } from '../playbooks/model';
import { compilePattern } from '../playbooks/patterns';
import { extractAnchors } from './anchors';
import { AhoCorasick } from './aho-corasick';

export interface CompiledSymptom {
  playbookId: string;
  /** Index of the symptom in its playbook's `symptoms`. */
  index: number;
  regex: RegExp;
  unless?: RegExp;
  weight: number;
  sources?: readonly SymptomSource[];
}

export interface Matcher {
  readonly symptoms: readonly CompiledSymptom[];
  /** Finds all anchors in one pass; a hit reports an index into `anchors`. */
  readonly automaton: AhoCorasick;
  /** Lower-cased anchors and the symptoms each one selects. */
  readonly anchors: readonly (readonly [string, readonly number[]])[];
  /** Symptoms without an anchor: tested on every line. */
  readonly unanchored: readonly number[];
}

export function compileMatcher(playbooks: readonly Playbook[]): Matcher {
  const symptoms: CompiledSymptom[] = [];
  const byAnchor = new Map<string, number[]>();
  const unanchored: number[] = [];
  for (const p of playbooks) {
    p.symptoms.forEach((s, index) => {
      if (!isTextSymptom(s)) return;
      const compiled: CompiledSymptom = {
        playbookId: p.id,
        index,
        regex: compilePattern(s.pattern, s.caseSensitive),
        unless: s.unless ? compilePattern(s.unless, s.caseSensitive) : undefined,
        weight: s.weight,
        sources: s.sources,
      };
      const id = symptoms.push(compiled) - 1;
      const anchors = extractAnchors(s.pattern);
      if (!anchors) {
        unanchored.push(id);
        return;
      }
      for (const a of anchors) {
        const list = byAnchor.get(a) ?? [];
        list.push(id);
        byAnchor.set(a, list);
      }
    });
  }
  const anchorList = [...byAnchor.entries()];
  return { symptoms, automaton: new AhoCorasick(anchorList.map(([a]) => a)), anchors: anchorList, unanchored };
}
