// Repairs mojibake: UTF-8 text that was once decoded as Windows-1252 or Mac Roman, so that an
// emoji such as 🔍 reads "ðŸ”" or an arrow "→" reads "â†’" (cp1252) or "‚Üí" (Mac Roman).
// Each suspicious run is turned back into the bytes it came from and decoded as UTF-8 again;
// a sequence that lost a byte on the way (cp1252 has five unmapped bytes) cannot be decoded
// and is dropped. Pure.

/** The characters bytes 0x80..0xFF decode to. cp1252's five unmapped bytes appear as C1 controls. */
const HIGH_HALVES = {
  cp1252:
    '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
    '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178' +
    Array.from({ length: 0x60 }, (_, i) => String.fromCharCode(0xa0 + i)).join(''),
  macRoman:
    '\u00c4\u00c5\u00c7\u00c9\u00d1\u00d6\u00dc\u00e1\u00e0\u00e2\u00e4\u00e3\u00e5\u00e7\u00e9\u00e8' +
    '\u00ea\u00eb\u00ed\u00ec\u00ee\u00ef\u00f1\u00f3\u00f2\u00f4\u00f6\u00f5\u00fa\u00f9\u00fb\u00fc' +
    '\u2020\u00b0\u00a2\u00a3\u00a7\u2022\u00b6\u00df\u00ae\u00a9\u2122\u00b4\u00a8\u2260\u00c6\u00d8' +
    '\u221e\u00b1\u2264\u2265\u00a5\u00b5\u2202\u2211\u220f\u03c0\u222b\u00aa\u00ba\u03a9\u00e6\u00f8' +
    '\u00bf\u00a1\u00ac\u221a\u0192\u2248\u2206\u00ab\u00bb\u2026\u00a0\u00c0\u00c3\u00d5\u0152\u0153' +
    '\u2013\u2014\u201c\u201d\u2018\u2019\u00f7\u25ca\u00ff\u0178\u2044\u20ac\u2039\u203a\ufb01\ufb02' +
    '\u2021\u00b7\u201a\u201e\u2030\u00c2\u00ca\u00c1\u00cb\u00c8\u00cd\u00ce\u00cf\u00cc\u00d3\u00d4' +
    '\uf8ff\u00d2\u00da\u00db\u00d9\u0131\u02c6\u02dc\u00af\u02d8\u02d9\u02da\u00b8\u02dd\u02db\u02c7',
} as const;
type Charset = keyof typeof HIGH_HALVES;
const CHARSETS = Object.keys(HIGH_HALVES) as Charset[];

const BYTE_OF: Record<Charset, Map<string, number>> = {
  cp1252: reverse(HIGH_HALVES.cp1252),
  macRoman: reverse(HIGH_HALVES.macRoman),
};
// Older Mac Roman tables put the currency sign where newer ones put the euro.
BYTE_OF.macRoman.set('\u00a4', 0xdb);

function reverse(half: string): Map<string, number> {
  const map = new Map<string, number>();
  [...half].forEach((ch, i) => map.set(ch, 0x80 + i));
  return map;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes Windows-1252 bytes. Node's TextDecoder('windows-1252') decodes as Latin-1 instead,
 * which turns curly quotes and dashes into control characters.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  const high = [...HIGH_HALVES.cp1252];
  let out = '';
  for (const b of bytes) out += b < 0x80 ? String.fromCharCode(b) : high[b - 0x80]!;
  return out;
}

export interface MojibakeRepair {
  text: string;
  /** Characters decoded back from their mojibake. */
  repaired: number;
  /** Broken sequences (a byte was lost) that were dropped. */
  stripped: number;
}

/** How many bytes a UTF-8 sequence starting with `lead` has (0 when `lead` cannot start one). */
function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

const isContinuation = (b: number | undefined): b is number => b !== undefined && b >= 0x80 && b <= 0xbf;

type Attempt = { kind: 'decoded'; char: string; width: number } | { kind: 'broken'; width: number } | undefined;

/**
 * Reads one mojibake sequence at `chars[i]` in `charset`: decoded when its bytes form valid
 * UTF-8; broken when a lead byte is followed by some continuation bytes but too few.
 */
function attempt(chars: string[], i: number, charset: Charset): Attempt {
  const byteOf = BYTE_OF[charset];
  const lead = byteOf.get(chars[i]!);
  const need = lead === undefined ? 0 : sequenceLength(lead);
  if (need === 0) return undefined;
  const bytes = [lead!];
  for (let k = 1; k < need; k++) {
    const ch = chars[i + k];
    // A no-break space (0xA0) flattened to a plain space is not read back: a space after a
    // sequence that lost a byte looks the same, and guessing would insert a wrong symbol.
    const b = ch === undefined ? undefined : byteOf.get(ch);
    if (!isContinuation(b)) break;
    bytes.push(b);
  }
  if (bytes.length === need) {
    try {
      return { kind: 'decoded', char: strictUtf8.decode(Uint8Array.from(bytes)), width: need };
    } catch {
      return undefined;
    }
  }
  // A lone lead byte is ordinary text ("é", "â"); a lead with continuations is not.
  if (bytes.length >= 2) return { kind: 'broken', width: bytes.length };
  return undefined;
}

/** Decodes mojibake back to the characters it came from; text without mojibake comes back unchanged. */
export function repairMojibake(text: string): MojibakeRepair {
  if (!/[\u0080-\uffff]/.test(text)) return { text, repaired: 0, stripped: 0 };
  const chars = [...text];
  // First pass: which charset explains this text? Only a charset with at least one clean
  // decode is trusted to repair or to drop anything.
  const evidence = new Map<Charset, number>(CHARSETS.map((c) => [c, 0]));
  for (let i = 0; i < chars.length; i++) {
    if (chars[i]!.charCodeAt(0) < 0x80) continue;
    for (const c of CHARSETS) {
      const a = attempt(chars, i, c);
      if (a?.kind === 'decoded') evidence.set(c, evidence.get(c)! + 1);
    }
  }
  const trusted = CHARSETS.filter((c) => evidence.get(c)! > 0).sort((a, b) => evidence.get(b)! - evidence.get(a)!);
  if (trusted.length === 0) return { text, repaired: 0, stripped: 0 };

  let out = '';
  let repaired = 0;
  let stripped = 0;
  for (let i = 0; i < chars.length; ) {
    const ch = chars[i]!;
    if (ch.charCodeAt(0) >= 0x80) {
      const attempts = trusted.map((c) => attempt(chars, i, c));
      const decoded = attempts.find((a) => a?.kind === 'decoded');
      const broken = attempts.find((a) => a?.kind === 'broken');
      if (decoded?.kind === 'decoded') {
        out += decoded.char;
        repaired++;
        i += decoded.width;
        continue;
      }
      if (broken) {
        stripped++;
        i += broken.width;
        continue;
      }
    }
    out += ch;
    i++;
  }
  return { text: out, repaired, stripped };
}
