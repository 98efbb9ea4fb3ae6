// Scans a large regular file on several threads: the file is cut at line ends into one part per
// core, the main thread scans the first part while worker threads scan the others, and the parts'
// matches are merged into what one stream over the whole file would have found (same lines,
// offsets, evidence caps and counts). Each part streams through a bounded SymptomStream, so memory
// stays one read buffer plus one unfinished line per thread.
import { closeSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, parentPort } from 'node:worker_threads';
import type { Matcher } from '../core/matching/matcher';
import { SymptomStream } from '../core/matching/stream';
import type { ScanResult, SignalMatch, SymptomMatch } from '../core/matching/stream';
import type { SymptomSource } from '../core/playbooks/model';

/** Below this size one thread is faster than starting another. */
export const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;
const READ_BYTES = 1024 * 1024;
/** See cutAtLineEnds: measured on 200 MB logs, a worker starts about a quarter of a part late. */
const MAIN_HEAD_START = 0.25;
/** Evidence kept per symptom, as SymptomStream keeps by default. */
const KEEP = 3;
const MAX_SIGNALS = 5;

export interface ScanJob {
  kind: 'lifeline-scan';
  file: string;
  start: number;
  end: number;
  /**
   * The main thread's compiled matcher, structured-cloned (typed arrays and RegExps survive it):
   * a worker that compiled the playbooks again spent a good part of its share doing so.
   */
  matcher: Matcher;
  source?: SymptomSource;
}

interface PartResult {
  matches: SymptomMatch[];
  signals: SignalMatch[];
  counts: [number, number][];
  /** Line ends in the part (every part but the last ends with one). */
  lines: number;
}

export function isScanJob(data: unknown): data is ScanJob {
  return typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'lifeline-scan';
}

/** Worker side: scans its part and posts the result. */
export function runScanWorker(job: ScanJob): void {
  parentPort?.postMessage(scanRange(job.matcher, job.file, job.start, job.end, job.source));
}

/** How many parts to cut a file of `size` bytes into here (1: do not bother). */
export function partsFor(size: number): number {
  return size < PARALLEL_MIN_BYTES ? 1 : Math.max(1, Math.min(4, availableParallelism()));
}

/** Scans `file` in `parts` parts on as many threads and merges the results. */
export async function scanFileParallel(matcher: Matcher, file: string, size: number, parts: number, source?: SymptomSource): Promise<ScanResult> {
  const cuts = cutAtLineEnds(file, size, parts);
  const others = cuts.slice(1).map(
    ([start, end]) =>
      new Promise<PartResult>((resolve, reject) => {
        const job: ScanJob = { kind: 'lifeline-scan', file, start, end, matcher, source };
        const entry = workerEntry();
        // From the TypeScript sources (tests) the worker first registers the TypeScript loader.
        const worker = entry.endsWith('.ts')
          ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(entry)});`, { eval: true, workerData: job })
          : new Worker(entry, { workerData: job });
        worker.once('message', (r: PartResult) => {
          resolve(r);
          void worker.terminate();
        });
        worker.once('error', reject);
        worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`scan worker exited with ${code}`))));
      }),
  );
  // The main thread takes the first part itself instead of waiting idle.
  const first = scanRange(matcher, file, cuts[0]![0], cuts[0]![1], source);
  return mergeParts([first, ...(await Promise.all(others))], cuts.map(([start]) => start));
}

/**
 * The file the worker runs: the TypeScript entry under tests; when built, the small scan-worker
 * bundle beside the CLI (parsing the whole CLI bundle again cost a worker tens of ms), or the CLI
 * bundle itself should that file be missing.
 */
function workerEntry(): string {
  if (__filename.endsWith('.ts')) return join(__dirname, 'scan-worker.ts');
  const small = join(__dirname, 'scan-worker.js');
  return existsSync(small) ? small : __filename;
}

/** Byte ranges `[start, end)` of `parts` parts, each cut just after a line end. */
export function cutAtLineEnds(file: string, size: number, parts: number): [number, number][] {
  const fd = openSync(file, 'r');
  try {
    const cuts = [0];
    const buf = new Uint8Array(64 * 1024);
    for (let k = 1; k < parts; k++) {
      // The main thread starts scanning while the workers are still starting up, so its
      // (first) part is a little larger: MAIN_HEAD_START parts' worth of extra share.
      let pos = Math.max(cuts.at(-1)!, Math.floor((size * (k + MAIN_HEAD_START)) / (parts + MAIN_HEAD_START)));
      let cut = size;
      while (pos < size) {
        const n = readSync(fd, buf, 0, buf.length, pos);
        if (n <= 0) break;
        const lf = buf.subarray(0, n).indexOf(10);
        if (lf >= 0) {
          cut = pos + lf + 1;
          break;
        }
        pos += n;
      }
      cuts.push(cut);
    }
    cuts.push(size);
    return cuts.slice(0, -1).map((start, i) => [start, cuts[i + 1]!] as [number, number]);
  } finally {
    closeSync(fd);
  }
}

function scanRange(matcher: Matcher, file: string, start: number, end: number, source?: SymptomSource): PartResult {
  const stream = new SymptomStream(matcher, { source });
  const fd = openSync(file, 'r');
  try {
    const buf = new Uint8Array(READ_BYTES);
    for (let pos = start; pos < end; ) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, end - pos), pos);
      if (n <= 0) break;
      stream.write(buf.subarray(0, n));
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
  stream.end();
  return { matches: stream.matches, signals: stream.signals, counts: [...stream.counts], lines: stream.lineCount };
}

/** The parts' results as one stream over the whole file would have reported them. */
export function mergeParts(parts: readonly PartResult[], starts: readonly number[]): ScanResult {
  const matches: SymptomMatch[] = [];
  const signals: SignalMatch[] = [];
  const counts = new Map<number, number>();
  const kept = new Map<string, number>();
  let linesBefore = 0;
  parts.forEach((part, i) => {
    const at = starts[i]!;
    for (const m of part.matches) {
      const key = `${m.playbookId}\u0000${m.symptomIndex}`;
      const n = (kept.get(key) ?? 0) + 1;
      kept.set(key, n);
      if (n <= KEEP) matches.push({ ...m, line: m.line + linesBefore, offset: m.offset + at });
    }
    for (const s of part.signals) if (signals.length < MAX_SIGNALS) signals.push({ ...s, line: s.line + linesBefore, offset: s.offset + at });
    for (const [id, n] of part.counts) counts.set(id, (counts.get(id) ?? 0) + n);
    linesBefore += part.lines;
  });
  return { matches, signals, counts };
}
