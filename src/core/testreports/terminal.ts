// Recognises test failures (and, where the runner prints them, passes) in the terminal output
// of pytest, jest, vitest, mocha and go test: each failing test with its message, its trace and
// where it failed. Works on the text a person saw (colours and progress redraws removed).
import type { Runner, TestResult } from './model';
import { failureLocation } from './locate';
import { missingModule } from './import-errors';

export interface TerminalParse {
  runner: Runner | undefined;
  results: TestResult[];
  /** The run reported a summary with passes and no failures or errors. */
  allPassed: boolean;
  /** Go: the packages the output reported `ok` (every test in them that ran passed). */
  packages?: string[];
}

const MAX_DETAILS = 20_000;

// eslint-disable-next-line no-control-regex -- terminal control sequences are what is removed
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

/** The text as it ended up on screen: colours gone, `\r` redraws reduced to the final state. */
export function screenText(raw: string): string {
  return raw
    .replace(ANSI, '')
    .split('\n')
    .map((l) => {
      const line = l.endsWith('\r') ? l.slice(0, -1) : l;
      const i = line.lastIndexOf('\r');
      return i >= 0 ? line.slice(i + 1) : line;
    })
    .join('\n');
}

/** The runner a command line starts, when it says. */
export function runnerOfCommand(commandLine: string): Runner | undefined {
  if (/\bpy\.?test\b|\bpython\d?(?:\.\d+)?\s+-m\s+pytest\b/.test(commandLine)) return 'pytest';
  if (/\bvitest\b/.test(commandLine)) return 'vitest';
  if (/\bjest\b/.test(commandLine)) return 'jest';
  if (/\bmocha\b/.test(commandLine)) return 'mocha';
  if (/\bgo\s+test\b/.test(commandLine)) return 'go';
  return undefined;
}

function runnerOfOutput(text: string): Runner | undefined {
  if (/^=+ test session starts =+$/m.test(text) || /^(?:FAILED|ERROR) \S+\.py(?:::|\s)/m.test(text)) return 'pytest';
  if (/^\s*--- (?:FAIL|PASS): \w+/m.test(text) || /^(?:ok|FAIL)\s+\S+\s+[\d.]+s$/m.test(text)) return 'go';
  if (/^\s*(?:Test Files|Tests)\s+.*\(\d+\)$/m.test(text) || /^\s*FAIL\s+\S+\.[cm]?[jt]sx?\s+>\s/m.test(text)) return 'vitest';
  if (/^Tests:\s+.*\btotal\b/m.test(text) || /^\s*● .+ › /m.test(text)) return 'jest';
  if (/^\s+\d+ (?:passing|failing)\b/m.test(text)) return 'mocha';
  return undefined;
}

export function parseTestOutput(raw: string, commandLine = ''): TerminalParse {
  const text = screenText(raw);
  const runner = runnerOfCommand(commandLine) ?? runnerOfOutput(text);
  switch (runner) {
    case 'pytest':
      return { runner, ...pytest(text) };
    case 'jest':
      return { runner, ...jest(text) };
    case 'vitest':
      return { runner, ...vitest(text) };
    case 'mocha':
      return { runner, ...mocha(text) };
    case 'go':
      return { runner, ...goTest(text) };
    default:
      return { runner: undefined, results: [], allPassed: false };
  }
}

type Parsed = Omit<TerminalParse, 'runner'>;

function failed(runner: Runner, suite: string, name: string, body: string, testFile: string | undefined, fullName = name): TestResult {
  const details = bound(body);
  const message = messageOf(runner, details);
  const failedAt = failureLocation(details, { python: runner === 'pytest', ...(testFile ? { testFile } : {}) });
  const missing = missingModule(details);
  return {
    runner,
    suite,
    name,
    fullName,
    status: 'failed',
    ...(testFile ? { definedAt: { file: testFile, line: 0 } } : {}),
    ...(failedAt ? { failedAt } : {}),
    ...(message ? { message: message.slice(0, 500) } : {}),
    ...(details ? { details } : {}),
    ...(missing ? { missingModule: missing } : {}),
  };
}

function passed(runner: Runner, suite: string, name: string, testFile?: string, fullName = name): TestResult {
  return { runner, suite, name, fullName, status: 'passed', ...(testFile ? { definedAt: { file: testFile, line: 0 } } : {}) };
}

// --- pytest ------------------------------------------------------------------------------------

function pytest(text: string): Parsed {
  const lines = text.split('\n');
  // Failure sections: "_____ TestC.test_y _____" up to the next header or the summary.
  const bodies = new Map<string, string>();
  let current: string | undefined;
  let buf: string[] = [];
  const flush = () => {
    if (current !== undefined) bodies.set(current, buf.join('\n'));
    current = undefined;
    buf = [];
  };
  for (const line of lines) {
    const h = /^_{3,} (.+?) _{3,}$/.exec(line);
    if (h) {
      flush();
      current = h[1]!.replace(/^ERROR (?:at (?:setup|teardown) of|collecting) /, '');
      continue;
    }
    if (/^=+ .* =+$/.test(line)) {
      flush();
      continue;
    }
    if (current !== undefined) buf.push(line);
  }
  flush();

  const results: TestResult[] = [];
  const seen = new Set<string>();
  for (const line of lines) {
    const m = /^(FAILED|ERROR) (\S+?)(?: - (.*))?$/.exec(line);
    if (m) {
      const nodeId = m[2]!;
      const [file, ...rest] = nodeId.split('::');
      const name = rest.at(-1) ?? file!;
      const suite = rest.length > 1 ? `${file}::${rest.slice(0, -1).join('::')}` : file!;
      if (seen.has(nodeId)) continue;
      seen.add(nodeId);
      const key = rest.length ? rest.join('.') : file!;
      const body = bodies.get(key) ?? bodies.get(name) ?? bodies.get(file!) ?? m[3] ?? '';
      const r = failed('pytest', suite, name, body || (m[3] ?? ''), file!.endsWith('.py') ? file : undefined, nodeId);
      if (m[1] === 'ERROR') r.status = 'error';
      if (!r.message && m[3]) r.message = m[3];
      results.push(r);
      continue;
    }
    // `path::test PASSED` (-v), or `PASSED path::test` in the short summary (-rA).
    const p = /^(\S+\.py)::(\S+?) PASSED\b/.exec(line) ?? /^PASSED (\S+\.py)::(\S+)$/.exec(line);
    if (p) {
      if (seen.has(`${p[1]}::${p[2]}`)) continue;
      seen.add(`${p[1]}::${p[2]}`);
      const parts = p[2]!.split('::');
      const name = parts.at(-1)!;
      const suite = parts.length > 1 ? `${p[1]}::${parts.slice(0, -1).join('::')}` : p[1]!;
      results.push(passed('pytest', suite, name, p[1], `${p[1]}::${p[2]}`));
    }
  }
  const summary = [...text.matchAll(/^=+ (.*\d+ (?:passed|failed|errors?).*) in [\d.]+s.*=+$/gm)].at(-1)?.[1] ?? '';
  return { results, allPassed: /\d+ passed/.test(summary) && !/\d+ (?:failed|errors?)\b/.test(summary) };
}

// --- jest --------------------------------------------------------------------------------------

function jest(text: string): Parsed {
  const lines = text.split('\n');
  const results: TestResult[] = [];
  let file: string | undefined;
  let describes: { indent: number; title: string }[] = [];
  let header: { suite: string; name: string; full: string; file: string | undefined } | undefined;
  let buf: string[] = [];
  // Inside a "● Console" block (what the tests logged): not a test, and not describe titles. The
  // block's lines are indented deeper than its header; the next line that is not ends it.
  let inConsole = false;
  let consoleIndent = 0;
  const flush = () => {
    if (header) results.push(failed('jest', header.suite, header.name, buf.join('\n'), header.file, header.full));
    header = undefined;
    buf = [];
  };
  for (const line of lines) {
    const f = /^\s*(PASS|FAIL)\s+(\S+)/.exec(line);
    if (f) {
      flush();
      file = f[2];
      describes = [];
      inConsole = false;
      continue;
    }
    const h = /^\s*● (.+)$/.exec(line);
    if (h || (line.trim() && indentOf(line) <= consoleIndent)) inConsole = false;
    if (h && h[1]!.trim() === 'Console') {
      flush();
      inConsole = true;
      consoleIndent = indentOf(line);
      continue;
    }
    if (inConsole) continue;
    if (h && !/^Test suite failed to run$/.test(h[1]!.trim())) {
      flush();
      const parts = h[1]!.trim().split(' › ');
      header = { suite: file ?? parts.slice(0, -1).join(' '), name: parts.at(-1)!, full: parts.join(' '), file };
      continue;
    }
    if (h) {
      flush();
      header = { suite: file ?? '', name: '(test file)', full: '(test file)', file };
      continue;
    }
    if (/^(?:Test Suites|Tests|Snapshots|Time):/.test(line)) {
      flush();
      continue;
    }
    const p = /^\s+[✓√] (.+?)(?: \(\d+(?:\.\d+)? ?m?s\))?$/.exec(line);
    if (p && file && !header) {
      // Named by its describe path too, as its failure and jest-junit name it.
      const path = [...within(describes, indentOf(line)).map((d) => d.title), p[1]!];
      results.push(passed('jest', file, p[1]!, file, path.join(' ')));
      continue;
    }
    // The verbose list nests describe titles by indentation above their tests.
    if (file && !header && /^\s+\S/.test(line) && !/^\s+[✕×○✎]/.test(line)) {
      describes = [...within(describes, indentOf(line)), { indent: indentOf(line), title: line.trim() }];
      continue;
    }
    if (header) buf.push(line);
  }
  flush();
  const summary = /^Tests:\s+(.*)$/m.exec(text)?.[1] ?? '';
  return { results, allPassed: /\d+ passed/.test(summary) && !/\d+ failed/.test(summary) };
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** The enclosing titles of a line at this indent. */
function within<T extends { indent: number }>(stack: T[], indent: number): T[] {
  return stack.filter((s) => s.indent < indent);
}

// --- vitest ------------------------------------------------------------------------------------

function vitest(text: string): Parsed {
  const lines = text.split('\n');
  const results: TestResult[] = [];
  let header: { file: string; path: string[] } | undefined;
  let buf: string[] = [];
  const flush = () => {
    if (header) results.push(failed('vitest', header.file, header.path.at(-1)!, buf.join('\n'), header.file, header.path.join(' > ')));
    header = undefined;
    buf = [];
  };
  for (const line of lines) {
    const h = /^\s*FAIL\s+(\S+\.[cm]?[jt]sx?)\s+>\s+(.+?)\s*$/.exec(line);
    if (h) {
      flush();
      header = { file: h[1]!, path: h[2]!.split(' > ') };
      continue;
    }
    if (/^\s*⎯{3,}/.test(line) || /^\s*(?:Test Files|Tests|Start at|Duration)\s/.test(line)) {
      flush();
      continue;
    }
    const p = /^\s*[✓√] (\S+\.[cm]?[jt]sx?) > (.+?)(?: \d+ ?ms)?$/.exec(line);
    if (p && !header) {
      const path = p[2]!.split(' > ');
      results.push(passed('vitest', p[1]!, path.at(-1)!, p[1], path.join(' > ')));
      continue;
    }
    if (header) buf.push(line);
  }
  flush();
  const summary = /^\s*Tests\s+(.*)$/m.exec(text)?.[1] ?? '';
  return { results, allPassed: /\d+ passed/.test(summary) && !/\d+ failed/.test(summary) };
}

// --- mocha -------------------------------------------------------------------------------------

function mocha(text: string): Parsed {
  const lines = text.split('\n');
  const results: TestResult[] = [];
  const failingAt = lines.findIndex((l) => /^\s+\d+ failing\b/.test(l));
  if (failingAt >= 0) {
    let i = failingAt + 1;
    while (i < lines.length) {
      const m = /^\s+\d+\) (.*)$/.exec(lines[i]!);
      if (!m) {
        i++;
        continue;
      }
      // The title spans lines until one ends with ':'.
      const title: string[] = [m[1]!.trim()];
      i++;
      while (i < lines.length && !title.at(-1)!.endsWith(':') && lines[i]!.trim()) title.push(lines[i++]!.trim());
      const body: string[] = [];
      while (i < lines.length && !/^\s+\d+\) /.test(lines[i]!)) body.push(lines[i++]!);
      const parts = title.join(' ').replace(/:$/, '').trim();
      const segs = title.map((t) => t.replace(/:$/, ''));
      const name = segs.at(-1)!;
      const suite = segs.slice(0, -1).join(' ');
      results.push(failed('mocha', suite, name, body.join('\n'), undefined, parts));
    }
  }
  // The spec list before the summary nests suites by indentation; a pass is named by its path.
  const stop = lines.findIndex((l) => /^\s+\d+ passing\b/.test(l));
  const stack: { indent: number; title: string }[] = [];
  for (const line of lines.slice(0, stop >= 0 ? stop : lines.length)) {
    if (!line.trim()) continue;
    const indent = line.length - line.trimStart().length;
    while (stack.length && stack.at(-1)!.indent >= indent) stack.pop();
    const p = /^\s+[✔✓√] (.+?)(?: \(\d+ ?ms\))?$/.exec(line);
    if (p) {
      const suite = stack.map((x) => x.title).join(' ');
      results.push(passed('mocha', suite, p[1]!, undefined, suite ? `${suite} ${p[1]}` : p[1]));
      continue;
    }
    if (/^\s+(?:\d+\) |- )/.test(line)) continue;
    stack.push({ indent, title: line.trim() });
  }
  return { results, allPassed: /^\s+\d+ passing\b/m.test(text) && failingAt < 0 };
}

// --- go test -----------------------------------------------------------------------------------

function goTest(text: string): Parsed {
  const lines = text.split('\n');
  // With -v, a test's log lines follow its "=== RUN" line; without, they follow "--- FAIL".
  const logs = new Map<string, string[]>();
  let running: string | undefined;
  for (const line of lines) {
    const run = /^=== (?:RUN|CONT|PAUSE)\s+(\S+)/.exec(line);
    if (run) {
      running = run[1];
      continue;
    }
    if (/^\s*--- |^(?:FAIL|ok|PASS)\b/.test(line)) {
      running = undefined;
      continue;
    }
    if (running && line.trim()) logs.set(running, [...(logs.get(running) ?? []), line]);
  }
  const all: TestResult[] = [];
  const pending: TestResult[] = [];
  const packages: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const f = /^(\s*)--- FAIL: (\S+) \([\d.]+s\)$/.exec(line);
    if (f) {
      const indent = f[1]!.length;
      const body: string[] = [...(logs.get(f[2]!) ?? [])];
      while (i + 1 < lines.length && lines[i + 1]!.startsWith(' '.repeat(indent + 4)) && !/^\s*--- /.test(lines[i + 1]!)) body.push(lines[++i]!);
      pending.push(failed('go', '', f[2]!, body.join('\n'), undefined));
      continue;
    }
    const p = /^\s*--- PASS: (\S+) \([\d.]+s\)$/.exec(line);
    if (p) {
      pending.push(passed('go', '', p[1]!));
      continue;
    }
    const pkg = /^(FAIL|ok)\s+(\S+)\s/.exec(line);
    if (pkg) {
      for (const r of pending.splice(0)) all.push({ ...r, suite: pkg[2]! });
      if (pkg[1] === 'ok') packages.push(pkg[2]!);
    }
  }
  all.push(...pending);
  // A parent that failed only because a subtest did says nothing of its own: keep the subtest.
  const results = all.filter((r) => !(r.status === 'failed' && !r.details && all.some((o) => o.status === 'failed' && o.name.startsWith(`${r.name}/`))));
  return { results, allPassed: /^ok\s+\S+/m.test(text) && !/^(?:FAIL|\s*--- FAIL)/m.test(text), packages };
}

/** The line a person would quote: pytest's first `E` line, else the first error-looking line. */
function messageOf(runner: Runner, details: string): string | undefined {
  const lines = details.split('\n').map((l) => l.trim()).filter(Boolean);
  if (runner === 'pytest') {
    const e = lines.find((l) => /^E\s/.test(l));
    if (e) return e.replace(/^E\s+/, '');
  }
  return lines.find((l) => /\b(?:error|assert\w*|expected|fail\w*|panic|exception|cannot)\b/i.test(l) && !/^(?:>|at\s)/.test(l)) ?? lines[0];
}

function bound(s: string): string {
  const t = s.replace(/\s+$/, '').replace(/^\n+/, '');
  return t.length > MAX_DETAILS ? `${t.slice(0, MAX_DETAILS)}\n…` : t;
}
