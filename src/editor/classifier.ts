// What the editor asks of classification: name the failure in a piece of output (all at once
// or streamed in chunks), fingerprint it, and say whether a command line is one a playbook
// forbids. The streaming engine and the classifier live in src/core (feat/classifier); until
// they land, `symptomScan` below matches the playbooks' text symptoms line by line — simple,
// correct, and slower on huge output — behind the same interface.
import type { Playbook, TextSymptom } from '../core/playbooks/model';
import { isTextSymptom } from '../core/playbooks/model';
import type { Evidence } from '../core/decisions/state';

export type OutputSource = 'terminal' | 'test-output' | 'log';

export interface Classification {
  scenario: string;
  /** 0..1 */
  confidence: number;
  evidence: Evidence[];
  /** Same failure, same fingerprint (volatile numbers, hashes and times removed). */
  fingerprint: string;
}

export interface OutputStream {
  /** Feeds a chunk (any size, any boundary). */
  write(chunk: string): void;
  /** Ends the stream and names the failure, if one matched. */
  end(): Classification | undefined;
}

export interface ForbiddenHit {
  scenario: string;
  pattern: string;
  reason: string;
}

export interface FailureClassifier {
  classify(text: string, source: OutputSource): Classification | undefined;
  stream(source: OutputSource): OutputStream;
  forbidden(commandLine: string): ForbiddenHit[];
}

/** Removes what changes between two sightings of the same failure. */
export function fingerprintOf(scenario: string, line: string): string {
  const core = line
    .replace(/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?Z?\b/g, '<time>')
    .replace(/\b[0-9a-f]{7,64}\b/gi, '<hash>')
    .replace(/\d+(?:\.\d+)?/g, '#')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
  return `${scenario}|${core}`;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

/** Output as a person saw it: escape sequences gone, `\r` redraws reduced to their last state. */
export function cleanLine(raw: string): string {
  const noAnsi = raw.replace(ANSI, '');
  const parts = noAnsi.split('\r');
  // eslint-disable-next-line no-control-regex
  return (parts.at(-1) === '' && parts.length > 1 ? parts.at(-2)! : parts.at(-1)!).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

interface Compiled {
  playbook: Playbook;
  symptoms: { re: RegExp; unless?: RegExp; weight: number; sources?: readonly string[] }[];
  forbidden: { re: RegExp; pattern: string; reason: string }[];
}

const MAX_LINE = 64 * 1024;
const MAX_EVIDENCE = 5;

/** Interim classifier over the playbooks' own symptoms (see the file comment). */
export function symptomScan(playbooks: readonly Playbook[]): FailureClassifier {
  const compiled: Compiled[] = playbooks.map((playbook) => ({
    playbook,
    symptoms: playbook.symptoms.filter(isTextSymptom).map((s: TextSymptom) => {
      const flags = s.caseSensitive ? 'u' : 'iu';
      return { re: new RegExp(s.pattern, flags), ...(s.unless ? { unless: new RegExp(s.unless, flags) } : {}), weight: s.weight, ...(s.sources ? { sources: s.sources } : {}) };
    }),
    forbidden: playbook.forbidden.map((f) => ({ re: new RegExp(f.pattern, 'iu'), pattern: f.pattern, reason: f.reason })),
  }));

  const stream = (source: OutputSource): OutputStream => {
    const hits = new Map<Compiled, { matched: Set<number>; evidence: Evidence[] }>();
    let partial = '';
    let lineNo = 0;
    const line = (raw: string) => {
      lineNo++;
      const text = cleanLine(raw).slice(0, MAX_LINE);
      if (!text.trim()) return;
      for (const c of compiled) {
        c.symptoms.forEach((s, i) => {
          if (s.sources && !s.sources.includes(source)) return;
          if (!s.re.test(text) || s.unless?.test(text)) return;
          let h = hits.get(c);
          if (!h) hits.set(c, (h = { matched: new Set(), evidence: [] }));
          h.matched.add(i);
          if (h.evidence.length < MAX_EVIDENCE && !h.evidence.some((e) => e.text === text.trim())) h.evidence.push({ text: text.trim().slice(0, 4_000), line: lineNo, source });
        });
      }
    };
    return {
      write(chunk) {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        // Bounded memory: a line without a newline is matched in pieces rather than kept whole.
        if (partial.length > MAX_LINE) {
          line(partial);
          partial = '';
        }
        for (const l of lines) line(l);
      },
      end() {
        if (partial) line(partial);
        partial = '';
        let best: { c: Compiled; score: number; evidence: Evidence[] } | undefined;
        for (const [c, h] of hits) {
          const score = [...h.matched].reduce((sum, i) => sum + c.symptoms[i]!.weight, 0);
          if (!best || score > best.score) best = { c, score, evidence: h.evidence };
        }
        if (!best) return undefined;
        const first = best.evidence[0]?.text ?? '';
        return { scenario: best.c.playbook.id, confidence: Math.min(1, best.score / 100), evidence: best.evidence, fingerprint: fingerprintOf(best.c.playbook.id, first) };
      },
    };
  };

  return {
    stream,
    classify(text, source) {
      const s = stream(source);
      s.write(text);
      return s.end();
    },
    forbidden(commandLine) {
      const out: ForbiddenHit[] = [];
      for (const c of compiled) for (const f of c.forbidden) if (f.re.test(commandLine)) out.push({ scenario: c.playbook.id, pattern: f.pattern, reason: f.reason });
      return out;
    },
  };
}
