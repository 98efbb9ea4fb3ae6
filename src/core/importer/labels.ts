// What a heading or a bold label ("**Symptoms**: ...") announces, read from its words: the
// vocabulary runbooks use for symptoms, causes, steps, examples and metadata. Pure.
import type { Inline, Segment } from './markdown';

export type LabelKind =
  | 'symptoms'
  | 'causes'
  | 'steps'
  | 'example'
  | 'references'
  | 'severity'
  | 'failureType'
  | 'recoverable'
  | 'decision'
  | 'meta'
  | 'docmeta'
  | 'other';

const VOCABULARY: [LabelKind, RegExp][] = [
  ['symptoms', /^(?:symptoms?|signs?|indicators?|what you (?:see|observe)|error messages?|how it (?:shows|looks)|detection|triggers?)$/i],
  ['causes', /^(?:(?:root|likely|possible|probable|common) )?(?:causes?|reasons?)$|^why(?: it happens)?$/i],
  [
    'steps',
    /^(?:recovery(?: steps| procedure| actions)?|(?:recovery |fix |resolution )?steps(?: to (?:fix|recover|resolve))?|solutions?|fix(?:es)?|the fix|resolution|resolve|procedure|remediation|how to (?:fix|recover|resolve)(?: it)?|workarounds?|diagnosis|diagnostics|diagnose|investigation|troubleshooting(?: steps)?|what to do|actions?|mitigation|immediate actions?|verification|verify)$/i,
  ],
  ['example', /^(?:examples?|sample|bad response|good response|ai response|user request|user says|response)\b/i],
  ['references', /^(?:references?|see also|related(?: docs?| documents)?|links|further reading|more information)$/i],
  ['severity', /^severity(?: level)?$/i],
  ['failureType', /^(?:failure type|error type|type of failure)$/i],
  ['recoverable', /^(?:recoverable|recoverability|auto-?recoverable|can (?:it )?be recovered automatically)$/i],
  ['decision', /^decision(?: tree| point)?$|^decide$/i],
  ['meta', /^(?:stage|phase|applies to|when|frequency|component|service|environment|affects)$/i],
  // About the document, not the failure: left out.
  ['docmeta', /^(?:last updated|updated|last reviewed|reviewed|owner|maintainer|authors?|version|date|related)$/i],
];

/** Heading or label text without leading emoji, check boxes or symbols, and without a trailing colon. */
export function cleanTitle(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/^(?:\s*\[[ xX]?\]\s*)/, '')
    .replace(/^[^\p{L}\p{N}`"'([]+/u, '')
    .replace(/[\s:]+$/u, '')
    .trim();
}

export function classifyLabel(text: string): LabelKind {
  const t = cleanTitle(text).replace(/\s*\(.*\)$/, '');
  for (const [kind, re] of VOCABULARY) if (re.test(t)) return kind;
  return 'other';
}

export interface Label {
  kind: LabelKind;
  /** The label's own words, e.g. "Symptoms". */
  name: string;
  /** What follows the colon (may be empty). */
  value: Segment[];
}

/**
 * Reads a paragraph that opens with a bold label: "**Symptoms**: a, b", "**Symptoms:**",
 * "**Symptoms**" alone, "**Decision: Is there valuable work?**". Anything else (bold text
 * followed by more words without a colon, an unknown label word) is not a label.
 */
export function readLabel(inline: Inline): Label | undefined {
  if (inline.leadingStrong === undefined || !inline.afterStrong) return plainLabel(inline);
  const strong = inline.leadingStrong;
  const after = inline.afterStrong.map((s) => ({ ...s }));
  let name: string;
  let value: Segment[];
  const colon = strong.indexOf(':');
  if (colon >= 0) {
    name = strong.slice(0, colon);
    const inside = strong.slice(colon + 1).trim();
    value = inside ? [{ kind: 'text', value: inside + ' ' }, ...after] : after;
  } else if (after.every((s) => s.kind === 'text' && !/[\p{L}\p{N}]/u.test(s.value))) {
    // A line of bold words alone ("**Symptoms**") announces what follows, like a heading.
    name = strong;
    value = [];
  } else {
    const first = after[0];
    if (!first || first.kind !== 'text' || !/^[^\p{L}\p{N}]*:/u.test(first.value)) return undefined;
    first.value = first.value.replace(/^[^\p{L}\p{N}]*:/u, '');
    name = strong;
    value = after;
  }
  const kind = classifyLabel(name);
  if (kind === 'other') return undefined;
  return { kind, name: cleanTitle(name), value: trimSegments(value) };
}

/** What a plain "Word: ..." line may announce without bold: the failure's own parts. */
const PLAIN_KINDS = new Set<LabelKind>(['symptoms', 'causes', 'severity', 'failureType', 'recoverable']);

/**
 * "Symptoms: `database is locked`" written without bold: a label when its word is one of the
 * failure's parts (a sentence such as "Note: ..." or "Run: ..." stays text).
 */
function plainLabel(inline: Inline): Label | undefined {
  const first = inline.segments[0];
  if (first?.kind !== 'text') return undefined;
  const m = /^\s*([\p{L}][\p{L} ]{0,30}?)\s*:(?!\/\/)/u.exec(first.value);
  if (!m) return undefined;
  const kind = classifyLabel(m[1]!);
  if (!PLAIN_KINDS.has(kind)) return undefined;
  const value = [{ kind: 'text' as const, value: first.value.slice(m[0].length) }, ...inline.segments.slice(1)];
  return { kind, name: cleanTitle(m[1]!), value: trimSegments(value) };
}

function trimSegments(segments: Segment[]): Segment[] {
  const out = segments.map((s) => ({ ...s })).filter((s) => s.kind === 'code' || s.value !== '');
  const first = out[0];
  if (first?.kind === 'text') first.value = first.value.trimStart();
  const last = out[out.length - 1];
  if (last?.kind === 'text') last.value = last.value.trimEnd();
  return out.filter((s) => s.kind === 'code' || s.value !== '');
}

/** "## Scenario 3: ...", "### Issue: ...", "## Issue 4", "## Problem 2 - ...". */
export function isScenarioTitle(title: string): boolean {
  const t = cleanTitle(title);
  return (
    /^(?:scenario|issue|problem|incident|case|failure(?: mode)?|error|symptom)\s*#?\s*\d*\s*[:.\-–—)]\s*\S/i.test(t) ||
    /^(?:scenario|issue|problem|incident|case)\s*#?\s*\d+$/i.test(t)
  );
}

/** "Scenario 3: Git Worktree Corruption" -> "Git Worktree Corruption"; "Issue 4" stays. */
export function scenarioName(title: string): string {
  const t = cleanTitle(title);
  const m = /^(?:scenario|issue|problem|incident|case|failure(?: mode)?)\s*#?\s*\d*\s*[:.\-–—)]\s*(\S.*)$/i.exec(t);
  return m ? m[1]!.trim() : t;
}

/**
 * What a section outside the scenarios is for: an intro (left out), prevention (after a
 * recovery), principles (read as a whole) or anything else (offered when a recovery fails).
 */
export type SharedKind = 'intro' | 'prevention' | 'guidance' | 'other';

export function classifyShared(title: string): SharedKind {
  const t = cleanTitle(title);
  if (
    /^(?:purpose|overview|introduction|intro|about\b.*|quick (?:triage|navigation|reference|links|index)|table of contents|contents|toc|index|references?|see also|related\b.*|maintenance|change ?log|(?:revision )?history|glossary|summary|scope|audience|prerequisites|how to use\b.*|last updated\b.*)$/i.test(
      t,
    )
  ) {
    return 'intro';
  }
  if (/prevent|best practices?|avoid|checklist|hygiene/i.test(t)) return 'prevention';
  if (/principles?|rules|guidelines|remember/i.test(t)) return 'guidance';
  return 'other';
}
