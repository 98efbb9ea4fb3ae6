// Streams output of any shape — chunks that split lines, bytes that split characters, ANSI
// colours, `\r` progress redraws, CRLF, megabyte lines, binary junk — through a Matcher with
// bounded memory. The result never depends on how the input was chunked.
import type { SymptomSource } from '../playbooks/model';
import type { Matcher } from './matcher';
import { candidatesFor } from './matcher';

export interface SymptomMatch {
  playbookId: string;
  /** Index of the symptom in its playbook. */
  symptomIndex: number;
  weight: number;
  /** 1-based line number in the stream. */
  line: number;
  /** 0-based character offset of the line's start in the decoded stream. */
  offset: number;
  /** The cleaned line (colours and redraws removed), cut to a readable length. */
  text: string;
}

export interface StreamOptions {
  /** Where the text comes from; symptoms limited to other sources are skipped. */
  source?: SymptomSource;
  /** A line longer than this is examined in segments of this size (default 64 Ki characters). */
  maxLineLength?: number;
  /** Matches kept per symptom as evidence (counts are always complete). Default 3. */
  keepPerSymptom?: number;
  /** Called for every match as it is found. */
  onMatch?: (m: SymptomMatch) => void;
}

/** CSI, OSC (BEL or ST terminated) and two-character escape sequences. */
// eslint-disable-next-line no-control-regex -- matching terminal control sequences is the point
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;
/** Everything up to a carriage return that redraws the line (one not ending the line). */
const REDRAW = /[^\n]*\r(?!\n|$)/gm;
const EVIDENCE_CHARS = 400;
/** Overlap between segments of an over-long line, so a match across a cut is still seen. */
const SEGMENT_OVERLAP = 512;

function clean(text: string): string {
  let t = text;
  if (t.includes('\u001b')) t = t.replace(ANSI, '');
  if (t.includes('\r')) t = t.replace(REDRAW, '').replace(/\r+(?=\n|$)/g, '');
  return t;
}

export class SymptomStream {
  readonly matches: SymptomMatch[] = [];
  /** Matches per compiled symptom id, complete even when evidence is capped. */
  readonly counts = new Map<number, number>();
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private carry = '';
  /** Characters of the current (unfinished) line already examined as segments. */
  private carryConsumed = 0;
  private lineNo = 1;
  private offset = 0;
  private readonly maxLine: number;
  private readonly keep: number;
  private lastMatchLine = new Map<number, number>();
  private ended = false;

  constructor(
    private readonly matcher: Matcher,
    private readonly options: StreamOptions = {},
  ) {
    this.maxLine = Math.max(1024, options.maxLineLength ?? 64 * 1024);
    this.keep = options.keepPerSymptom ?? 3;
  }

  /** Characters held while waiting for the end of a line (bounded by the line limit). */
  get bufferedLength(): number {
    return this.carry.length;
  }

  /** Lines seen so far. */
  get lineCount(): number {
    return this.lineNo - 1;
  }

  write(chunk: string | Uint8Array): void {
    if (this.ended) throw new Error('write after end');
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    this.push(text);
  }

  end(): void {
    if (this.ended) return;
    this.push(this.decoder.decode());
    if (this.carry.length > 0 || this.carryConsumed > 0) this.examine(this.carry, true);
    this.carry = '';
    this.ended = true;
  }

  private push(text: string): void {
    if (!text) return;
    const lastNl = text.lastIndexOf('\n');
    if (lastNl < 0) {
      this.carry += text;
      this.segmentLongLine();
      return;
    }
    const region = this.carry + text.slice(0, lastNl + 1);
    this.carry = text.slice(lastNl + 1);
    this.examineRegion(region);
    this.segmentLongLine();
  }

  /** Examines fixed-size segments of an unfinished over-long line so memory stays bounded. */
  private segmentLongLine(): void {
    while (this.carry.length >= this.maxLine + SEGMENT_OVERLAP) {
      const segment = this.carry.slice(0, this.maxLine + SEGMENT_OVERLAP);
      this.examine(segment, false);
      this.carry = this.carry.slice(this.maxLine);
      this.carryConsumed += this.maxLine;
    }
  }

  /** A region of complete lines; the first may continue a segmented long line. */
  private examineRegion(region: string): void {
    if (this.carryConsumed > 0 || region.indexOf('\n') + 1 > this.maxLine + SEGMENT_OVERLAP) {
      // Finish the long line on its own, then the rest in bulk.
      const nl = region.indexOf('\n');
      let head = region.slice(0, nl + 1);
      while (head.length > this.maxLine + SEGMENT_OVERLAP) {
        this.examine(head.slice(0, this.maxLine + SEGMENT_OVERLAP), false);
        head = head.slice(this.maxLine);
        this.carryConsumed += this.maxLine;
      }
      this.examine(head, true);
      region = region.slice(nl + 1);
      if (!region) return;
    }
    this.examine(region, true);
  }

  /**
   * Runs the matcher over `raw`. With `complete`, `raw` ends at a line boundary (or the stream's
   * end) and the line counter advances; otherwise it is one segment of a long line.
   */
  private examine(raw: string, complete: boolean): void {
    const text = clean(raw);
    const baseLine = this.lineNo;
    const lineStartOffset = this.offset;
    const rawStartOffset = this.offset + this.carryConsumed;
    const { prefilter, unanchored } = this.matcher;
    let nlCursor = 0;
    let linesBefore = 0;
    let rawCursor = 0;
    let rawLines = 0;
    const lineInfo = (lineStart: number): { line: number; offset: number } => {
      // Newlines survive cleaning, so the n-th cleaned line is the n-th raw line.
      for (let i = text.indexOf('\n', nlCursor); i >= 0 && i < lineStart; i = text.indexOf('\n', i + 1)) {
        linesBefore++;
        nlCursor = i + 1;
      }
      while (rawLines < linesBefore) {
        rawCursor = raw.indexOf('\n', rawCursor) + 1;
        rawLines++;
      }
      return { line: baseLine + linesBefore, offset: linesBefore === 0 ? lineStartOffset : rawStartOffset + rawCursor };
    };
    const visit = (lineStart: number): number => {
      let lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd < 0) lineEnd = text.length;
      const line = text.slice(lineStart, lineEnd);
      this.evaluate(line, () => lineInfo(lineStart));
      return lineEnd + 1;
    };
    if (unanchored.length > 0) {
      for (let start = 0; start < text.length; ) start = visit(start);
    } else if (prefilter) {
      prefilter.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = prefilter.exec(text)) !== null) {
        const lineStart = text.lastIndexOf('\n', m.index) + 1;
        prefilter.lastIndex = visit(lineStart);
      }
    }
    if (complete) {
      let lines = 0;
      for (let i = raw.indexOf('\n'); i >= 0; i = raw.indexOf('\n', i + 1)) lines++;
      this.lineNo += lines;
      this.offset += this.carryConsumed + raw.length;
      this.carryConsumed = 0;
    }
  }

  private evaluate(line: string, where: () => { line: number; offset: number }): void {
    const ids = candidatesFor(this.matcher, line);
    if (ids.length === 0) return;
    let pos: { line: number; offset: number } | undefined;
    for (const id of ids) {
      const s = this.matcher.symptoms[id]!;
      if (this.options.source && s.sources && !s.sources.includes(this.options.source)) continue;
      if (!s.regex.test(line)) continue;
      if (s.unless && s.unless.test(line)) continue;
      pos ??= where();
      // A segmented long line is examined with overlap: count each line once per symptom.
      if (this.lastMatchLine.get(id) === pos.line) continue;
      this.lastMatchLine.set(id, pos.line);
      const count = (this.counts.get(id) ?? 0) + 1;
      this.counts.set(id, count);
      const match: SymptomMatch = {
        playbookId: s.playbookId,
        symptomIndex: s.index,
        weight: s.weight,
        line: pos.line,
        offset: pos.offset,
        text: line.length > EVIDENCE_CHARS ? line.slice(0, EVIDENCE_CHARS) + '…' : line.trimEnd(),
      };
      if (count <= this.keep) this.matches.push(match);
      this.options.onMatch?.(match);
    }
  }
}

/** Scans a whole text at once (the same result as streaming it in any chunks). */
export function scanText(matcher: Matcher, text: string | Uint8Array, options: StreamOptions = {}): SymptomStream {
  const s = new SymptomStream(matcher, options);
  s.write(text);
  s.end();
  return s;
}
