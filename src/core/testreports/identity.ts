// Which results are "the same test", whatever reported them. Sources name one test differently:
// pytest's JUnit report by module (`tests.test_calc`), its terminal by file
// (`tests/test_calc.py::test_add`); jest-junit gives the title path but often no file. Each
// result gets one normalised identity, and two identities match when they agree on every part
// both sources know.
import type { TestResult } from './model';

export interface TestIdentity {
  runner: TestResult['runner'];
  /**
   * Where the test lives, normalised: pytest's dotted module and classes (`tests.test_calc.TestUser`),
   * a JS test file (`src/math.test.js`), a Go package; '' when the source did not say.
   */
  scope: string;
  /** The name the runner addresses it by: pytest's function (with parameters), a JS title path joined by spaces, Go's `TestX/sub`. */
  name: string;
}

export function testIdentity(t: Pick<TestResult, 'runner' | 'suite' | 'name' | 'fullName' | 'definedAt'>): TestIdentity {
  switch (t.runner) {
    case 'pytest': {
      // A collection error is reported by file alone: the terminal says `tests/test_x.py`, the
      // report `tests.test_x` with no class; both become the name, with no scope.
      if (t.name === t.suite && /\.py$/.test(t.name)) return { runner: t.runner, scope: '', name: dottedPytest(t.name) };
      return { runner: t.runner, scope: dottedPytest(t.suite), name: t.name };
    }
    case 'jest':
    case 'vitest':
    case 'mocha': {
      const file = t.definedAt?.file ?? (/\.[cm]?[jt]sx?$/.test(t.suite) ? t.suite : '');
      return { runner: t.runner, scope: normalPath(file), name: titlePath(t.fullName || t.name) };
    }
    default:
      return { runner: t.runner, scope: t.suite, name: t.name };
  }
}

/** A test identity passed through a command's arguments or a task definition, checked before use. */
export function isTestIdentity(v: unknown): v is TestIdentity {
  const t = v as Partial<Record<keyof TestIdentity, unknown>> | null;
  return typeof t === 'object' && t !== null && typeof t.runner === 'string' && typeof t.scope === 'string' && typeof t.name === 'string';
}

/** A string form of the identity, for maps and fingerprints. */
export function identityKey(id: TestIdentity): string {
  return `${id.runner}|${id.scope}|${id.name}`;
}

/**
 * The same test: same runner and name, and scopes that agree where both are known — equal, or
 * one a tail of the other at a separator (a report written from the repository root names
 * `pkg/tests/test_a`, a run inside `pkg` names `tests/test_a`).
 */
export function sameTest(a: TestIdentity, b: TestIdentity): boolean {
  if (a.runner !== b.runner || a.name !== b.name) return false;
  if (a.scope === b.scope || !a.scope || !b.scope) return true;
  const [long, short] = a.scope.length > b.scope.length ? [a.scope, b.scope] : [b.scope, a.scope];
  return long.endsWith(short) && '/.'.includes(long[long.length - short.length - 1]!);
}

/**
 * pytest's own mangling of a node id into a JUnit classname: `tests/test_calc.py::TestUser` ->
 * `tests.test_calc.TestUser`. A classname is already dotted and passes through.
 */
export function dottedPytest(nodeIdOrClassname: string): string {
  const [path = '', ...rest] = nodeIdOrClassname.split('::');
  const module = normalPath(path)
    .replace(/\/+$/, '')
    .replace(/\.py$/, '')
    .replace(/\//g, '.');
  return [module, ...rest].filter(Boolean).join('.');
}

/** Forward slashes, no leading `./`. */
export function normalPath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '').replace(/\/{2,}/g, '/');
}

/** vitest joins titles with ` > `, jest and mocha with spaces; `-t` matches the space-joined form. */
function titlePath(s: string): string {
  return s.split(' > ').join(' ').replace(/\s+/g, ' ').trim();
}
