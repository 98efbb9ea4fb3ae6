// Reads a test command line (as argv) for two things: which tests it selected, so a run that
// passed clears only the failures of tests it actually ran; and its program prefix (`uv run
// pytest`, `python3 -m pytest`, `npx vitest run`), which a re-run of one test reuses.
// Conservative by design: an option that narrows the run in a way not read here means no test
// may be assumed to have run — a stale squiggle is cheaper than a hidden failure.
import type { Runner } from './model';
import { dottedPytest, normalPath, sameTest } from './identity';
import type { TestIdentity } from './identity';
import type { TerminalParse } from './terminal';

/** A test-name filter: the exact (space-joined) name, or a literal part of it. */
export type NameFilter = { exact: string } | { contains: string; ignoreCase: boolean };

export interface Selection {
  /** Nothing narrowed the run: the whole suite (as the runner's configuration defines it) ran. */
  all: boolean;
  /** Files, directories or node ids the command named; for Go, the packages the output reported `ok`. */
  paths: string[];
  names?: NameFilter;
  /** Narrowed in a way not understood: no test may be assumed to have run. */
  unknown: boolean;
}

interface RunnerOptions {
  /** Options that take a value (the next word, or after `=`). */
  value: string[];
  /** Options that narrow the run in ways not read here (markers, shards, changed files...). */
  narrowing: string[];
  /**
   * Options known not to change which tests run (output, workers, timeouts, coverage). Any other
   * option the command has (a config file, a root, build tags...) makes what ran unknown.
   */
  harmless: string[];
  /** Options whose value filters test names, and how it matches. */
  names: Record<string, 'regex' | 'literal' | 'keyword' | 'go'>;
  /** Options whose value is a path selector. */
  paths: string[];
  /** Options a re-run keeps: they say how to load tests (config, plugins, build tags), not which. */
  keep: string[];
}

const OPTIONS: Record<Runner, RunnerOptions> = {
  pytest: {
    value: ['-k', '-m', '-c', '--config-file', '-p', '-o', '--override-ini', '--rootdir', '--junitxml', '--junit-xml', '-W', '--pythonwarnings', '--tb', '-n', '--numprocesses', '--maxfail', '--durations', '--cov', '--cov-report', '--cov-config', '--basetemp', '--confcutdir', '--color', '--capture', '--log-level', '--log-cli-level', '--import-mode', '--dist', '--timeout', '--deselect', '--ignore', '--ignore-glob', '-r', '--reruns'],
    narrowing: ['-m', '--deselect', '--ignore', '--ignore-glob', '--lf', '--last-failed', '--sw', '--stepwise', '--sw-skip', '--co', '--collect-only'],
    harmless: ['-v', '-vv', '-vvv', '--verbose', '-q', '-qq', '--quiet', '-x', '--exitfirst', '-s', '-l', '--showlocals', '-r', '--tb', '-n', '--numprocesses', '--dist', '--maxfail', '--durations', '--cov', '--cov-report', '--cov-config', '--no-cov', '--junitxml', '--junit-xml', '-W', '--pythonwarnings', '--disable-warnings', '--color', '--capture', '--log-level', '--log-cli-level', '--timeout', '--reruns', '--no-header', '--no-summary', '--basetemp', '--full-trace', '--strict-markers', '--benchmark-skip'],
    names: { '-k': 'keyword' },
    paths: [],
    keep: ['-c', '--config-file', '--rootdir', '-p'],
  },
  jest: {
    value: ['-t', '--testNamePattern', '-c', '--config', '--rootDir', '-w', '--maxWorkers', '--reporters', '--coverageReporters', '--shard', '--selectProjects', '--projects', '--changedSince', '--testPathPattern', '--testPathPatterns', '--testPathIgnorePatterns', '--testTimeout', '--outputFile', '--testEnvironment', '--env', '--coverageDirectory', '--collectCoverageFrom', '--seed'],
    narrowing: ['--shard', '--selectProjects', '--projects', '--changedSince', '-o', '--onlyChanged', '--lastCommit', '--findRelatedTests', '--testPathIgnorePatterns', '-f', '--onlyFailures', '--listTests', '--watch'],
    harmless: ['--verbose', '--silent', '--ci', '--colors', '--no-colors', '--coverage', '--coverageReporters', '--coverageDirectory', '--collectCoverageFrom', '-w', '--maxWorkers', '-i', '--runInBand', '--reporters', '--testTimeout', '--outputFile', '--json', '--detectOpenHandles', '--forceExit', '--bail', '--passWithNoTests', '--no-cache', '--seed', '--randomize', '--testEnvironment', '--env', '--useStderr', '--logHeapUsage'],
    names: { '-t': 'regex', '--testNamePattern': 'regex' },
    paths: ['--testPathPattern', '--testPathPatterns'],
    keep: ['-c', '--config', '--rootDir'],
  },
  vitest: {
    value: ['-t', '--testNamePattern', '-c', '--config', '-r', '--root', '--dir', '--project', '--reporter', '--pool', '--shard', '--exclude', '--environment', '--outputFile', '--testTimeout'],
    narrowing: ['--project', '--shard', '--changed', '--exclude', '--related'],
    harmless: ['--reporter', '--pool', '--coverage', '--coverage.enabled', '--silent', '--outputFile', '--testTimeout', '--no-color', '--color', '--run', '--bail', '--passWithNoTests', '--environment', '--globals', '--no-watch', '--allowOnly', '--sequence.shuffle'],
    names: { '-t': 'regex', '--testNamePattern': 'regex' },
    paths: [],
    keep: ['-c', '--config', '-r', '--root', '--dir'],
  },
  mocha: {
    value: ['-g', '--grep', '-f', '--fgrep', '-r', '--require', '--config', '-u', '--ui', '--extension', '-R', '--reporter', '-O', '--reporter-option', '--reporter-options', '-t', '--timeout', '--spec', '--ignore', '--exclude', '-n', '--node-option', '-j', '--jobs', '--slow', '-s', '--file', '--package', '--retries'],
    narrowing: ['-i', '--invert', '--ignore', '--exclude'],
    harmless: ['-R', '--reporter', '-O', '--reporter-option', '--reporter-options', '-t', '--timeout', '--slow', '-s', '--retries', '-b', '--bail', '--exit', '--color', '--colors', '--no-color', '--no-colors', '-r', '--require', '-u', '--ui', '-n', '--node-option', '-j', '--jobs', '-p', '--parallel', '--recursive', '--full-trace', '--check-leaks', '--forbid-only', '--inline-diffs'],
    names: { '-g': 'regex', '--grep': 'regex', '-f': 'literal', '--fgrep': 'literal' },
    paths: ['--spec'],
    keep: ['-r', '--require', '--config', '-u', '--ui', '--extension', '-n', '--node-option', '--package'],
  },
  go: {
    value: ['-run', '-skip', '-tags', '-count', '-timeout', '-p', '-parallel', '-cpu', '-coverprofile', '-covermode', '-coverpkg', '-o', '-exec', '-bench', '-benchtime', '-shuffle', '-vet', '-mod', '-modfile', '-ldflags', '-gcflags', '-list'],
    narrowing: ['-skip', '-list', '-short'],
    harmless: ['-v', '-count', '-timeout', '-p', '-parallel', '-cpu', '-cover', '-coverprofile', '-covermode', '-coverpkg', '-race', '-failfast', '-json', '-shuffle', '-vet', '-mod', '-modfile', '-ldflags', '-gcflags', '-x', '-bench', '-benchtime', '-benchmem'],
    names: { '-run': 'go' },
    paths: [],
    keep: ['-tags', '-race', '-short', '-mod'],
  },
};

type Arg = { opt: string; value?: string; raw: string[] } | { positional: string };

/** Where the runner's own word is (`pytest` in `uv run pytest`, `test` in `go test`), if the command names it. */
function runnerIndex(runner: Runner, argv: readonly string[]): number | undefined {
  for (let i = 0; i < argv.length; i++) {
    const b = base(argv[i]!);
    switch (runner) {
      case 'pytest':
        if (b === 'pytest' || b === 'py.test') return i;
        if (argv[i] === '-m' && argv[i + 1] === 'pytest') return i + 1;
        break;
      case 'jest':
        if (b === 'jest' || b === 'jest.js') return i;
        break;
      case 'vitest':
        if (b === 'vitest' || b === 'vitest.mjs') return i;
        break;
      case 'mocha':
        if (b === 'mocha' || b === '_mocha') return i;
        break;
      case 'go':
        if (/^go(?:\d[\d.]*)?$/.test(b) && argv[i + 1] === 'test') return i + 1;
        break;
    }
  }
  return undefined;
}

/** The runner's arguments after its own word (and vitest's subcommand), read as options and positionals. */
function scan(runner: Runner, argv: readonly string[], from: number): Arg[] {
  const o = OPTIONS[runner];
  const out: Arg[] = [];
  for (let i = from; i < argv.length; i++) {
    const raw = argv[i]!;
    if (runner === 'go' && (raw === '-args' || raw === '--args')) break;
    if (raw === '--') {
      for (const p of argv.slice(i + 1)) out.push({ positional: p });
      break;
    }
    if (!raw.startsWith('-') || raw === '-') {
      out.push({ positional: raw });
      continue;
    }
    // Go takes -flag and --flag alike.
    const a = runner === 'go' ? raw.replace(/^--/, '-') : raw;
    const eq = a.indexOf('=');
    if (eq > 0 && (a.startsWith('--') || runner === 'go')) {
      out.push({ opt: a.slice(0, eq), value: a.slice(eq + 1), raw: [raw] });
    } else if (o.value.includes(a)) {
      const value = argv[i + 1];
      out.push({ opt: a, ...(value !== undefined ? { value } : {}), raw: value !== undefined ? [raw, value] : [raw] });
      i++;
    } else if (runner !== 'go' && !a.startsWith('--') && a.length > 2 && o.value.includes(a.slice(0, 2))) {
      // A short option with its value attached: `-kadd`, `-rA`.
      out.push({ opt: a.slice(0, 2), value: a.slice(2), raw: [raw] });
    } else {
      out.push({ opt: a, raw: [raw] });
    }
  }
  return out;
}

/** Where the runner's arguments start, or 'unknown' for a vitest subcommand that is not a plain run. */
function argsStart(runner: Runner, argv: readonly string[], at: number): number | 'unknown' {
  if (runner !== 'vitest') return at + 1;
  const sub = argv[at + 1];
  if (sub === 'run' || sub === 'watch' || sub === 'dev') return at + 2;
  if (sub === 'related' || sub === 'bench' || sub === 'list' || sub === 'typecheck') return 'unknown';
  return at + 1;
}

/**
 * What a test command selected. `argv` undefined means the line could not be read (it needed a
 * shell); `ran` is what the output says ran — for Go, the packages reported `ok`.
 */
export function commandSelection(runner: Runner, argv: readonly string[] | undefined, ran: readonly string[] = []): Selection {
  const unknown: Selection = { all: false, paths: [], unknown: true };
  if (!argv) return unknown;
  const at = runnerIndex(runner, argv);
  if (at === undefined) {
    // `npm test`, `make test`: the project's own test script, so the whole suite. A script with
    // any other name or arguments may run a part of it; not read.
    if (!wholeSuiteScript(argv)) return unknown;
    return runner === 'go' ? { all: false, paths: [...ran], unknown: false } : { all: true, paths: [], unknown: false };
  }
  const start = argsStart(runner, argv, at);
  if (start === 'unknown') return unknown;
  const o = OPTIONS[runner];
  const paths: string[] = [];
  let names: NameFilter | undefined;
  for (const a of scan(runner, argv, start)) {
    if ('positional' in a) {
      paths.push(a.positional);
      continue;
    }
    if (o.narrowing.includes(a.opt)) return unknown;
    const kind = o.names[a.opt];
    if (!kind && !o.paths.includes(a.opt) && !o.harmless.includes(a.opt)) return unknown;
    if (kind) {
      const f = a.value === undefined ? undefined : nameFilter(kind, a.value);
      // Two name filters, or one not understood: what ran is not known.
      if (!f || names) return unknown;
      names = f;
    }
    if (o.paths.includes(a.opt) && a.value !== undefined) paths.push(a.value);
  }
  // Go prints every package it tested; that says more than the command's package patterns.
  if (runner === 'go') return { all: false, paths: [...ran], ...(names ? { names } : {}), unknown: false };
  return { all: paths.length === 0, paths, ...(names ? { names } : {}), unknown: false };
}

/** What a terminal run that passed as a whole says about earlier failures. */
export interface GreenRun {
  /** The earlier failures it clears: those its command selected, and the one test a quick fix re-ran. */
  covers(id: TestIdentity): boolean;
  /** It ran the whole suite, unfiltered: every failure of its runner is gone, placed in a file or not. */
  wholeSuite: boolean;
}

/**
 * Reads a finished terminal run that passed as a whole; undefined when it did not pass. A
 * quick fix says which test it re-ran, so a re-run clears that test even where its command line
 * cannot be read back.
 */
export function greenRun(parsed: TerminalParse, argv: readonly string[] | undefined, rerunOf?: TestIdentity): GreenRun | undefined {
  if (!parsed.allPassed || !parsed.runner) return undefined;
  const sel = commandSelection(parsed.runner, argv, parsed.packages);
  return {
    covers: (id) => selects(sel, id) || (rerunOf !== undefined && sameTest(id, rerunOf)),
    wholeSuite: sel.all && !sel.unknown && !sel.names,
  };
}

/** Whether the selection covers the test: it ran in that command. */
export function selects(sel: Selection, id: TestIdentity): boolean {
  if (sel.unknown || id.runner === 'unknown') return false;
  if (!sel.all && !sel.paths.some((p) => pathCovers(id, p))) return false;
  return !sel.names || nameMatches(id, sel.names);
}

function pathCovers(id: TestIdentity, p: string): boolean {
  const path = normalPath(p).replace(/\/+$/, '');
  if (id.runner !== 'go' && (path === '' || path === '.')) return true;
  switch (id.runner) {
    case 'pytest': {
      // Compared the way pytest names tests in its reports: dotted module, classes, function.
      if (isAbsolute(path) || path.startsWith('..')) return false;
      const sel = dottedPytest(path);
      const full = [id.scope, id.name].filter(Boolean).join('.');
      return full === sel || full.startsWith(`${sel}.`) || full.startsWith(`${sel}[`);
    }
    case 'jest':
    case 'vitest':
      // Both take a positional as a pattern found anywhere in the test file's path; only a
      // literal one (no regex syntax) is read.
      return Boolean(id.scope) && !/[\\^$*+?()[\]{}|]/.test(path) && id.scope.includes(path);
    case 'mocha':
      return Boolean(id.scope) && (id.scope === path || id.scope.startsWith(`${path}/`) || id.scope.endsWith(`/${path}`));
    case 'go':
      return Boolean(id.scope) && id.scope === path;
    default:
      return false;
  }
}

function nameMatches(id: TestIdentity, f: NameFilter): boolean {
  if (id.runner === 'go') {
    // -run selects top-level tests; their subtests run with them.
    if ('exact' in f) return id.name === f.exact || id.name.startsWith(`${f.exact}/`);
    return (id.name.split('/')[0] ?? '').includes(f.contains);
  }
  if ('exact' in f) return id.name === f.exact;
  // pytest -k matches any part of the test's dotted id, case-insensitively.
  const hay = id.runner === 'pytest' ? [id.scope, id.name].filter(Boolean).join('.') : id.name;
  return f.ignoreCase ? hay.toLowerCase().includes(f.contains.toLowerCase()) : hay.includes(f.contains);
}

/** A name filter read literally: `^escaped$` is exact, plain text a part; anything else is not read. */
function nameFilter(kind: RunnerOptions['names'][string], value: string): NameFilter | undefined {
  switch (kind) {
    case 'literal':
      return value ? { contains: value, ignoreCase: false } : undefined;
    case 'keyword':
      // `-k add` only; expressions (`not slow`, `a or b`) are not read.
      return /^\w+$/.test(value) ? { contains: value, ignoreCase: true } : undefined;
    case 'regex': {
      const exact = /^\^(.*)\$$/s.exec(value);
      if (exact) {
        const text = unescapeRegex(exact[1]!);
        return text === undefined ? undefined : { exact: text.replace(/\s+/g, ' ').trim() };
      }
      return value && !/[\\^$.*+?()[\]{}|]/.test(value) ? { contains: value, ignoreCase: false } : undefined;
    }
    case 'go': {
      // Levels split by `/`, each `^Name$` (as a re-run writes it), or one plain word.
      const levels = value.split('/');
      const exact = levels.map((l) => /^\^(.*)\$$/.exec(l)?.[1]).map((l) => (l === undefined ? undefined : unescapeRegex(l)));
      if (exact.every((l): l is string => Boolean(l))) return { exact: exact.join('/') };
      return /^\w+$/.test(value) ? { contains: value, ignoreCase: false } : undefined;
    }
  }
}

/** The literal text of a regex made only of plain and escaped characters, else undefined. */
function unescapeRegex(s: string): string | undefined {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      const n = s[i + 1];
      if (n === undefined || /\w/.test(n)) return undefined; // \d, \b...: a class, not a character
      out += n;
      i++;
      continue;
    }
    if ('^$.*+?()[]{}|'.includes(c)) return undefined;
    out += c;
  }
  return out;
}

function wholeSuiteScript(argv: readonly string[]): boolean {
  const [program = '', ...rest] = argv.map((a, i) => (i === 0 ? base(a) : a));
  if (['npm', 'pnpm', 'yarn', 'bun'].includes(program)) return (rest.length === 1 && rest[0] === 'test') || (rest.length === 2 && rest[0] === 'run' && rest[1] === 'test');
  if (['make', 'just', 'task'].includes(program)) return rest.length === 1 && rest[0] === 'test';
  return (program === 'tox' || program === 'nox') && rest.length === 0;
}

/** Words that may come before the runner in a prefix a re-run reuses (`uv run`, `python3 -m`, `npx`). */
const LAUNCHER = /^(?:python[\d.]*|py|uv|uvx|poetry|pipenv|pdm|hatch|rye|npx|pnpm|pnpx|yarn|bun|bunx|node|nodejs|go(?:\d[\d.]*)?)$/;
const LAUNCHER_WORDS = new Set(['run', 'exec', 'x', 'dlx', '-m', '--']);

/**
 * The command's program up to the runner (`uv run pytest`, `python3 -m pytest`, `npx vitest
 * run`, `go test`) plus the options that say how tests load; its test selectors are dropped.
 * Undefined when the command does not name the runner or starts with shell-only syntax.
 */
export function commandPrefix(runner: Runner, argv: readonly string[]): string[] | undefined {
  const at = runnerIndex(runner, argv);
  if (at === undefined) return undefined;
  const head = argv.slice(0, at + 1);
  // Only known launchers before the runner (`uv run`, `python3 -m`, `npx`, `poetry run`): not a
  // wrapper such as `sudo -u x` or `docker exec`, and not `FOO=1` (a shell's variable, which
  // spawned without a shell would be taken for the program).
  if (!head.slice(0, -1).every((w) => LAUNCHER.test(base(w)) || LAUNCHER_WORDS.has(w))) return undefined;
  const start = argsStart(runner, argv, at);
  if (start === 'unknown') return undefined;
  const keep = OPTIONS[runner].keep;
  const kept: string[] = [];
  for (const a of scan(runner, argv, start)) {
    if ('positional' in a || !keep.includes(a.opt)) continue;
    if (a.value !== undefined && a.raw.length === 2 && a.value.startsWith('-')) continue;
    kept.push(...a.raw);
  }
  return [...head, ...(runner === 'vitest' ? ['run'] : []), ...kept];
}

function base(word: string): string {
  return (word.split(/[\\/]/).pop() ?? '').toLowerCase().replace(/\.(?:exe|cmd)$/, '');
}

function isAbsolute(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:\//.test(p);
}
