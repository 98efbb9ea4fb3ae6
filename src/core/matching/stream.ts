// Streams output of any shape — chunks that split lines, bytes that split characters, ANSI
// colours, `\r` progress redraws, CRLF, megabyte lines, binary junk — through a Matcher with
// bounded memory. It scans raw UTF-8 bytes (text is decoded only for the few lines worth a full
// regex), and the result never depends on how the input was chunked.
import type { FailureType, SymptomSource } from '../playbooks/model';
import type { Matcher } from './matcher';
import { testBounded } from '../playbooks/patterns';

export interface SymptomMatch {
  playbookId: string;
  /** Index of the symptom in its playbook. */
  symptomIndex: number;
  weight: number;
  /** 1-based line number in the stream. */
  line: number;
  /** Byte offset of the line's start in the stream (UTF-8). */
  offset: number;
  /** The cleaned line (colours and redraws removed), cut to a readable length. */
  text: string;
}

export interface StreamOptions {
  /** Where the text comes from; symptoms limited to other sources are skipped. */
  source?: SymptomSource;
  /** A line longer than this many bytes is examined in segments of this size (default 64 KiB). */
  maxLineLength?: number;
  /** Matches kept per symptom as evidence (counts are always complete). Default 3. */
  keepPerSymptom?: number;
  /** Called for every match as it is found. */
  onMatch?: (m: SymptomMatch) => void;
}

const LF = 10;
const CR = 13;
const ESC = 27;
const EVIDENCE_CHARS = 400;
/** Lines up to this many bytes have their guards checked on the bytes, longer ones on the text. */
const SHORT_LINE = 256;
/** Generic failure lines kept: enough to show where the run failed. */
const MAX_SIGNALS = 5;
/** Overlap between segments of an over-long line, so a match across a cut is still seen. */
const SEGMENT_OVERLAP = 512;
/** What is left of escape sequences the byte scanner could not see whole (e.g. cut lines). */
// eslint-disable-next-line no-control-regex -- matching terminal control sequences is the point
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

const encoder = new TextEncoder();

/** Index just past the escape sequence starting at `i` (an ESC byte), never past `end`. */
function skipEscape(buf: Uint8Array, i: number, end: number): number {
  const kind = buf[i + 1];
  if (kind === undefined || i + 1 >= end) return end;
  if (kind === 0x5b) {
    // CSI: parameters 0x30-0x3F, intermediates 0x20-0x2F, one final byte 0x40-0x7E.
    let j = i + 2;
    while (j < end && buf[j]! >= 0x20 && buf[j]! <= 0x3f) j++;
    return j < end && buf[j]! >= 0x40 && buf[j]! <= 0x7e ? j + 1 : j;
  }
  if (kind === 0x5d) {
    // OSC: up to BEL or ESC \.
    for (let j = i + 2; j < end; j++) {
      if (buf[j] === 7) return j + 1;
      if (buf[j] === ESC) return buf[j + 1] === 0x5c && j + 1 < end ? j + 2 : j;
      if (buf[j] === LF) return j;
    }
    return end;
  }
  return kind >= 0x40 && kind <= 0x5f ? i + 2 : i + 1;
}

/** A generic failure line (see failure-signals.ts): it names no playbook. */
export interface SignalMatch {
  type: FailureType;
  line: number;
  offset: number;
  text: string;
}

/** What a scan found: a SymptomStream, or several merged (see the CLI's parallel scan). */
export interface ScanResult {
  readonly matches: readonly SymptomMatch[];
  readonly signals: readonly SignalMatch[];
  readonly counts: ReadonlyMap<number, number>;
}

export class SymptomStream implements ScanResult {
  readonly matches: SymptomMatch[] = [];
  /** The first few generic failure lines, in stream order. */
  readonly signals: SignalMatch[] = [];
  /** Matches per compiled symptom id, complete even when evidence is capped. */
  readonly counts = new Map<number, number>();
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  /** Bytes of the current, unfinished line not yet examined. */
  private carry: Uint8Array = new Uint8Array(0);
  /** Bytes of the current line already examined as segments. */
  private carryConsumed = 0;
  private lineNo = 1;
  /** Byte offset of the current line's start. */
  private offset = 0;
  private readonly maxLine: number;
  private readonly keep: number;
  private readonly lastMatchLine = new Map<number, number>();
  private ended = false;
  /** Symptoms the current line's anchors selected, each once (reused: no allocation per line). */
  private readonly candidates: number[] = [];
  /**
   * For each symptom, the generation of `candidates` it was last added to: a line that repeats an
   * anchor thousands of times adds its symptom once (sorting thousands of repeats was quadratic).
   */
  private readonly addedIn: Uint32Array;
  private generation = 1;

  constructor(
    private readonly matcher: Matcher,
    private readonly options: StreamOptions = {},
  ) {
    this.maxLine = Math.max(1024, options.maxLineLength ?? 64 * 1024);
    this.keep = options.keepPerSymptom ?? 3;
    this.addedIn = new Uint32Array(matcher.symptoms.length);
  }

  /** Bytes held while waiting for the end of a line (bounded by the line limit). */
  get bufferedLength(): number {
    return this.carry.length;
  }

  /** Lines seen so far. */
  get lineCount(): number {
    return this.lineNo - 1;
  }

  write(chunk: string | Uint8Array): void {
    if (this.ended) throw new Error('write after end');
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    if (bytes.length === 0) return;
    const last = bytes.lastIndexOf(LF);
    if (last < 0) {
      this.carry = concat(this.carry, bytes);
      this.segmentLongLine();
      return;
    }
    const first = bytes.indexOf(LF);
    // The line that was waiting ends in this chunk: examine it on its own (usually short).
    this.finishLine(concat(this.carry, bytes.subarray(0, first + 1)));
    // Whole lines in the middle are scanned in place, without copying.
    if (last > first) this.examine(bytes, first + 1, last + 1, true);
    this.carry = bytes.slice(last + 1);
    this.segmentLongLine();
  }

  end(): void {
    if (this.ended) return;
    if (this.carry.length > 0 || this.carryConsumed > 0) this.examine(this.carry, 0, this.carry.length, true);
    this.carry = new Uint8Array(0);
    this.ended = true;
  }

  /** A line (ending in LF) whose head may already have been examined as segments. */
  private finishLine(line: Uint8Array): void {
    let start = 0;
    while (line.length - start > this.maxLine + SEGMENT_OVERLAP) {
      this.examine(line, start, start + this.maxLine + SEGMENT_OVERLAP, false);
      start += this.maxLine;
      this.carryConsumed += this.maxLine;
    }
    this.examine(line, start, line.length, true);
  }

  /** Examines fixed-size segments of an unfinished over-long line so memory stays bounded. */
  private segmentLongLine(): void {
    let start = 0;
    while (this.carry.length - start >= this.maxLine + SEGMENT_OVERLAP) {
      this.examine(this.carry, start, start + this.maxLine + SEGMENT_OVERLAP, false);
      start += this.maxLine;
      this.carryConsumed += this.maxLine;
    }
    if (start > 0) this.carry = this.carry.slice(start);
  }

  /**
   * Scans `buf[from, to)`. With `complete`, the range ends at a line end (or the stream's end)
   * and the line counter advances; otherwise it is one segment of a long line.
   */
  private examine(buf: Uint8Array, from: number, to: number, complete: boolean): void {
    const { automaton, selects, unanchored } = this.matcher;
    const table = automaton.table;
    const marked = automaton.firstMarked;
    const control = automaton.controlState;
    const always = unanchored.length > 0;
    const candidates = this.candidates;
    const addedIn = this.addedIn;
    candidates.length = 0;
    let generation = ++this.generation;
    // Whether the current line holds an escape sequence: then its raw bytes are not what the
    // regex sees, and the byte-level guards are skipped for it.
    let escaped = false;
    let line = this.lineNo;
    // Byte offset of the current line's start (a segment continues the line before it).
    let lineFirst = this.offset;
    const base = this.offset + this.carryConsumed - from;
    let start = from;
    let state = 0;
    // Kept free of closures and calls for plain bytes: this loop is most of a big log's scan.
    for (let i = from; i < to; i++) {
      const next = table[(state << 8) | buf[i]!]!;
      if (next < marked) {
        state = next;
        continue;
      }
      if (next !== control) {
        state = next;
        for (const id of selects[next]!) {
          if (addedIn[id] === generation) continue;
          addedIn[id] = generation;
          candidates.push(id);
        }
        continue;
      }
      // Line feed, carriage return or escape (the automaton's control state), rare by nature.
      const b = buf[i]!;
      if (b === LF) {
        if (candidates.length > 0 || always) {
          let end = i;
          while (end > start && buf[end - 1] === CR) end--;
          this.evaluate(buf, start, end, candidates, escaped, line, lineFirst);
          candidates.length = 0;
          generation = ++this.generation;
        }
        line++;
        lineFirst = base + i + 1;
        start = i + 1;
        state = 0;
        escaped = false;
      } else if (b === CR) {
        // CR before LF ends the line; a lone CR redraws it: only what follows stays on screen.
        if (i + 1 < to && buf[i + 1] !== LF && buf[i + 1] !== CR) {
          start = i + 1;
          candidates.length = 0;
          generation = ++this.generation;
          state = 0;
        }
      } else {
        // An escape sequence is invisible to the regex: the anchor scan goes on across it.
        escaped = true;
        i = skipEscape(buf, i, to) - 1;
      }
    }
    // The last line of the range (no LF): a complete range's tail, or a long line's segment.
    if (start < to || candidates.length > 0) {
      if (candidates.length > 0 || always) {
        let end = to;
        while (end > start && buf[end - 1] === CR) end--;
        this.evaluate(buf, start, end, candidates, escaped, line, lineFirst);
        candidates.length = 0;
      }
    }
    if (complete) {
      this.lineNo = line;
      this.offset += this.carryConsumed + (to - from);
      this.carryConsumed = 0;
    }
  }

  /** Runs the candidate symptoms' regexes on `buf[start, end)`, one line (or segment). */
  private evaluate(buf: Uint8Array, start: number, end: number, candidates: number[], escaped: boolean, line: number, offset: number): void {
    const { symptoms, unanchored } = this.matcher;
    const source = this.options.source;
    // Most candidate lines share a word with a symptom and nothing more: a missing guard literal
    // rules the symptom out before its regex runs. A short line is checked on its bytes (and not
    // decoded at all when every candidate fails); a long one is decoded once and searched natively.
    // Nothing is allocated on the way to that rejection: it happens for most candidate lines.
    const short = end - start <= SHORT_LINE;
    let text: string | undefined;
    let lower: string | undefined;
    const n = candidates.length > 1 ? sortUnique(candidates) : candidates.length;
    let kept = 0;
    for (let k = 0; k < n; k++) {
      const id = candidates[k]!;
      const s = symptoms[id]!;
      if (source && s.sources && !s.sources.includes(source)) continue;
      if (!escaped && s.guards.length > 0) {
        if (short) {
          if (!containsAll(buf, start, end, s.guards)) continue;
        } else {
          const t = (text ??= this.decoder.decode(buf.subarray(start, end)));
          // A guard without letters is found as it is; only one with letters needs the folded text.
          if (!s.guardText.every((g) => (/[a-z]/.test(g) ? (lower ??= t.toLowerCase()).includes(g) : t.includes(g)))) continue;
        }
      }
      candidates[kept++] = id;
    }
    if (kept === 0 && unanchored.length === 0) return;
    const ids = candidates.slice(0, kept);
    for (const id of unanchored) if (!ids.includes(id)) ids.push(id);
    if (ids.length === 0) return;
    text ??= this.decoder.decode(buf.subarray(start, end));
    if (escaped || text.includes('\u001b')) text = text.replace(ANSI, '');
    for (const id of ids) {
      const s = symptoms[id]!;
      if (source && s.sources && !s.sources.includes(source)) continue;
      if (!testBounded(s.regex, text)) continue;
      if (s.unless && testBounded(s.unless, text)) continue;
      // A segmented long line is examined with overlap: count each line once per symptom.
      if (this.lastMatchLine.get(id) === line) continue;
      this.lastMatchLine.set(id, line);
      const shown = text.length > EVIDENCE_CHARS ? text.slice(0, EVIDENCE_CHARS) + '…' : text.trimEnd();
      if (s.signal) {
        if (this.signals.length < MAX_SIGNALS && this.signals.at(-1)?.line !== line) this.signals.push({ type: s.signal, line, offset, text: shown });
        continue;
      }
      const count = (this.counts.get(id) ?? 0) + 1;
      this.counts.set(id, count);
      const match: SymptomMatch = {
        playbookId: s.playbookId,
        symptomIndex: s.index,
        weight: s.weight,
        line,
        offset,
        text: shown,
      };
      if (count <= this.keep) this.matches.push(match);
      this.options.onMatch?.(match);
    }
  }
}

/** Sorts `xs` ascending and drops repeats, in place; returns how many remain at the front. */
function sortUnique(xs: number[]): number {
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i]!;
    let j = i - 1;
    while (j >= 0 && xs[j]! > x) {
      xs[j + 1] = xs[j]!;
      j--;
    }
    xs[j + 1] = x;
  }
  let n = 1;
  for (let i = 1; i < xs.length; i++) if (xs[i] !== xs[n - 1]) xs[n++] = xs[i]!;
  return n;
}

function containsAll(buf: Uint8Array, start: number, end: number, needles: readonly Uint8Array[]): boolean {
  for (const g of needles) if (!contains(buf, start, end, g)) return false;
  return true;
}

/** Whether `buf[start, end)` contains `needle` (lower-case), ignoring ASCII case. */
function contains(buf: Uint8Array, start: number, end: number, needle: Uint8Array): boolean {
  const n = needle.length;
  const first = needle[0]!;
  const last = end - n;
  outer: for (let i = start; i <= last; i++) {
    let b = buf[i]!;
    if ((b >= 65 && b <= 90 ? b + 32 : b) !== first) continue;
    for (let j = 1; j < n; j++) {
      b = buf[i + j]!;
      if ((b >= 65 && b <= 90 ? b + 32 : b) !== needle[j]) continue outer;
    }
    return true;
  }
  return false;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b.slice();
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Scans a whole text at once (the same result as streaming it in any chunks). */
export function scanText(matcher: Matcher, text: string | Uint8Array, options: StreamOptions = {}): SymptomStream {
  const s = new SymptomStream(matcher, options);
  s.write(text);
  s.end();
  return s;
}
