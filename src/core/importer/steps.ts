// Builds the steps of one scenario from its blocks in reading order: "Step N" headings, numbered
// list items and plain-text procedures become steps; fenced commands join the step they sit
// in (or start one); ASCII decision trees become questions; prose becomes step text. Pure.
import type { Command, Forbidden } from '../playbooks/model';
import { markedText, nestedFences, sourceOf } from './markdown';
import type { Block, LineRange, ListItem, MarkdownDoc, Segment } from './markdown';
import { cleanTitle } from './labels';
import { fenceKind, shellOf, snippetCommand, splitCommands } from './fences';
import { parseDecisionTree } from './decision-tree';
import type { DecisionTree } from './decision-tree';
import { parseProcedure } from './procedure';
import { forbiddenFrom, inlineCommands, isProhibition } from './symptoms';

export interface StepDraft {
  kind: 'step';
  title: string;
  body: string[];
  commands: Command[];
  /** "Step 3", item 3 of a numbered list, line "3." of a procedure. */
  number?: number;
  /** Started by a heading: lists and prose below belong to it rather than becoming steps. */
  fromHeading: boolean;
  /** The runbook line (1-based) the step starts at, for the guide's link back to it. */
  line?: number;
}

export interface DecisionDraft {
  kind: 'decision';
  tree: DecisionTree;
  /** The tree as written, shown with the question. */
  source: string;
  line?: number;
}

export type Draft = StepDraft | DecisionDraft;

const MAX_TITLE = 120;

/** A title short enough for a tree row; the full text goes to the body when it is cut. */
function shortTitle(text: string): { title: string; cut: boolean } {
  const t = cleanTitle(text).replace(/\s+/g, ' ').replace(/:$/, '');
  if (t.length <= MAX_TITLE) return { title: t, cut: false };
  const sentence = /^(.{20,}?[.!?])\s/.exec(t);
  if (sentence && sentence[1]!.length <= MAX_TITLE) return { title: sentence[1]!, cut: true };
  return { title: t.slice(0, MAX_TITLE - 1).replace(/\s+\S*$/, '') + '…', cut: true };
}

function stepNumber(title: string): number | undefined {
  const m = /^step\s+(\d+)\b/i.exec(cleanTitle(title));
  return m ? Number(m[1]) : undefined;
}

function fenced(lines: string[]): string {
  const longest = Math.max(2, ...lines.map((l) => (/^\s*(`{3,})/.exec(l)?.[1]?.length ?? 0)));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}text\n${lines.join('\n')}\n${ticks}`;
}

export class StepBuilder {
  readonly items: Draft[] = [];
  readonly forbidden: Forbidden[] = [];
  private current: StepDraft | undefined;
  /** The words of a "Solutions" / "Recovery Steps" heading or label, for a step that has no title of its own. */
  private pendingTitle: string | undefined;
  /** The line (1-based) of the block being read: where a step started now comes from. */
  private line = 0;

  constructor(
    private readonly doc: MarkdownDoc,
    private readonly fallbackTitle: string,
  ) {}

  /** Where the next block or heading starts in the runbook. */
  at(lines: LineRange): void {
    this.line = lines[0] + 1;
  }

  /** A heading that only announces steps ("Recovery Steps", "Solutions"). */
  sectionLabel(title: string): void {
    this.current = undefined;
    this.pendingTitle = cleanTitle(title);
  }

  /** A heading that is a step of its own ("Step 2: Check ...", "Option A"). */
  stepHeading(title: string): void {
    this.start(title, { fromHeading: true });
  }

  /** A bold label that announces steps, with what follows its colon. */
  stepLabel(name: string, value: Segment[]): void {
    this.forbid(value);
    if (!markedText(value).trim()) {
      this.sectionLabel(name);
      return;
    }
    const step = this.start(markedText(value), {});
    step.commands.push(...inlineCommands(value).map((run) => ({ run, shell: 'any' as const })));
  }

  /** Any block in a steps area. */
  block(b: Block): void {
    switch (b.kind) {
      case 'paragraph':
        return this.paragraph(b);
      case 'list':
        return this.list(b);
      case 'fence':
        return this.fence(b);
      case 'table':
      case 'quote':
      case 'html':
        this.target().body.push(sourceOf(this.doc, b.lines));
        return;
      default:
        return;
    }
  }

  /** Only a block's commands (from a section that is otherwise not steps, e.g. an example). */
  commandsOnly(b: Block): void {
    for (const f of nestedFences(b)) {
      const kind = fenceKind(f.info, f.content);
      if (kind === 'commands' || kind === 'snippet') this.fence(f);
    }
  }

  /** Collects prohibitions in text read elsewhere (symptom and cause lines). */
  forbid(segments: Segment[]): void {
    for (const f of forbiddenFrom(segments)) {
      if (!this.forbidden.some((x) => x.pattern === f.pattern)) this.forbidden.push(f);
    }
  }

  private start(title: string, opts: { fromHeading?: boolean; number?: number }): StepDraft {
    const { title: short, cut } = shortTitle(title);
    const step: StepDraft = {
      kind: 'step',
      title: short || this.pendingTitle || this.fallbackTitle,
      body: cut ? [cleanTitle(title)] : [],
      commands: [],
      fromHeading: opts.fromHeading ?? false,
    };
    if (this.line > 0) step.line = this.line;
    const number = opts.number ?? stepNumber(title);
    if (number !== undefined) step.number = number;
    this.items.push(step);
    this.current = step;
    this.pendingTitle = undefined;
    return step;
  }

  /** The step content lands in: the current one, or a new one named by the pending title. */
  private target(): StepDraft {
    return this.current ?? this.start(this.pendingTitle ?? this.fallbackTitle, {});
  }

  private paragraph(b: Extract<Block, { kind: 'paragraph' }>): void {
    const source = sourceOf(this.doc, b.lines);
    const tree = parseDecisionTree(source);
    if (tree) return this.decision(tree, source);
    this.forbid(b.inline.segments);
    if (isProhibition(b.inline.segments)) return;
    const commands = inlineCommands(b.inline.segments).map((run) => ({ run, shell: 'any' as const }));
    const cur = this.current;
    // A step that already ran its commands is finished, unless a heading made it (then the
    // paragraph is a note under that heading).
    if (cur && (cur.commands.length === 0 || cur.fromHeading)) {
      cur.body.push(source);
      cur.commands.push(...commands);
      return;
    }
    if (this.pendingTitle) {
      const step = this.start(this.pendingTitle, {});
      step.body.push(source);
      step.commands.push(...commands);
      return;
    }
    const step = this.start(markedText(b.inline), {});
    step.commands.push(...commands);
  }

  private list(b: Extract<Block, { kind: 'list' }>): void {
    const asSteps = b.ordered && !this.current?.fromHeading;
    if (asSteps) {
      for (const item of b.items) this.itemStep(item);
      return;
    }
    const step = this.target();
    const commandFences = this.fencesOf(b, step);
    step.body.push(sourceOf(this.doc, b.lines, commandFences));
    for (const item of b.items) this.itemText(item, step);
  }

  /** A numbered item: a step titled by its first paragraph, the rest its text and commands. */
  private itemStep(item: ListItem): void {
    const first = item.blocks[0];
    const head = first?.kind === 'paragraph' ? first : undefined;
    this.at(item.lines);
    if (head) this.forbid(head.inline.segments);
    if (head && isProhibition(head.inline.segments) && item.blocks.length === 1) return;
    const step = this.start(head ? markedText(head.inline) : this.pendingTitle ?? this.fallbackTitle, item.number !== undefined ? { number: item.number } : {});
    if (head) step.commands.push(...inlineCommands(head.inline.segments).map((run) => ({ run, shell: 'any' as const })));
    const rest = item.blocks.slice(head ? 1 : 0);
    const commandFences = rest.flatMap((b) => this.fencesOf(b, step));
    const body = sourceOf(this.doc, item.lines, [...(head ? [head.lines] : []), ...commandFences]);
    if (body) step.body.push(body);
    for (const b of rest) this.blockText(b, step);
  }

  /** Inline commands and prohibitions in an item's text. */
  private itemText(item: ListItem, step: StepDraft): void {
    for (const b of item.blocks) this.blockText(b, step);
  }

  private blockText(b: Block, step: StepDraft): void {
    if (b.kind === 'paragraph') {
      this.forbid(b.inline.segments);
      step.commands.push(...inlineCommands(b.inline.segments).map((run) => ({ run, shell: 'any' as const })));
    } else if (b.kind === 'list') {
      for (const item of b.items) this.itemText(item, step);
    }
  }

  /**
   * Adds the command and snippet fences inside `b` to `step` and returns their line ranges (to
   * leave out of the step's text); other fences stay in the text.
   */
  private fencesOf(b: Block, step: StepDraft): [number, number][] {
    const ranges: [number, number][] = [];
    for (const f of nestedFences(b)) {
      const kind = fenceKind(f.info, f.content);
      if (kind !== 'commands' && kind !== 'snippet') continue;
      this.addCommands(step, f.info, f.content, kind);
      ranges.push(f.lines);
    }
    return ranges;
  }

  private addCommands(step: StepDraft, info: string, content: string, kind: 'commands' | 'snippet'): void {
    if (kind === 'snippet') {
      const c = snippetCommand(content);
      if (c) step.commands.push(c);
      return;
    }
    const { commands, notes } = splitCommands(content, shellOf(info));
    step.commands.push(...commands);
    if (notes.length) step.body.push(fenced(notes));
  }

  private fence(b: Extract<Block, { kind: 'fence' }>): void {
    const kind = fenceKind(b.info, b.content);
    switch (kind) {
      case 'tree':
        return this.decision(parseDecisionTree(b.content)!, b.content.replace(/\n$/, ''));
      case 'procedure':
        for (const p of parseProcedure(b.content)) {
          const step = this.start(p.title, { number: p.number });
          if (p.detail.some((l) => l.trim())) step.body.push(p.detail.join('\n'));
        }
        return;
      case 'prose':
      case 'output':
        this.target().body.push(sourceOf(this.doc, b.lines));
        return;
      default: {
        let step = this.current;
        if (!step) {
          const probe = kind === 'commands' ? splitCommands(b.content, shellOf(b.info)).commands[0] : undefined;
          step = this.start(this.pendingTitle ?? probe?.description ?? this.fallbackTitle, {});
        }
        this.addCommands(step, b.info, b.content, kind);
      }
    }
  }

  private decision(tree: DecisionTree, source: string): void {
    this.items.push({ kind: 'decision', tree, source, ...(this.line > 0 ? { line: this.line } : {}) });
    this.current = undefined;
  }
}
