// Classification as the editor's watchers use it, over src/core/matching and the seed-004
// classifier (./classifier.ts): name the failure in output given whole or streamed in chunks,
// fingerprint it, and say whether a command line is one a playbook forbids. The matcher is
// compiled once per set of playbooks, at first use.
import type { FailureType, Playbook, SymptomSource } from '../playbooks/model';
import { compileMatcher } from '../matching/matcher';
import { compileForbidden, forbiddenHits } from '../playbooks/forbidden';
import { SymptomStream } from '../matching/stream';
import { classifyStream } from './classifier';
import { fingerprint } from './repeats';
import type { Evidence } from '../decisions/state';

export type OutputSource = Exclude<SymptomSource, 'workspace'>;

export interface Classification {
  kind: 'known';
  scenario: string;
  title: string;
  /** 0..1 */
  confidence: number;
  evidence: Evidence[];
  /** Same failure, same fingerprint (volatile numbers, paths, hashes and times masked). */
  fingerprint: string;
}

/**
 * Output that clearly failed (a traceback, a FAIL summary, a non-zero exit) where no playbook
 * matched: not silence, but the failure type and the triage guide (see the core classifier).
 */
export interface UnrecognisedFailure {
  kind: 'unrecognised';
  /** Seed 004's failure type: `test_failure` for a test runner's summary, else `error`. */
  failureType: FailureType;
  /** The generic failure lines that showed it (empty when only the exit code did). */
  evidence: Evidence[];
  /** The guide to offer: the triage playbook, when it is loaded. */
  guide: string | undefined;
}

export type Outcome = Classification | UnrecognisedFailure;

export interface OutputStream {
  /** Feeds a chunk (any size, any boundary). */
  write(chunk: string | Uint8Array): void;
  /**
   * Ends the stream and names the failure, if one matched; else says whether the output failed
   * anyway (`exitCode`: the command's, when known); undefined when nothing went wrong.
   */
  end(exitCode?: number): Outcome | undefined;
  /** Characters held while waiting for a line end (bounded by the engine). */
  readonly buffered: number;
}

export interface ForbiddenHit {
  scenario: string;
  title: string;
  reason: string;
}

export interface FailureClassifier {
  classify(text: string, source: OutputSource, exitCode?: number): Outcome | undefined;
  stream(source: OutputSource): OutputStream;
  forbidden(commandLine: string): ForbiddenHit[];
}

export function engineClassifier(playbooks: readonly Playbook[]): FailureClassifier {
  const matcher = compileMatcher(playbooks);
  const rules = compileForbidden(playbooks);
  const titles = new Map(playbooks.map((p) => [p.id, p.title]));

  const stream = (source: OutputSource): OutputStream => {
    const s = new SymptomStream(matcher, { source });
    return {
      write: (chunk) => s.write(chunk),
      end: (exitCode) => {
        s.end();
        const c = classifyStream(playbooks, s, { exitCode });
        const evidence = c.evidence.map((e) => ({ text: e.text.trim(), line: e.line, source }));
        if (!c.scenario) {
          if (!c.failed) return undefined;
          return { kind: 'unrecognised', failureType: c.failure_type ?? 'error', evidence, guide: c.guide ?? undefined };
        }
        return {
          kind: 'known',
          scenario: c.scenario,
          title: c.title ?? titles.get(c.scenario) ?? c.scenario,
          confidence: c.confidence,
          evidence,
          fingerprint: fingerprint(c.scenario, evidence[0]?.text ?? ''),
        };
      },
      get buffered() {
        return s.bufferedLength;
      },
    };
  };

  return {
    stream,
    classify(text, source, exitCode) {
      const s = stream(source);
      s.write(text);
      return s.end(exitCode);
    },
    forbidden(commandLine) {
      const hits: ForbiddenHit[] = forbiddenHits(rules, commandLine).map((r) => ({ scenario: r.playbookId, title: r.title, reason: r.reason }));
      // One warning per reason, even when several playbooks forbid the same thing.
      return hits.filter((h, i) => hits.findIndex((o) => o.reason === h.reason) === i);
    },
  };
}
