// The command that re-runs just one test, per runner, as argv (never a shell string): the
// editor runs it through a `lifeline` task, which spawns it without a shell.
import type { Runner, TestResult } from './model';
import { commandPrefix } from './selection';
import { joinCommandLine } from '../shell/command-line';
import { escapeRegex } from '../text/strings';

export interface Rerun {
  runner: Runner;
  argv: string[];
  /** For people: the argv shown as one line. */
  display: string;
}

const DEFAULT_PREFIX: Record<Runner, string[]> = {
  pytest: ['python', '-m', 'pytest'],
  jest: ['npx', 'jest'],
  vitest: ['npx', 'vitest', 'run'],
  mocha: ['npx', 'mocha'],
  go: ['go', 'test'],
};

/**
 * `from`: the command line (as argv) the failure came from; its program prefix is reused
 * (`uv run pytest`, `python3 -m pytest`, `poetry run pytest`), so the re-run works where a bare
 * `python` or `npx` does not. Without one, or when it does not name the runner, the defaults.
 */
export function rerunCommand(t: TestResult, from?: { argv: readonly string[] }): Rerun | undefined {
  if (t.runner === 'unknown') return undefined;
  const prefix = (from && commandPrefix(t.runner, from.argv)) ?? DEFAULT_PREFIX[t.runner];
  const rawFile = t.definedAt?.file ?? t.failedAt?.file;
  const file = rawFile === undefined ? undefined : fileArg(rawFile);
  let args: string[];
  switch (t.runner) {
    case 'pytest': {
      // The node id: file::Class::test (pytest's own addressing), else -k on the name.
      const nodeId = t.fullName.includes('::') ? t.fullName : file ? [file, ...classPart(t.suite), t.name].join('::') : undefined;
      if (nodeId) args = [fileArg(nodeId)];
      else if (/^\w+$/.test(t.name)) args = ['-k', t.name];
      else return undefined;
      break;
    }
    case 'jest':
      args = [...(file ? [file] : []), '-t', `^${escapeRegex(t.fullName)}$`];
      break;
    case 'vitest':
      args = [...(file ? [file] : []), '-t', `^${escapeRegex(t.fullName.split(' > ').join(' '))}$`];
      break;
    case 'mocha':
      args = [...(file ? [file] : []), '--grep', `^${escapeRegex(t.fullName)}$`];
      break;
    case 'go': {
      const pkg = t.suite ? goPackage(t.suite) : './...';
      // Subtests are addressed level by level: TestA/sub_case -> ^TestA$/^sub_case$.
      const run = t.name.split('/').map((p) => `^${escapeRegex(p)}$`).join('/');
      args = [pkg, '-run', run, '-count=1'];
      break;
    }
  }
  const argv = [...prefix, ...args];
  // Names and paths come from files a test run wrote: a line break or NUL has no place in argv.
  if (argv.some((a) => /[\0\r\n]/.test(a))) return undefined;
  // Displayed as the Lifeline task will print it (one quoting, read back by the output watch).
  return { runner: t.runner, argv, display: joinCommandLine(argv) };
}

/** A path from a report must not read as an option (`-rf.py`): `./-rf.py` names the same file. */
function fileArg(f: string): string {
  return f.startsWith('-') ? `./${f}` : f;
}

/** pytest suites read `file::Class` (terminal) or `pkg.module.Class` (JUnit); keep the class part. */
function classPart(suite: string): string[] {
  if (suite.includes('::')) return suite.split('::').slice(1);
  const last = suite.split('.').at(-1) ?? '';
  return /^[A-Z]/.test(last) ? [last] : [];
}

/** go-junit-report names suites by import path; `go test` takes it as is. */
function goPackage(suite: string): string {
  return /^[\w.][\w.-]*(?:\/[\w.-]+)*$/.test(suite) ? suite : './...';
}


