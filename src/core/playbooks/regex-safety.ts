// Refuses playbook patterns that make V8's backtracking engine take exponential (or high
// polynomial) time, from the parsed regex rather than its text. Two shapes cause it:
//  - a repeated group whose inner variable-length loop can also match what the next repetition
//    starts with (or what the previous one ended with): `(a+)+`, `(\s*\w+)+`, `(.*a){20}`;
//  - a repeated group with alternatives that can begin the same way: `(a|a)+`, `(\w|\d)+`.
// Either lets one text be split between the repetitions in exponentially many ways, all tried
// before a failing line is given up. The check over-approximates character sets (Unicode
// properties and backreferences count as any character), so when unsure it refuses.
// Loaded with the YAML loader only (the editor's activation bundle carries no regex parser).
import { RegExpParser } from '@eslint-community/regexpp';
import type { AST } from '@eslint-community/regexpp';
import { patternFlags } from './patterns';

/** Sorted, disjoint, inclusive code point ranges. */
type Ranges = readonly (readonly [number, number])[];

const MAX_CP = 0x10ffff;
const ALL: Ranges = [[0, MAX_CP]];
const NONE: Ranges = [];
const DIGIT: Ranges = [[0x30, 0x39]];
// With `i` and `u`, \w also matches U+017F and U+212A (case folding): included, to over-approximate.
const WORD: Ranges = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a], [0x17f, 0x17f], [0x212a, 0x212a]];
const SPACE: Ranges = [
  [0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a],
  [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff],
];

function normalize(list: (readonly [number, number])[]): Ranges {
  const sorted = [...list].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

const union = (...sets: Ranges[]): Ranges => normalize(sets.flat());

function complement(set: Ranges): Ranges {
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of set) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

function intersects(a: Ranges, b: Ranges): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i]![1] < b[j]![0]) i++;
    else if (b[j]![1] < a[i]![0]) j++;
    else return true;
  }
  return false;
}

/** Adds the other case of every letter in `set` (ASCII exactly; small ranges beyond it per character). */
function caseFold(set: Ranges): Ranges {
  const extra: [number, number][] = [];
  for (const [lo, hi] of set) {
    if (hi - lo > 0x400) {
      extra.push([0, MAX_CP]); // a large range: its case partners could be anywhere
      continue;
    }
    for (let c = lo; c <= hi; c++) {
      for (const v of [String.fromCodePoint(c).toLowerCase(), String.fromCodePoint(c).toUpperCase()]) {
        const cp = v.codePointAt(0)!;
        if ([...v].length === 1 && cp !== c) extra.push([cp, cp]);
      }
    }
  }
  return union(set, extra);
}

type Loop = AST.Quantifier;
type Branchy = AST.Pattern | AST.Group | AST.CapturingGroup;

class Analysis {
  constructor(readonly ignoreCase: boolean) {}

  /** The characters a single-character node matches. */
  charsOf(node: AST.Character | AST.CharacterSet | AST.CharacterClass | AST.CharacterClassElement | AST.ExpressionCharacterClass): Ranges {
    let set: Ranges;
    switch (node.type) {
      case 'Character':
        set = [[node.value, node.value]];
        break;
      case 'CharacterClassRange':
        set = [[node.min.value, node.max.value]];
        break;
      case 'CharacterSet':
        if (node.kind === 'any') return ALL;
        if (node.kind === 'property') return ALL;
        set = node.kind === 'digit' ? DIGIT : node.kind === 'space' ? SPACE : WORD;
        return node.negate ? complement(set) : set;
      case 'CharacterClass':
        set = union(...node.elements.map((e) => this.charsOf(e)));
        return node.negate ? complement(set) : set;
      default:
        return ALL; // set expressions and string disjunctions (the `v` flag, never used here)
    }
    return this.ignoreCase ? caseFold(set) : set;
  }

  nullable(node: AST.Node): boolean {
    switch (node.type) {
      case 'Quantifier':
        return node.min === 0 || this.nullable(node.element);
      case 'Alternative':
        return node.elements.every((e) => this.nullable(e));
      case 'Pattern':
      case 'Group':
      case 'CapturingGroup':
        return node.alternatives.some((a) => this.nullable(a));
      case 'Assertion':
      case 'Backreference':
        return true;
      default:
        return false;
    }
  }

  /** Characters a match of `node` can begin with (`fromEnd`: end with). */
  edge(node: AST.Node, fromEnd: boolean): Ranges {
    switch (node.type) {
      case 'Character':
      case 'CharacterSet':
      case 'CharacterClass':
      case 'ExpressionCharacterClass':
        return this.charsOf(node);
      case 'Quantifier':
        return node.max === 0 ? NONE : this.edge(node.element, fromEnd);
      case 'Alternative': {
        const parts: Ranges[] = [];
        for (const e of fromEnd ? [...node.elements].reverse() : node.elements) {
          parts.push(this.edge(e, fromEnd));
          if (!this.nullable(e)) break;
        }
        return union(...parts);
      }
      case 'Pattern':
      case 'Group':
      case 'CapturingGroup':
        return union(...node.alternatives.map((a) => this.edge(a, fromEnd)));
      case 'Backreference':
        return ALL;
      default:
        return NONE; // assertions consume nothing
    }
  }

  /** Variable-length loops inside `node` that can consume its last (`fromEnd`) or first characters. */
  edgeLoops(node: AST.Node, fromEnd: boolean): Loop[] {
    switch (node.type) {
      case 'Quantifier':
        return [...(node.max > node.min ? [node] : []), ...this.edgeLoops(node.element, fromEnd)];
      case 'Alternative': {
        const out: Loop[] = [];
        for (const e of fromEnd ? [...node.elements].reverse() : node.elements) {
          out.push(...this.edgeLoops(e, fromEnd));
          if (!this.nullable(e)) break;
        }
        return out;
      }
      case 'Group':
      case 'CapturingGroup':
        return node.alternatives.flatMap((a) => this.edgeLoops(a, fromEnd));
      default:
        return [];
    }
  }
}

/** Every disjunction inside `node`, not looking into lookarounds (they consume nothing). */
function disjunctions(node: AST.Node, out: Branchy[] = []): Branchy[] {
  if (node.type === 'Group' || node.type === 'CapturingGroup') {
    if (node.alternatives.length > 1) out.push(node);
    for (const a of node.alternatives) disjunctions(a, out);
  } else if (node.type === 'Alternative') {
    for (const e of node.elements) disjunctions(e, out);
  } else if (node.type === 'Quantifier') {
    disjunctions(node.element, out);
  }
  return out;
}

/** The literal characters an alternative starts with (lower-cased when matching ignores case). */
function literalPrefix(alt: AST.Alternative, ignoreCase: boolean): string {
  let s = '';
  for (const e of alt.elements) {
    if (e.type !== 'Character') break;
    s += String.fromCodePoint(e.value);
  }
  return ignoreCase ? s.toLowerCase() : s;
}

function quantifiers(node: AST.Node, out: Loop[] = []): Loop[] {
  switch (node.type) {
    case 'Quantifier':
      out.push(node);
      quantifiers(node.element, out);
      break;
    case 'Alternative':
      for (const e of node.elements) quantifiers(e, out);
      break;
    case 'Pattern':
    case 'Group':
    case 'CapturingGroup':
    case 'Assertion':
      if ('alternatives' in node) for (const a of node.alternatives) quantifiers(a, out);
      break;
  }
  return out;
}

/**
 * Why `source` (run with the flags patterns.ts gives it) can backtrack catastrophically, or
 * undefined. Assumes the pattern compiles.
 */
export function backtrackingProblem(source: string, caseSensitive?: boolean): string | undefined {
  const flags = patternFlags(source, caseSensitive);
  let pattern: AST.Pattern;
  try {
    pattern = new RegExpParser({ ecmaVersion: 2025 }).parsePattern(source, 0, source.length, { unicode: flags.includes('u') });
  } catch {
    return undefined; // syntax is reported by the schema, with the engine's own message
  }
  const a = new Analysis(flags.includes('i'));
  for (const outer of quantifiers(pattern)) {
    if (outer.max < 2) continue;
    const body = outer.element;
    for (const fromEnd of [true, false]) {
      // The next repetition starts (or the previous one ended) with these characters.
      const neighbour = a.edge(body, !fromEnd);
      for (const inner of a.edgeLoops(body, fromEnd)) {
        if (intersects(a.edge(inner.element, !fromEnd), neighbour)) {
          return `"${inner.raw}" inside "${outer.raw}" can match the same text in exponentially many ways (catastrophic backtracking); make the repetitions unambiguous`;
        }
      }
    }
    for (const d of disjunctions(body)) {
      const alts = d.alternatives;
      for (let i = 0; i < alts.length; i++) {
        for (let j = i + 1; j < alts.length; j++) {
          if (!intersects(a.edge(alts[i]!, false), a.edge(alts[j]!, false))) continue;
          const [p, q] = [literalPrefix(alts[i]!, a.ignoreCase), literalPrefix(alts[j]!, a.ignoreCase)];
          const n = Math.min(p.length, q.length);
          if (n > 0 && p.slice(0, n) !== q.slice(0, n)) continue; // the literals part ways
          return `alternatives "${alts[i]!.raw}" and "${alts[j]!.raw}" inside "${outer.raw}" can match the same text (catastrophic backtracking); make them start differently`;
        }
      }
    }
  }
  return undefined;
}
