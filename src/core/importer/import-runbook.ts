// The importer's entry point: a Markdown runbook in, canonical playbooks out. Finds the
// scenario sections (by their headings, their Symptoms/Cause/Solution markers, or the quick-
// triage table that links to them), reads each into a playbook, attaches the triage table's
// symptoms, and shares the runbook's general sections (prevention, escalation, principles)
// with every playbook. A runbook with no scenario but a title and steps is one playbook.
// Pure: the caller reads the file.
import { basename } from 'node:path';
import type { Forbidden, Playbook, TextSymptom } from '../playbooks/model';
import { ImportError } from './errors';
import { readSourceText } from './source-text';
import { markedText, nestedFences, parseMarkdown, plainText } from './markdown';
import type { Block, Inline, MarkdownDoc } from './markdown';
import { classifyLabel, classifyShared, isScenarioTitle, readLabel, scenarioName } from './labels';
import type { LabelKind, SharedKind } from './labels';
import { descendants, flatten, outline } from './outline';
import type { Section } from './outline';
import { readFailureType, readScenario, sectionSource } from './scenarios';
import type { ScenarioDraft } from './scenarios';
import { assemble } from './assemble';
import type { SharedChain } from './assemble';
import { fenceKind } from './fences';
import { StepBuilder } from './steps';
import { quotedErrors, symptomsFrom } from './symptoms';
import { IdPool, anchorKey } from './slug';

/** Where a playbook came from in the runbook: its heading's line and each node's (1-based). */
export interface ImportOrigin {
  line: number;
  nodes: Record<string, number>;
}

export interface ImportResult {
  playbooks: Playbook[];
  /** One per playbook, in the same order. */
  origins: ImportOrigin[];
  /** How the runbook was read: one scenario per section, or the whole runbook as one. */
  layout: 'scenarios' | 'single';
  /** Sections outside the scenarios and what became of them. */
  sections: { title: string; use: SharedKind }[];
  mojibake: { repaired: number; stripped: number };
}

export const NO_SCENARIOS =
  'no scenarios found: expected headings such as "## Scenario 1: ...", "### Issue: ..." or sections with Symptoms, or a titled runbook with steps';

/** Imports a runbook's bytes (or text). `file` names it in each playbook's `source`. */
export function importRunbook(input: Uint8Array | string, file: string): ImportResult {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const { text, mojibake } = readSourceText(bytes);
  const doc = parseMarkdown(text);
  const root = outline(doc.blocks);
  const source = `imported from ${basename(file)}`;
  const triage = readTriage(root);
  const scenarios = findScenarios(root, triage.linked);

  if (scenarios.length === 0) {
    const single = readSingle(doc, root) ?? readUntitled(doc, root, file);
    if (!single) throw new ImportError(NO_SCENARIOS);
    const ids = new IdPool();
    const { playbook, nodeLines } = assemble(single.draft, { id: ids.take(single.draft.title, 'runbook', 60), source, shared: [] });
    return { playbooks: [playbook], origins: [{ line: single.line, nodes: nodeLines }], layout: 'single', sections: single.skipped.map((title) => ({ title, use: 'intro' })), mojibake };
  }

  const inScenario = new Set(scenarios.flatMap((s) => [s, ...descendants(s)]));
  const shared = sharedSections(root, inScenario);
  const chains = shared.map(({ section, kind }) => sharedChain(doc, section, kind)).filter((c): c is Chain => c !== undefined);

  const ids = new IdPool();
  const built = scenarios.map((section, n) => {
    const name = scenarioName(section.title);
    const draft = readScenario(doc, section, name);
    for (const s of triage.symptoms.get(section) ?? []) addSymptom(draft, s);
    draft.failureType ??= readFailureType(name);
    // Prohibitions in the general sections hold for every scenario.
    for (const c of chains) for (const f of c.forbidden) if (!draft.forbidden.some((x) => x.pattern === f.pattern)) draft.forbidden.push(f);
    const { playbook, nodeLines } = assemble(draft, { id: ids.take(name, `scenario-${n + 1}`, 60), source, shared: chains });
    return { playbook, origin: { line: section.heading[0] + 1, nodes: nodeLines } };
  });
  return { playbooks: built.map((b) => b.playbook), origins: built.map((b) => b.origin), layout: 'scenarios', sections: shared.map(({ section, kind }) => ({ title: section.title, use: kind })), mojibake };
}

function addSymptom(draft: ScenarioDraft, s: TextSymptom): void {
  if (!draft.symptoms.some((x) => x.pattern.toLowerCase() === s.pattern.toLowerCase())) draft.symptoms.push(s);
}

/** The label kinds a section announces through its sub-headings and its own bold labels. */
function markers(s: Section): Set<LabelKind> {
  const kinds = new Set<LabelKind>();
  for (const c of s.children) kinds.add(classifyLabel(c.title));
  for (const b of s.blocks) {
    if (b.kind !== 'paragraph') continue;
    for (const line of b.lineInlines) {
      const label = readLabel(line);
      if (label) kinds.add(label.kind);
    }
  }
  return kinds;
}

function isCandidate(s: Section, linked: Set<Section>): boolean {
  if (s.level === 0) return false;
  if (isScenarioTitle(s.title) || linked.has(s)) return true;
  const m = markers(s);
  return m.has('symptoms') || (m.has('causes') && m.has('steps')) || (s.level >= 2 && quotesErrorBeforeSteps(s));
}

/** A section that opens by quoting error text in backticks, then gives steps: a scenario. */
function quotesErrorBeforeSteps(s: Section): boolean {
  const first = s.blocks.findIndex((b) => b.kind !== 'paragraph');
  const intro = s.blocks.slice(0, first < 0 ? s.blocks.length : first);
  const quotes = intro.some((b) => b.kind === 'paragraph' && quotedErrors(b.inline.segments).length > 0);
  const steps = s.blocks.some((b) => (b.kind === 'list' && b.ordered) || b.kind === 'fence') || s.children.some((c) => classifyLabel(c.title) === 'steps');
  return quotes && steps;
}

/** Scenario sections: candidates that hold no candidate below them (the most specific wins). */
function findScenarios(root: Section, linked: Set<Section>): Section[] {
  const out: Section[] = [];
  const visit = (s: Section): boolean => {
    let below = false;
    for (const c of s.children) below = visit(c) || below;
    if (!below && isCandidate(s, linked)) {
      out.push(s);
      return true;
    }
    return below;
  };
  visit(root);
  return out.sort((a, b) => a.heading[0] - b.heading[0]);
}

/** The largest sections that neither are nor hold a scenario. */
function sharedSections(root: Section, inScenario: Set<Section>): { section: Section; kind: SharedKind }[] {
  const holds = (s: Section): boolean => inScenario.has(s) || s.children.some(holds);
  const out: { section: Section; kind: SharedKind }[] = [];
  const visit = (s: Section): void => {
    for (const c of s.children) {
      if (inScenario.has(c)) continue;
      if (holds(c)) visit(c);
      else out.push({ section: c, kind: classifyShared(c.title) });
    }
  };
  visit(root);
  return out;
}

function hasCommands(blocks: Block[]): boolean {
  return blocks.some((b) =>
    nestedFences(b).some((f) => {
      const k = fenceKind(f.info, f.content);
      return k === 'commands' || k === 'snippet';
    }),
  );
}

/** A general section as steps every playbook can reach. Intros are left out unless they hold commands. */
function sharedChain(doc: MarkdownDoc, section: Section, kind: SharedKind): Chain | undefined {
  const all = blocksOf(section);
  if (kind === 'intro' && !hasCommands(all)) return undefined;
  if (kind === 'guidance') {
    // Principles read as a whole: one step with the section's text and any commands in it.
    const builder = new StepBuilder(doc, section.title);
    const fences: [number, number][] = [];
    for (const b of all) {
      for (const f of nestedFences(b)) {
        const k = fenceKind(f.info, f.content);
        if (k === 'commands' || k === 'snippet') fences.push(f.lines);
      }
      builder.commandsOnly(b);
      if (b.kind === 'paragraph') builder.forbid(b.inline.segments);
    }
    const body = sectionSource(doc, section, fences);
    const commands = builder.items.flatMap((i) => (i.kind === 'step' ? i.commands : []));
    return {
      title: section.title,
      kind: 'other',
      steps: [{ kind: 'step', title: section.title, body: body ? [body] : [], commands, fromHeading: true, line: section.heading[0] + 1 }],
      forbidden: builder.forbidden,
    };
  }
  const draft = readScenario(doc, section, section.title);
  const steps = draft.steps.flatMap((d) => (d.kind === 'step' ? [d] : []));
  if (draft.summary.length && steps[0]) steps[0].body.unshift(draft.summary.join('\n\n'));
  if (!steps.length && draft.summary.length) steps.push({ kind: 'step', title: section.title, body: [draft.summary.join('\n\n')], commands: [], fromHeading: true, line: section.heading[0] + 1 });
  if (!steps.length) return undefined;
  return { title: section.title, kind: kind === 'prevention' ? 'prevention' : 'other', steps, forbidden: draft.forbidden };
}

type Chain = SharedChain & { forbidden: Forbidden[] };

interface Triage {
  /** Sections a triage table links to. */
  linked: Set<Section>;
  /** Symptoms a triage table gives for each section. */
  symptoms: Map<Section, TextSymptom[]>;
}

const SYMPTOM_COLUMN = /symptom|error|message|sign|indicator|what you see/i;

/** Quick-triage tables: rows of symptom -> the scenario they jump to. */
function readTriage(root: Section): Triage {
  const sections = descendants(root);
  const byAnchor = new Map<string, Section>();
  for (const s of sections) if (!byAnchor.has(anchorKey(s.title))) byAnchor.set(anchorKey(s.title), s);
  const byNumber = new Map<number, Section>();
  for (const s of sections) {
    const m = /^scenario\s*#?\s*(\d+)\b/i.exec(s.title);
    if (m && !byNumber.has(Number(m[1]))) byNumber.set(Number(m[1]), s);
  }
  const triage: Triage = { linked: new Set(), symptoms: new Map() };
  const tables = [root, ...sections].flatMap((s) => s.blocks).filter((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table');
  for (const table of tables) {
    const column = table.head.findIndex((h) => SYMPTOM_COLUMN.test(plainText(h)));
    for (const row of table.rows) {
      const target = rowTarget(row, byAnchor, byNumber);
      if (!target) continue;
      triage.linked.add(target);
      const cell = column >= 0 ? row[column] : undefined;
      if (!cell || cell.links.length || !plainText(cell).trim()) continue;
      const list = triage.symptoms.get(target) ?? [];
      // A table cell is one symptom as written, commas and all.
      list.push(...symptomsFrom(cell.segments));
      triage.symptoms.set(target, list);
    }
  }
  return triage;
}

function rowTarget(row: Inline[], byAnchor: Map<string, Section>, byNumber: Map<number, Section>): Section | undefined {
  for (const cell of row) {
    for (const href of cell.links) {
      if (!href.startsWith('#')) continue;
      const s = byAnchor.get(anchorKey(href));
      if (s) return s;
    }
  }
  for (const cell of row) {
    const m = /\bscenario\s*#?\s*(\d+)\b/i.exec(markedText(cell));
    if (m && byNumber.has(Number(m[1]))) return byNumber.get(Number(m[1]));
  }
  return undefined;
}

/** The whole runbook as one scenario: its title and the steps below it. */
function readSingle(doc: MarkdownDoc, root: Section): { draft: ScenarioDraft; skipped: string[]; line: number } | undefined {
  const first = root.children[0];
  if (!first) return undefined;
  // The title heading's sub-sections, then any sections after it, are the steps.
  const rest = [...first.children, ...root.children.slice(1)];
  const isIntro = (c: Section): boolean => classifyShared(c.title) === 'intro' && !hasCommands(blocksOf(c));
  const body: Section = { level: 0, title: first.title, heading: first.heading, blocks: [...root.blocks, ...first.blocks], children: rest.filter((c) => !isIntro(c)) };
  const name = scenarioName(first.title);
  const draft = readScenario(doc, body, name);
  if (!draft.steps.some((s) => s.kind === 'step')) return undefined;
  draft.failureType ??= readFailureType(name);
  return { draft, skipped: rest.filter(isIntro).map((c) => c.title), line: first.heading[0] + 1 };
}

/**
 * A runbook without any heading: steps only. Its file name is its title (so its id is stable
 * and names it, rather than its first step's words).
 */
function readUntitled(doc: MarkdownDoc, root: Section, file: string): { draft: ScenarioDraft; skipped: string[]; line: number } | undefined {
  if (root.children.length) return undefined;
  const name = basename(file).replace(/\.[^.]*$/, '').replace(/[-_]+/g, ' ').trim();
  if (!name) return undefined;
  const title = name.charAt(0).toUpperCase() + name.slice(1);
  const draft = readScenario(doc, { ...root, title }, title);
  // Notes are not a runbook: it takes numbered steps or commands.
  if (!draft.steps.some((s) => s.kind === 'step' && (s.commands.length > 0 || s.number !== undefined))) return undefined;
  draft.failureType ??= readFailureType(title);
  return { draft, skipped: [], line: 1 };
}

function blocksOf(s: Section): Block[] {
  return flatten(s).flatMap((i) => (i.kind === 'block' ? [i.block] : []));
}
