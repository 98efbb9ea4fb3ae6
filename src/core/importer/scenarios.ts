// Reads one runbook section into a scenario draft: its symptoms, root causes, prohibitions,
// metadata (severity, failure type, recoverable) and steps. Headings and bold labels switch what
// the blocks below them are read as. Pure.
import { FAILURE_TYPES } from '../playbooks/model';
import type { FailureType, Forbidden, TextSymptom } from '../playbooks/model';
import { markedText, plainText, sourceOf, splitParagraph } from './markdown';
import type { Block, MarkdownDoc, Segment } from './markdown';
import { classifyLabel, cleanTitle, readLabel } from './labels';
import type { LabelKind } from './labels';
import { flatten } from './outline';
import type { FlatItem, Section } from './outline';
import { StepBuilder } from './steps';
import type { Draft } from './steps';
import { fenceKind, shellOf } from './fences';
import { outputSymptom, quotedErrors, splitAtCommas, symptomsFrom } from './symptoms';

export interface ScenarioDraft {
  title: string;
  summary: string[];
  symptoms: TextSymptom[];
  rootCauses: string[];
  forbidden: Forbidden[];
  severity?: number;
  failureType?: FailureType;
  recoverable?: { value: boolean; reason: string };
  steps: Draft[];
}

type Mode = 'intro' | 'steps' | 'symptoms' | 'causes' | 'skip';

function modeOf(kind: LabelKind): Mode {
  switch (kind) {
    case 'symptoms':
      return 'symptoms';
    case 'causes':
      return 'causes';
    case 'example':
    case 'references':
    case 'meta':
    case 'docmeta':
    case 'severity':
    case 'failureType':
    case 'recoverable':
      return 'skip';
    default:
      return 'steps';
  }
}

const SEVERITY_WORDS: Record<string, number> = { trivial: 1, minor: 2, low: 2, major: 3, medium: 3, moderate: 3, critical: 4, high: 4, catastrophic: 5, emergency: 5 };

/** Seed 002's levels (1 trivial .. 5 catastrophic), by number or name. */
function readSeverity(text: string): number | undefined {
  // "SEV1" and "P1" count the other way round (1 is the worst): not guessed.
  if (/\b(?:sev|p)\s*-?\s*\d/i.test(text)) return undefined;
  const digit = /\b([1-5])\b/.exec(text);
  if (digit) return Number(digit[1]);
  const word = /trivial|minor|low|major|medium|moderate|critical|high|catastrophic|emergency/i.exec(text);
  return word ? SEVERITY_WORDS[word[0].toLowerCase()] : undefined;
}

const TYPE_WORDS: [RegExp, FailureType][] = [
  [/\btests?\b.*\bfail|\bfail\w*\b.*\btests?\b|test[ _-]?failure/i, 'test_failure'],
  [/time[ _-]?out|timed out/i, 'timeout'],
  [/(?:merge|git|rebase)[ _-]?conflict/i, 'git_conflict'],
  [/\bauth|\bjwt\b|\b401\b|\b403\b|credential|unauthori[sz]ed/i, 'auth_failure'],
  [/network|connection refused|\bdns\b|unreachable|connectivity/i, 'network_failure'],
];

/** A failure type named by the text: seed 004's words, or what a title plainly says. */
export function readFailureType(text: string): FailureType | undefined {
  const exact = text.trim().toLowerCase().replace(/[\s-]+/g, '_');
  const named = FAILURE_TYPES.find((t) => exact === t || exact.startsWith(t + '_') || exact.startsWith(t + '.'));
  if (named) return named;
  return TYPE_WORDS.find(([re]) => re.test(text))?.[1];
}

function readRecoverable(text: string): { value: boolean; reason: string } | undefined {
  const m = /^\s*(yes|true|y|automatic(?:ally)?|auto|no|false|n|manual|needs a human|human)\b[\s.,:;—–-]*(.*)$/i.exec(text);
  if (!m) return undefined;
  const value = /^(?:yes|true|y|auto)/i.test(m[1]!);
  const reason = m[2]!.trim() || (value ? 'the runbook says it can be recovered without a person' : 'the runbook says it needs a person');
  return { value, reason };
}

/**
 * Reads a section (and its sub-sections) as one scenario; `title` is the name the playbook gets.
 */
export function readScenario(doc: MarkdownDoc, section: Section, title: string): ScenarioDraft {
  const draft: ScenarioDraft = { title, summary: [], symptoms: [], rootCauses: [], forbidden: [], steps: [] };
  const builder = new StepBuilder(doc, title);
  const headingModes: { level: number; mode: Mode }[] = [{ level: section.level, mode: 'intro' }];
  let labelMode: Mode | undefined;
  const mode = (): Mode => labelMode ?? headingModes[headingModes.length - 1]!.mode;

  const addOutput = (s: TextSymptom): void => {
    if (!draft.symptoms.some((x) => x.pattern.toLowerCase() === s.pattern.toLowerCase())) draft.symptoms.push(s);
  };
  const addSymptoms = (segments: Segment[]): void => {
    builder.forbid(segments);
    for (const s of symptomsFrom(segments)) addOutput(s);
  };
  const addCause = (segments: Segment[]): void => {
    builder.forbid(segments);
    const cause = cleanTitle(markedText(segments)).replace(/\s+/g, ' ');
    if (cause && !draft.rootCauses.includes(cause)) draft.rootCauses.push(cause);
  };

  for (const item of flatLabelled(section)) {
    if (item.kind === 'heading') {
      const s = item.section;
      builder.at(s.heading);
      while (headingModes.length > 1 && headingModes[headingModes.length - 1]!.level >= s.level) headingModes.pop();
      labelMode = undefined;
      const parent = headingModes[headingModes.length - 1]!.mode;
      const kind = classifyLabel(s.title);
      // Everything under an example or a reference list stays out of the steps.
      if (parent === 'skip' && headingModes.length > 1) {
        headingModes.push({ level: s.level, mode: 'skip' });
        continue;
      }
      const m = modeOf(kind);
      headingModes.push({ level: s.level, mode: m });
      if (m === 'steps') {
        if (kind === 'steps' || kind === 'decision') builder.sectionLabel(s.title);
        else builder.stepHeading(s.title);
      }
      continue;
    }
    const b = item.block;
    builder.at(b.lines);
    if (b.kind === 'paragraph') {
      const label = readLabel(b.inline);
      if (label) {
        labelMode = readLabelInto(draft, builder, label.kind, label.name, label.value, addSymptoms, addCause);
        continue;
      }
    }
    switch (mode()) {
      case 'symptoms':
        readSymptomBlock(b, builder, addSymptoms, addOutput);
        break;
      case 'causes':
        readCauseBlock(b, builder, addCause);
        break;
      case 'skip':
        builder.commandsOnly(b);
        break;
      case 'intro':
        // Error output shown before any step ("You see: ```npm ERR! ...```") is the symptom.
        if (b.kind === 'fence' && !builder.items.length && fenceKind(b.info, b.content) === 'output') {
          readSymptomBlock(b, builder, addSymptoms, addOutput);
          break;
        }
        if (b.kind === 'paragraph' && !builder.items.length && !/[├└]/.test(plainText(b.inline))) {
          builder.forbid(b.inline.segments);
          for (const q of quotedErrors(b.inline.segments)) addOutput(q);
          draft.summary.push(sourceOf(doc, b.lines));
          break;
        }
        if (b.kind === 'rule') break;
        builder.block(b);
        break;
      default:
        builder.block(b);
    }
  }
  draft.steps = builder.items;
  draft.forbidden = builder.forbidden;
  return draft;
}

/** A section's content with paragraphs split where a line opens with a label. */
function flatLabelled(section: Section): FlatItem[] {
  return flatten(section).flatMap((item) =>
    item.kind === 'block' && item.block.kind === 'paragraph'
      ? splitParagraph(item.block, (l) => readLabel(l) !== undefined).map((block) => ({ ...item, block }))
      : [item],
  );
}

/** Applies a bold label; returns the mode for the blocks that follow it (none when it carried its value). */
function readLabelInto(
  draft: ScenarioDraft,
  builder: StepBuilder,
  kind: LabelKind,
  name: string,
  value: Segment[],
  addSymptoms: (s: Segment[]) => void,
  addCause: (s: Segment[]) => void,
): Mode | undefined {
  const text = plainText(value).trim();
  switch (kind) {
    case 'symptoms':
      for (const part of splitAtCommas(value)) addSymptoms(part);
      return text ? 'steps' : 'symptoms';
    case 'causes':
      if (text) addCause(value);
      return text ? 'steps' : 'causes';
    case 'steps':
      builder.stepLabel(name, value);
      return 'steps';
    case 'severity': {
      const s = readSeverity(text);
      if (s !== undefined) draft.severity = s;
      return undefined;
    }
    case 'failureType': {
      const t = readFailureType(text);
      if (t) draft.failureType = t;
      return undefined;
    }
    case 'recoverable': {
      const r = readRecoverable(text);
      if (r) draft.recoverable = r;
      return undefined;
    }
    case 'meta':
      if (text) draft.summary.push(`${name}: ${text.replace(/\s+/g, ' ')}`);
      return undefined;
    case 'docmeta':
      return undefined;
    case 'example':
    case 'references':
      return 'skip';
    default:
      // "**Decision Tree:**": the tree below it is read where it stands.
      return 'steps';
  }
}

function readSymptomBlock(b: Block, builder: StepBuilder, add: (s: Segment[]) => void, addOutput: (s: TextSymptom) => void): void {
  switch (b.kind) {
    case 'list':
      for (const item of b.items) {
        const head = item.blocks[0];
        if (head?.kind === 'paragraph') add(head.inline.segments);
        builder.commandsOnly({ ...b, items: [item] });
      }
      return;
    case 'paragraph':
      for (const line of splitLines(b.inline.segments)) add(line);
      return;
    case 'table':
      for (const row of b.rows) if (row[0]) add(row[0].segments);
      return;
    case 'fence': {
      // Output quoted under "Symptoms" is what the failure prints; a shell block is still commands.
      const kind = fenceKind(b.info, b.content);
      if ((kind === 'commands' && shellOf(b.info) !== 'any') || kind === 'snippet') return builder.block(b);
      for (const line of b.content.split('\n').filter((l) => l.trim()).slice(0, 5)) addOutput(outputSymptom(line));
      return;
    }
    default:
      return;
  }
}

function readCauseBlock(b: Block, builder: StepBuilder, add: (s: Segment[]) => void): void {
  if (b.kind === 'list') {
    for (const item of b.items) {
      const head = item.blocks[0];
      if (head?.kind === 'paragraph') add(head.inline.segments);
    }
    builder.commandsOnly(b);
  } else if (b.kind === 'paragraph') {
    add(b.inline.segments);
  } else {
    builder.commandsOnly(b);
  }
}

/** A paragraph's lines (soft breaks) as separate inline runs. */
function splitLines(segments: Segment[]): Segment[][] {
  const lines: Segment[][] = [[]];
  for (const s of segments) {
    if (s.kind === 'code') {
      lines[lines.length - 1]!.push(s);
      continue;
    }
    s.value.split('\n').forEach((part, i) => {
      if (i > 0) lines.push([]);
      if (part) lines[lines.length - 1]!.push({ kind: 'text', value: part });
    });
  }
  return lines.filter((l) => plainText(l).trim());
}

/** A section's text from below its heading to its end, without the fences in `without`. */
export function sectionSource(doc: MarkdownDoc, section: Section, without: [number, number][] = []): string {
  const blocks = flatten(section);
  const ends = blocks.map((i) => (i.kind === 'block' ? i.block.lines[1] : i.section.heading[1]));
  const end = Math.max(section.heading[1], ...ends);
  // A thematic break closing the section separates it from the next one; it is not content.
  return sourceOf(doc, [section.heading[1], end], without).replace(/(?:\n\s*(?:-{3,}|\*{3,}|_{3,})\s*)+$/, '').trimEnd();
}
