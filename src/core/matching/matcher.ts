// Compiles every text symptom of the loaded playbooks into one multi-pattern matcher: a single
// case-insensitive scan for the patterns' literal anchors selects the lines (and the few
// patterns) on which the full regular expressions run. Patterns without a provable anchor are
// kept on a slow path that tests every line.
import type { Playbook, SymptomSource } from '../playbooks/model';
import { isTextSymptom } from '../playbooks/model';
import { extractAnchors } from './anchors';

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
  /** One scan for all anchors (global, case-insensitive); null when there are none. */
  readonly prefilter: RegExp | null;
  /** Lower-cased anchors and the symptoms each one selects. */
  readonly anchors: readonly (readonly [string, readonly number[]])[];
  /** Symptoms without an anchor: tested on every line. */
  readonly unanchored: readonly number[];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

export function compileMatcher(playbooks: readonly Playbook[]): Matcher {
  const symptoms: CompiledSymptom[] = [];
  const byAnchor = new Map<string, number[]>();
  const unanchored: number[] = [];
  for (const p of playbooks) {
    p.symptoms.forEach((s, index) => {
      if (!isTextSymptom(s)) return;
      const flags = s.caseSensitive ? 'u' : 'iu';
      const compiled: CompiledSymptom = {
        playbookId: p.id,
        index,
        regex: new RegExp(s.pattern, flags),
        unless: s.unless ? new RegExp(s.unless, flags) : undefined,
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
  const anchorList = [...byAnchor.entries()].sort((a, b) => b[0].length - a[0].length || (a[0] < b[0] ? -1 : 1));
  const prefilter = anchorList.length ? new RegExp(anchorList.map(([a]) => escapeRegExp(a)).join('|'), 'gi') : null;
  return { symptoms, prefilter, anchors: anchorList, unanchored };
}

/** The symptoms whose anchors occur in `line` (plus every unanchored one). */
export function candidatesFor(matcher: Matcher, line: string): number[] {
  const lower = line.toLowerCase();
  const out = new Set<number>(matcher.unanchored);
  for (const [anchor, ids] of matcher.anchors) {
    if (lower.includes(anchor)) for (const id of ids) out.add(id);
  }
  return [...out].sort((a, b) => a - b);
}
