// Turns a runbook file's bytes into clean text: the right decoding (UTF-8, UTF-16 with a BOM,
// else Windows-1252), no BOM, LF line ends and repaired mojibake. Pure.
import { ImportError } from './errors';
import { decodeWindows1252, repairMojibake } from './mojibake';

/** Runbooks are documents; anything this large is not one. */
export const MAX_RUNBOOK_BYTES = 5 * 1024 * 1024;

export interface SourceText {
  text: string;
  /** Characters decoded back from mojibake, and broken mojibake sequences dropped. */
  mojibake: { repaired: number; stripped: number };
}

function decode(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes.includes(0)) throw new ImportError('not a text file (it holds NUL bytes)');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    // Not UTF-8: a runbook saved by an older Windows editor.
    return decodeWindows1252(bytes);
  }
}

/**
 * Blanks a leading YAML front matter block (documentation sites add one); Markdown would read
 * it as a rule and a heading. Lines are kept so line numbers stay true.
 */
export function blankFrontMatter(text: string): string {
  const m = /^---\n((?:[A-Za-z_][\w-]*:.*\n|[ \t#-].*\n|\n)*?)(?:---|\.\.\.)\n/.exec(text);
  if (!m || !/^[A-Za-z_][\w-]*:/m.test(m[1]!)) return text;
  return m[0].replace(/[^\n]/g, '') + text.slice(m[0].length);
}

export function readSourceText(bytes: Uint8Array): SourceText {
  if (bytes.length > MAX_RUNBOOK_BYTES) throw new ImportError(`too large for a runbook (${bytes.length} bytes; the limit is ${MAX_RUNBOOK_BYTES})`);
  let text = blankFrontMatter(decode(bytes).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'));
  const mojibake = { repaired: 0, stripped: 0 };
  // Text mangled twice (UTF-8 -> cp1252 -> UTF-8 -> cp1252) needs a second pass.
  for (let pass = 0; pass < 3; pass++) {
    const r = repairMojibake(text);
    mojibake.repaired += r.repaired;
    mojibake.stripped += r.stripped;
    if (r.text === text) break;
    text = r.text;
  }
  return { text, mojibake };
}
