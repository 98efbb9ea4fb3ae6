// The runbook's outline: headings nest into sections, each holding its own blocks and its
// sub-sections. Headings inside lists or quotes are content, not outline. Pure.
import { markedText } from './markdown';
import type { Block, LineRange } from './markdown';
import { cleanTitle } from './labels';

export interface Section {
  /** 0 for the document itself. */
  level: number;
  /** The heading's text (Markdown, code spans kept), cleaned of emoji and trailing colons. */
  title: string;
  /** The heading's own line range ([0,0] for the document). */
  heading: LineRange;
  blocks: Block[];
  children: Section[];
}

export function outline(blocks: Block[]): Section {
  const root: Section = { level: 0, title: '', heading: [0, 0], blocks: [], children: [] };
  const stack: Section[] = [root];
  for (const b of blocks) {
    if (b.kind === 'heading') {
      const title = cleanTitle(markedText(b.inline));
      // A heading with no words (a lone `#`) names nothing: it opens no section.
      if (!title) continue;
      while (stack.length > 1 && stack[stack.length - 1]!.level >= b.level) stack.pop();
      const section: Section = { level: b.level, title, heading: b.lines, blocks: [], children: [] };
      stack[stack.length - 1]!.children.push(section);
      stack.push(section);
    } else {
      stack[stack.length - 1]!.blocks.push(b);
    }
  }
  return root;
}

/** Every section under `s` (not `s` itself), depth first in document order. */
export function descendants(s: Section): Section[] {
  return s.children.flatMap((c) => [c, ...descendants(c)]);
}

/** A section's content in document order: its blocks, then each sub-section's heading and content. */
export type FlatItem = { kind: 'block'; block: Block; depth: number } | { kind: 'heading'; section: Section };

export function flatten(s: Section): FlatItem[] {
  return [
    ...s.blocks.map((block) => ({ kind: 'block' as const, block, depth: s.level })),
    ...s.children.flatMap((c) => [{ kind: 'heading' as const, section: c }, ...flatten(c)]),
  ];
}
