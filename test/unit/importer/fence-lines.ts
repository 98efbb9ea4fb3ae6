// An independent reading of a seed's fenced blocks for the "every command lands" test: a plain
// line scanner following CommonMark's fence rules (no markdown-it, no importer code), and its
// own small judgement of which blocks hold commands.

export interface FencedBlock {
  info: string;
  lines: string[];
  /** Inside a block quote ("> ```"): an example of what to say, not a runbook command. */
  quoted: boolean;
  /** 1-based line of the opening fence. */
  line: number;
}

export function fencedBlocks(text: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  let open: { marker: string; indent: number; block: FencedBlock } | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const quoted = /^ {0,3}>/.test(raw);
    const line = raw.replace(/^(?: {0,3}> ?)+/, '');
    if (!open) {
      const m = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(line);
      if (m && !(m[2]!.startsWith('`') && m[3]!.includes('`'))) {
        const block: FencedBlock = { info: m[3]!.trim(), lines: [], quoted, line: i + 1 };
        open = { marker: m[2]!, indent: m[1]!.length, block };
        blocks.push(block);
      }
      return;
    }
    const close = /^\s*(`{3,}|~{3,})\s*$/.exec(line);
    if (close && close[1]![0] === open.marker[0] && close[1]!.length >= open.marker.length) {
      open = undefined;
      return;
    }
    const indent = line.length - line.trimStart().length;
    open.block.lines.push(line.slice(Math.min(indent, open.indent)));
  });
  return blocks;
}

const SHELL = /^(?:bash|sh|shell|zsh|console|powershell|ps1|pwsh|cmd|bat|sql|sqlite)$/i;
const PROSE = /^(?:text|txt|plaintext|markdown|md|json|yaml|yml|output|log|diff)$/i;

/** How this test reads a block: lines to find among commands, or lines to find in the text. */
export function blockRole(b: FencedBlock): 'commands' | 'prose' | 'example' {
  if (b.quoted) return 'example';
  const lang = b.info.split(/\s+/)[0] ?? '';
  if (SHELL.test(lang)) return 'commands';
  if (PROSE.test(lang)) return 'prose';
  if (lang) return 'commands'; // python and friends: snippets, offered whole
  const body = b.lines.filter((l) => l.trim());
  const tree = b.lines.some((l) => /^\s*[├└]/.test(l));
  const procedure = body.length > 0 && /^\d+\.\s/.test(body[0]!);
  const diagram = b.lines.some((l) => /^[\s|+-]+$/.test(l) && /[|+]/.test(l));
  return tree || procedure || diagram ? 'prose' : 'commands';
}

/** A command block's lines that must appear among commands: all but blanks and whole-line comments. */
export function commandLines(b: FencedBlock): string[] {
  return b.lines.map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

/** Text compared without mojibake, emoji and spacing differences: printable ASCII words only. */
export function comparable(text: string): string {
  return text
    .replace(/[^\x20-\x7e]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
