// One test's result, whichever runner and whichever format it came from.
import { identityKey, testIdentity } from './identity';

export const RUNNERS = ['pytest', 'jest', 'vitest', 'mocha', 'go'] as const;
export type Runner = (typeof RUNNERS)[number];

export interface Location {
  /** As the report or trace wrote it: relative to the workspace, or absolute. */
  file: string;
  /** 1-based. */
  line: number;
  column?: number;
}

export interface TestResult {
  runner: Runner | 'unknown';
  /** Suite, class or package the test belongs to (`tests.test_user`, `describe` title, Go package). */
  suite: string;
  /** The test's own name (`test_create_user`, `adds numbers`, `TestAdd`). */
  name: string;
  /** Title path for runners that nest (`outer > inner > name`), else just the name. */
  fullName: string;
  status: 'passed' | 'failed' | 'error' | 'skipped';
  /** The test's definition when the report says (pytest's file/line attributes, jest's file). */
  definedAt?: Location;
  /** Where it failed: the first frame of the trace inside the workspace. */
  failedAt?: Location;
  /** The failure's one-line message. */
  message?: string;
  /** The whole trace / output (bounded). */
  details?: string;
  /** A missing module named by an import error, when that is the failure. */
  missingModule?: string;
}

/** A stable key for "the same test" across runs and sources (see identity.ts for the matching rule). */
export function testKey(t: Pick<TestResult, 'runner' | 'suite' | 'name' | 'fullName' | 'definedAt'>): string {
  return identityKey(testIdentity(t));
}
