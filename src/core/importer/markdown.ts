// Parses runbook Markdown with markdown-it and folds its token stream into a small block tree
// (headings, paragraphs, lists, fences, tables, quotes) that keeps every block's source lines,
// so later stages can quote the runbook verbatim. Pure.
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';

/** Inline content, flattened: plain text runs and code spans, in order. */
export interface Segment {
  kind: 'text' | 'code';
  value: string;
}

export interface Inline {
  segments: Segment[];
  /** Link targets, in order (e.g. "#scenario-1-orchestrator-crashes"). */
  links: string[];
  /** Text of a bold run that opens the inline content, when there is one. */
  leadingStrong?: string;
  /** Segments after that bold run. */
  afterStrong?: Segment[];
}

/** Zero-based [first, end) line range in the source. */
export type LineRange = [number, number];

export type Block =
  | { kind: 'heading'; level: number; inline: Inline; lines: LineRange }
  | Paragraph
  | { kind: 'list'; ordered: boolean; items: ListItem[]; lines: LineRange }
  | { kind: 'fence'; info: string; content: string; lines: LineRange }
  | { kind: 'table'; head: Inline[]; rows: Inline[][]; lines: LineRange }
  | { kind: 'quote'; lines: LineRange }
  | { kind: 'html'; lines: LineRange }
  | { kind: 'rule'; lines: LineRange };

export interface Paragraph {
  kind: 'paragraph';
  inline: Inline;
  /** The same content line by line (split at line breaks), so each line's own bold label shows. */
  lineInlines: Inline[];
  lines: LineRange;
}

export interface ListItem {
  /** The item's number in an ordered list. */
  number?: number;
  blocks: Block[];
  lines: LineRange;
}

export interface MarkdownDoc {
  /** Source lines (LF-normalised). */
  lines: string[];
  blocks: Block[];
}

const md = new MarkdownIt({ html: true, linkify: false, typographer: false });

export function parseMarkdown(text: string): MarkdownDoc {
  const tokens = md.parse(text, {});
  const lines = text.split('\n');
  const reader = new TokenReader(tokens);
  return { lines, blocks: reader.blocks(undefined) };
}

function range(t: Token): LineRange {
  return t.map ? [t.map[0], t.map[1]] : [0, 0];
}

class TokenReader {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  /** Reads blocks until the closing token of type `until` (or the end). */
  blocks(until: string | undefined): Block[] {
    const out: Block[] = [];
    while (this.i < this.tokens.length) {
      const t = this.tokens[this.i]!;
      if (until && t.type === until) {
        this.i++;
        return out;
      }
      const block = this.block(t);
      if (block) out.push(block);
    }
    return out;
  }

  private block(t: Token): Block | undefined {
    switch (t.type) {
      case 'heading_open': {
        const inline = this.tokens[this.i + 1]!;
        this.i += 3;
        return { kind: 'heading', level: Number(t.tag.slice(1)), inline: readInline(inline.children ?? []), lines: range(t) };
      }
      case 'paragraph_open': {
        const children = this.tokens[this.i + 1]!.children ?? [];
        this.i += 3;
        return { kind: 'paragraph', inline: readInline(children), lineInlines: splitAtBreaks(children).map(readInline), lines: range(t) };
      }
      case 'bullet_list_open':
      case 'ordered_list_open':
        return this.list(t);
      case 'fence':
      case 'code_block':
        this.i++;
        return { kind: 'fence', info: t.type === 'fence' ? t.info.trim() : '', content: t.content, lines: range(t) };
      case 'table_open':
        return this.table(t);
      case 'blockquote_open':
        // Quotes hold examples of what to say, not structure: kept whole, never read into steps.
        this.skipPast('blockquote_open', 'blockquote_close');
        return { kind: 'quote', lines: range(t) };
      case 'html_block':
        this.i++;
        return { kind: 'html', lines: range(t) };
      case 'hr':
        this.i++;
        return { kind: 'rule', lines: range(t) };
      default:
        this.i++;
        return undefined;
    }
  }

  private list(open: Token): Block {
    const close = open.type === 'ordered_list_open' ? 'ordered_list_close' : 'bullet_list_close';
    const items: ListItem[] = [];
    this.i++;
    while (this.i < this.tokens.length) {
      const t = this.tokens[this.i]!;
      if (t.type === close) {
        this.i++;
        break;
      }
      if (t.type !== 'list_item_open') {
        this.i++;
        continue;
      }
      this.i++;
      const number = open.type === 'ordered_list_open' && /^\d+$/.test(t.info) ? Number(t.info) : undefined;
      items.push({ number, blocks: this.blocks('list_item_close'), lines: range(t) });
    }
    return { kind: 'list', ordered: open.type === 'ordered_list_open', items, lines: range(open) };
  }

  private table(open: Token): Block {
    const head: Inline[] = [];
    const rows: Inline[][] = [];
    let row: Inline[] | undefined;
    let inHead = false;
    this.i++;
    while (this.i < this.tokens.length) {
      const t = this.tokens[this.i++]!;
      if (t.type === 'table_close') break;
      if (t.type === 'thead_open') inHead = true;
      else if (t.type === 'thead_close') inHead = false;
      else if (t.type === 'tr_open') row = [];
      else if (t.type === 'tr_close' && row) {
        if (inHead) head.push(...row);
        else rows.push(row);
        row = undefined;
      } else if (t.type === 'inline' && row) row.push(readInline(t.children ?? []));
    }
    return { kind: 'table', head, rows, lines: range(open) };
  }

  private skipPast(open: string, close: string): void {
    let depth = 0;
    while (this.i < this.tokens.length) {
      const t = this.tokens[this.i++]!;
      if (t.type === open) depth++;
      else if (t.type === close && --depth === 0) return;
    }
  }
}

function splitAtBreaks(children: Token[]): Token[][] {
  const lines: Token[][] = [[]];
  for (const c of children) {
    if (c.type === 'softbreak' || c.type === 'hardbreak') lines.push([]);
    else lines[lines.length - 1]!.push(c);
  }
  return lines;
}

function readInline(children: Token[]): Inline {
  const segments: Segment[] = [];
  const after: Segment[] = [];
  const links: string[] = [];
  // A bold run that opens the content (after nothing but spaces or symbols such as "✅ ")
  // may be a label: "**Symptoms**: ...".
  let state: 'before' | 'strong' | 'after' | 'none' = 'before';
  let depth = 0;
  let strong = '';
  const push = (list: Segment[], kind: Segment['kind'], value: string): void => {
    const last = list[list.length - 1];
    if (last && last.kind === 'text' && kind === 'text') last.value += value;
    else list.push({ kind, value });
  };
  const add = (kind: Segment['kind'], value: string): void => {
    push(segments, kind, value);
    if (state === 'strong') strong += kind === 'code' ? '`' + value + '`' : value;
    else if (state === 'after') push(after, kind, value);
    else if (state === 'before' && /[\p{L}\p{N}]/u.test(value)) state = 'none';
  };
  for (const c of children) {
    switch (c.type) {
      case 'text':
      case 'html_inline':
        add('text', c.content);
        break;
      case 'code_inline':
        if (state === 'before') state = 'none';
        add('code', c.content);
        break;
      case 'softbreak':
      case 'hardbreak':
        add('text', '\n');
        break;
      case 'image':
        add('text', c.content);
        break;
      case 'strong_open':
        if (state === 'before') state = 'strong';
        if (state === 'strong') depth++;
        break;
      case 'strong_close':
        if (state === 'strong' && --depth === 0) state = 'after';
        break;
      case 'link_open': {
        const href = c.attrGet('href');
        if (href) links.push(String(href));
        break;
      }
      default:
        break;
    }
  }
  const inline: Inline = { segments, links };
  if (state === 'after' && strong.trim()) {
    inline.leadingStrong = strong.trim();
    inline.afterStrong = after;
  }
  return inline;
}

/** The inline content as plain text: code spans without their backticks. */
export function plainText(inline: Inline | Segment[]): string {
  const segments = Array.isArray(inline) ? inline : inline.segments;
  return segments.map((s) => s.value).join('');
}

/** The inline content as Markdown-ish text: code spans keep their backticks. */
export function markedText(inline: Inline | Segment[]): string {
  const segments = Array.isArray(inline) ? inline : inline.segments;
  return segments.map((s) => (s.kind === 'code' ? fenceCode(s.value) : s.value)).join('');
}

function fenceCode(code: string): string {
  const ticks = code.includes('`') ? '``' : '`';
  const pad = code.startsWith('`') || code.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${code}${pad}${ticks}`;
}

/** Source lines of a range, minus lines in `without`, dedented to their common indentation. */
export function sourceOf(doc: MarkdownDoc, lines: LineRange, without: LineRange[] = []): string {
  const picked: string[] = [];
  for (let n = lines[0]; n < lines[1]; n++) {
    if (without.some(([a, b]) => n >= a && n < b)) continue;
    picked.push(doc.lines[n] ?? '');
  }
  while (picked.length && !picked[0]!.trim()) picked.shift();
  while (picked.length && !picked[picked.length - 1]!.trim()) picked.pop();
  const indent = Math.min(...picked.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return picked.map((l) => l.slice(Number.isFinite(indent) ? indent : 0).trimEnd()).join('\n');
}

/** Every fence inside a block (lists nest them), with the line range each covers. */
export function nestedFences(block: Block): Extract<Block, { kind: 'fence' }>[] {
  if (block.kind === 'fence') return [block];
  if (block.kind === 'list') return block.items.flatMap((item) => item.blocks.flatMap(nestedFences));
  return [];
}

/**
 * Splits a paragraph where a line opens with a bold label, so "**Cause**: x" and
 * "**Solution**: y" on consecutive lines read as two labels. `isLabel` decides what counts.
 */
export function splitParagraph(p: Paragraph, isLabel: (line: Inline) => boolean): Paragraph[] {
  const starts = p.lineInlines.map((l, i) => i === 0 || isLabel(l));
  if (!starts.slice(1).some(Boolean) || p.lineInlines.length !== p.lines[1] - p.lines[0]) return [p];
  const parts: Paragraph[] = [];
  let from = 0;
  for (let i = 1; i <= p.lineInlines.length; i++) {
    if (i < p.lineInlines.length && !starts[i]) continue;
    const group = p.lineInlines.slice(from, i);
    parts.push({ kind: 'paragraph', inline: joinLines(group), lineInlines: group, lines: [p.lines[0] + from, p.lines[0] + i] });
    from = i;
  }
  return parts;
}

function joinLines(lines: Inline[]): Inline {
  const newline: Segment = { kind: 'text', value: '\n' };
  const join = (parts: Segment[][]): Segment[] => {
    const out: Segment[] = [];
    parts.forEach((segs, i) => {
      for (const s of i > 0 ? [newline, ...segs] : segs) {
        const last = out[out.length - 1];
        if (last && last.kind === 'text' && s.kind === 'text') last.value += s.value;
        else out.push({ ...s });
      }
    });
    return out;
  };
  const first = lines[0]!;
  const inline: Inline = { segments: join(lines.map((l) => l.segments)), links: lines.flatMap((l) => l.links) };
  if (first.leadingStrong !== undefined) {
    inline.leadingStrong = first.leadingStrong;
    inline.afterStrong = join([first.afterStrong ?? [], ...lines.slice(1).map((l) => l.segments)]);
  }
  return inline;
}
