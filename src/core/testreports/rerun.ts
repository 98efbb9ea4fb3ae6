// The command that re-runs just one test, per runner, as argv (never a shell string): the
// editor runs it through a `lifeline` task, which spawns it without a shell.
import type { Runner, TestResult } from './model';

export interface Rerun {
  runner: Runner;
  argv: string[];
  /** For people: the argv shown as one line. */
  display: string;
}

export function rerunCommand(t: TestResult): Rerun | undefined {
  const file = t.definedAt?.file ?? t.failedAt?.file;
  let argv: string[] | undefined;
  switch (t.runner) {
    case 'pytest': {
      // The node id: file::Class::test (pytest's own addressing), else -k on the name.
      const nodeId = t.fullName.includes('::') ? t.fullName : file ? [file, ...classPart(t.suite), t.name].join('::') : undefined;
      argv = nodeId ? ['python', '-m', 'pytest', nodeId] : ['python', '-m', 'pytest', '-k', t.name];
      break;
    }
    case 'jest':
      argv = ['npx', 'jest', ...(file ? [file] : []), '-t', `^${escapeRegex(t.fullName)}$`];
      break;
    case 'vitest':
      argv = ['npx', 'vitest', 'run', ...(file ? [file] : []), '-t', `^${escapeRegex(t.fullName.split(' > ').join(' '))}$`];
      break;
    case 'mocha':
      argv = ['npx', 'mocha', ...(file ? [file] : []), '--grep', `^${escapeRegex(t.fullName)}$`];
      break;
    case 'go': {
      const pkg = t.suite ? goPackage(t.suite) : './...';
      // Subtests are addressed level by level: TestA/sub_case -> ^TestA$/^sub_case$.
      const run = t.name.split('/').map((p) => `^${escapeRegex(p)}$`).join('/');
      argv = ['go', 'test', pkg, '-run', run, '-count=1'];
      break;
    }
    default:
      return undefined;
  }
  return { runner: t.runner, argv, display: argv.map(showArg).join(' ') };
}

/** pytest suites read `file::Class` (terminal) or `pkg.module.Class` (JUnit); keep the class part. */
function classPart(suite: string): string[] {
  if (suite.includes('::')) return suite.split('::').slice(1);
  const last = suite.split('.').at(-1) ?? '';
  return /^[A-Z]/.test(last) ? [last] : [];
}

/** go-junit-report names suites by import path; `go test` takes it as is. */
function goPackage(suite: string): string {
  return /^[\w.-]+(?:\/[\w.-]+)*$/.test(suite) ? suite : './...';
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function showArg(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}
