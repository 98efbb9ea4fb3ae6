// Lines that say "this run failed" without saying why: a traceback header, a non-zero exit, a
// build tool's failure banner, a test runner's FAIL summary. They name no scenario; they let the
// classifier tell "nothing went wrong" from "something failed that no playbook knows" (and give
// the seed-004 failure type for the latter). Compiled into every matcher beside the symptoms.
import type { FailureType } from '../playbooks/model';

export interface FailureSignal {
  pattern: string;
  unless?: string;
  caseSensitive?: boolean;
  type: FailureType;
}

// Only what a passing run, a warning or a retry that succeeded never prints: every pattern is the
// tool's own failure wording, mostly at the start of a line and case-sensitive.
export const FAILURE_SIGNALS: readonly FailureSignal[] = [
  { pattern: '^Traceback \\(most recent call last\\):', caseSensitive: true, type: 'error' },
  { pattern: '^(?:Uncaught |Unhandled )?[\\w.:$]*(?:Error|Exception)(?::\\s|$)', caseSensitive: true, type: 'error' },
  { pattern: '^Exception in thread "', caseSensitive: true, type: 'error' },
  { pattern: '^panic: ', caseSensitive: true, type: 'error' },
  { pattern: '^(?:error|fatal)(?:\\[E\\d+\\])?: ', caseSensitive: true, type: 'error' },
  { pattern: '^\\S+:\\d+(?::\\d+)?: (?:fatal )?error: ', caseSensitive: true, type: 'error' },
  { pattern: '^make(?:\\[\\d+\\])?: \\*\\*\\* .*\\bError \\d+', caseSensitive: true, type: 'error' },
  { pattern: '^npm (?:ERR!|error) ', caseSensitive: true, type: 'error' },
  { pattern: '^(?:\\[ERROR\\] )?BUILD FAILURE\\b|^BUILD FAILED\\b|^FAILURE: Build failed\\b', caseSensitive: true, type: 'error' },
  { pattern: '^##\\[error\\]', caseSensitive: true, type: 'error' },
  { pattern: '\\b(?:exit(?:ed)? (?:with )?(?:code|status)|returned non-zero exit status)[: ]+[1-9]\\d*\\b', type: 'error' },
  { pattern: '\\bCommand failed with exit code [1-9]', type: 'error' },
  { pattern: '^(?:FAIL|FAILED|--- FAIL:?)(?:\\s|$)', caseSensitive: true, type: 'test_failure' },
  { pattern: '\\b[1-9]\\d* (?:failed|failing|failures?)\\b', unless: '\\b0 (?:failed|failing|failures?)\\b', type: 'test_failure' },
];
