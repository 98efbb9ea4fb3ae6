// One test, one entry: a JUnit report and a terminal run name the same test differently, and a
// passing run clears exactly the tests it ran — a re-run of one test clears that test whatever
// reported it; a run of another file clears nothing it did not run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJUnit } from '../../../src/core/testreports/junit';
import { parseTestOutput } from '../../../src/core/testreports/terminal';
import { rerunCommand } from '../../../src/core/testreports/rerun';
import { identityKey, sameTest, testIdentity } from '../../../src/core/testreports/identity';
import type { TestIdentity } from '../../../src/core/testreports/identity';
import { FailureLedger } from '../../../src/core/testreports/ledger';
import { commandSelection, greenRun } from '../../../src/core/testreports/selection';
import type { TestResult } from '../../../src/core/testreports/model';
import { joinCommandLine, splitCommandLine } from '../../../src/core/shell/command-line';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

function junit(name: string): TestResult[] {
  const r = parseJUnit(fixture(name));
  assert.ok(r.ok);
  return r.results;
}

/** What the editor does with a finished terminal run: its results, and a green run clears what its command selected. */
function terminalRun(ledger: FailureLedger<string>, output: string, commandLine: string, rerunOf?: TestIdentity): string[] {
  const parsed = parseTestOutput(output, commandLine);
  assert.ok(parsed.runner, 'the runner is recognised');
  const split = splitCommandLine(commandLine);
  const green = greenRun(parsed, split.ok ? split.argv : undefined, rerunOf);
  return ledger.apply({
    origin: `terminal:${parsed.runner}`,
    replacesOrigin: false,
    results: parsed.results.map((result) => ({ result, value: result.fullName })),
    ...(green ? { ranAndPassed: green.covers } : {}),
  });
}

function reportRun(ledger: FailureLedger<string>, results: TestResult[], origin = 'file:///w/test-results/junit.xml'): string[] {
  return ledger.apply({ origin, replacesOrigin: true, results: results.map((result) => ({ result, value: result.fullName })) });
}

const failing = (l: FailureLedger<string>) => l.all.map((e) => `${e.origin.startsWith('terminal') ? 'terminal' : 'report'} ${identityKey(e.id)}`).sort();

test('pytest: the JUnit classname and the terminal node id give one identity', () => {
  const fromReport = junit('pytest-report-calc.xml').filter((t) => t.status === 'failed');
  const fromTerminal = parseTestOutput(fixture('pytest-out-calc.txt'), 'pytest').results;
  assert.deepEqual(fromReport.map((t) => identityKey(testIdentity(t))), ['pytest|tests.test_calc|test_add', 'pytest|tests.test_calc.TestUser|test_name']);
  assert.deepEqual(
    fromTerminal.map((t) => identityKey(testIdentity(t))),
    fromReport.map((t) => identityKey(testIdentity(t))),
  );
  // A module that fails to import: `ERROR tests/test_imports.py` and classname="" name="tests.test_imports".
  const [reportErr] = junit('pytest-report-import.xml');
  const [terminalErr] = parseTestOutput(fixture('pytest-out-import.txt'), 'pytest').results;
  assert.equal(identityKey(testIdentity(reportErr!)), 'pytest||tests.test_imports');
  assert.equal(identityKey(testIdentity(terminalErr!)), 'pytest||tests.test_imports');
});

test('pytest: a test reported by the JUnit report and then the terminal has one entry, not two', () => {
  const ledger = new FailureLedger<string>();
  reportRun(ledger, junit('pytest-report-calc.xml'));
  terminalRun(ledger, fixture('pytest-out-calc.txt'), 'pytest');
  assert.deepEqual(failing(ledger), ['terminal pytest|tests.test_calc.TestUser|test_name', 'terminal pytest|tests.test_calc|test_add']);
});

test('pytest: the quick fix re-run of one test ("1 passed", no -v) clears the JUnit failure; a run of another file does not', () => {
  const ledger = new FailureLedger<string>();
  const report = junit('pytest-report-calc.xml');
  reportRun(ledger, report);
  const add = report.find((t) => t.name === 'test_add')!;
  const quiet = '============================= test session starts ==============================\ncollected 1 item\n\ntests/test_calc.py .                                                     [100%]\n\n============================== 1 passed in 0.01s ===============================\n';

  // Another file passing says nothing about tests/test_calc.py.
  terminalRun(ledger, quiet, 'python -m pytest tests/test_other.py');
  terminalRun(ledger, quiet, 'uv run pytest tests/test_calc.py::test_ok');
  assert.deepEqual(failing(ledger), ['report pytest|tests.test_calc.TestUser|test_name', 'report pytest|tests.test_calc|test_add']);

  // The re-run the quick fix builds, as the lifeline task writes its line.
  const emptied = terminalRun(ledger, quiet, joinCommandLine(rerunCommand(add)!.argv));
  assert.deepEqual(failing(ledger), ['report pytest|tests.test_calc.TestUser|test_name']);
  assert.deepEqual(emptied, []);

  // The class's own re-run then empties the report's entries.
  assert.deepEqual(terminalRun(ledger, quiet, 'python3 -m pytest tests/test_calc.py::TestUser::test_name'), ['file:///w/test-results/junit.xml']);
});

test('pytest: a green run clears only the tests its command selected', () => {
  const quiet = '============================== 3 passed in 0.01s ===============================\n';
  const seed = () => {
    const ledger = new FailureLedger<string>();
    terminalRun(ledger, fixture('pytest-out-calc.txt'), 'pytest tests/test_calc.py');
    return ledger;
  };
  const cases: [string, string[]][] = [
    ['pytest tests/b.py', ['test_add', 'test_name']],
    ['pytest tests/test_calc.py::test_add', ['test_name']],
    ['pytest -x --tb short tests/test_calc.py', []],
    ['pytest tests', []],
    ['pytest', []],
    ['pytest -k test_add', ['test_name']],
    ['pytest -k "not slow"', ['test_add', 'test_name']],
    ['pytest -m slow', ['test_add', 'test_name']],
    ['pytest --lf', ['test_add', 'test_name']],
    ['pytest /elsewhere/tests', ['test_add', 'test_name']],
    // A line that needs a shell is not read: nothing is assumed to have run.
    ['pytest tests/b.py | tee log', ['test_add', 'test_name']],
  ];
  for (const [line, left] of cases) {
    const ledger = seed();
    terminalRun(ledger, quiet, line);
    assert.deepEqual(
      ledger.all.map((e) => e.id.name),
      left,
      line,
    );
  }
});

test('pytest -rA and -v name their passes; a pass clears its failure from any source', () => {
  const ledger = new FailureLedger<string>();
  reportRun(ledger, junit('pytest-report-calc.xml'));
  const out = 'tests/test_calc.py .\n=========================== short test summary info ============================\nPASSED tests/test_calc.py::test_add\nFAILED tests/test_calc.py::TestUser::test_name - AssertionError\n========================= 1 failed, 1 passed in 0.05s ==========================\n';
  terminalRun(ledger, out, 'make check');
  assert.deepEqual(failing(ledger), ['terminal pytest|tests.test_calc.TestUser|test_name']);
});

test('jest: jest-junit (no file) and the terminal (file, describe path) name the same tests; passes carry the describe path', () => {
  const report = junit('jest-junit.xml');
  const terminal = parseTestOutput(fixture('jest-out.txt'), 'npx jest').results;
  assert.deepEqual(
    terminal.map((t) => t.fullName),
    ['math add adds zero', 'math add adds two numbers', 'math loads helpers'],
  );
  for (const t of terminal) {
    const same = report.filter((r) => sameTest(testIdentity(r), testIdentity(t)));
    assert.equal(same.length, 1, t.fullName);
  }
  // Another file with the same titles is another test.
  assert.equal(sameTest(testIdentity(terminal[1]!), testIdentity({ ...terminal[1]!, suite: 'src/other.test.js', definedAt: { file: 'src/other.test.js', line: 0 } })), false);

  const ledger = new FailureLedger<string>();
  reportRun(ledger, report);
  const green = 'PASS src/math.test.js\n  math\n    add\n      ✓ adds two numbers (2 ms)\n\nTests:       1 passed, 1 total\n';
  terminalRun(ledger, 'PASS src/other.test.js\n\nTests:       4 passed, 4 total\n', 'npx jest src/other.test.js');
  assert.equal(ledger.all.length, 2);
  // jest-junit gave no file: the re-run's command line alone cannot say it ran this test...
  const quiet = green.replace(/ {6}✓.*\n/, '');
  const reportAdd = report.find((t) => t.name === 'math add adds two numbers')!;
  terminalRun(ledger, quiet, joinCommandLine(rerunCommand(reportAdd)!.argv));
  assert.equal(ledger.all.length, 2);
  // ...the quick fix says which test it re-runs, and its pass clears that one.
  terminalRun(ledger, quiet, joinCommandLine(rerunCommand(reportAdd)!.argv), testIdentity(reportAdd));
  assert.deepEqual(
    ledger.all.map((e) => e.id.name),
    ['math loads helpers'],
  );
});

test('vitest: the junit classname and the terminal header give one identity', () => {
  const report = junit('vitest-junit.xml').filter((t) => t.status === 'failed');
  const terminal = parseTestOutput(fixture('vitest-out.txt'), 'npx vitest run').results.filter((t) => t.status === 'failed');
  assert.deepEqual(
    terminal.map((t) => identityKey(testIdentity(t))),
    report.map((t) => identityKey(testIdentity(t))),
  );
  assert.equal(identityKey(testIdentity(report[0]!)), 'vitest|src/vmath.test.js|math add adds two numbers');
  const ledger = new FailureLedger<string>();
  reportRun(ledger, report);
  terminalRun(ledger, ' Test Files  1 passed (1)\n      Tests  1 passed (1)\n', joinCommandLine(rerunCommand(report[0]!)!.argv));
  assert.deepEqual(
    ledger.all.map((e) => e.id.name),
    ['math loads helpers'],
  );
});

test('mocha: a pass is named by its full title, as its failure is', () => {
  const r = parseTestOutput(fixture('mocha-out.txt'), 'npx mocha');
  const pass = r.results.find((t) => t.status === 'passed')!;
  assert.equal(pass.fullName, 'Array #indexOf() finds the first element');
  assert.equal(identityKey(testIdentity(pass)), 'mocha||Array #indexOf() finds the first element');
});

test('go: a green run clears the packages it reported ok, narrowed by -run', () => {
  const seed = () => {
    const ledger = new FailureLedger<string>();
    terminalRun(ledger, fixture('go-out.txt'), 'go test -v ./...');
    return ledger;
  };
  const names = (l: FailureLedger<string>) => l.all.map((e) => e.id.name);
  assert.deepEqual(names(seed()), ['TestAdd', 'TestParse/empty_input']);
  const cases: [string, string, string[]][] = [
    ['go test ./util', 'ok  \texample.com/shop/util\t0.002s\n', ['TestAdd', 'TestParse/empty_input']],
    ["go test ./calc -run '^TestAdd$'", 'ok  \texample.com/shop/calc\t0.002s\n', ['TestParse/empty_input']],
    ['go test ./calc -run TestParse', 'ok  \texample.com/shop/calc\t0.002s\n', ['TestAdd']],
    ['go test ./...', 'ok  \texample.com/shop/calc\t0.002s\nok  \texample.com/shop/util\t(cached)\n', []],
  ];
  for (const [line, out, left] of cases) {
    const ledger = seed();
    terminalRun(ledger, out, line);
    assert.deepEqual(names(ledger), left, line);
  }
  // The quick fix's own re-run of a subtest.
  const ledger = seed();
  const sub = ledger.all.find((e) => e.id.name === 'TestParse/empty_input')!;
  terminalRun(ledger, 'ok  \texample.com/shop/calc\t0.002s\n', joinCommandLine(['go', 'test', sub.id.scope, '-run', '^TestParse$/^empty_input$', '-count=1']));
  assert.deepEqual(names(ledger), ['TestAdd']);
});

test('a green run says whether it ran the whole suite (which ends the runner\'s failure notice)', () => {
  const green = (line: string, output = '========================= 7 passed in 0.01s =========================\n') => {
    const s = splitCommandLine(line);
    return greenRun(parseTestOutput(output, line), s.ok ? s.argv : undefined);
  };
  assert.equal(green('python3 -m pytest')?.wholeSuite, true);
  assert.equal(green('python3 -m pytest tests/test_a.py')?.wholeSuite, false);
  assert.equal(green('python3 -m pytest -k add')?.wholeSuite, false);
  assert.equal(green('pytest | tee log')?.wholeSuite, false, 'a line that needs a shell is not read');
  assert.equal(green('python3 -m pytest', '========================= 1 failed, 6 passed in 0.01s =========================\n'), undefined);
});

test('selections: what is read and what is refused', () => {
  const sel = (runner: Parameters<typeof commandSelection>[0], line: string) => {
    const s = splitCommandLine(line);
    return commandSelection(runner, s.ok ? s.argv : undefined);
  };
  assert.deepEqual(sel('pytest', 'uv run pytest -x tests/test_a.py'), { all: false, paths: ['tests/test_a.py'], unknown: false });
  assert.deepEqual(sel('pytest', 'npm test'), { all: true, paths: [], unknown: false });
  assert.equal(sel('pytest', 'npm run test:unit').unknown, true, 'a script with another name may run a part of the suite');
  assert.deepEqual(sel('jest', "npx jest -t '^math add adds two numbers$'"), { all: true, paths: [], names: { exact: 'math add adds two numbers' }, unknown: false });
  assert.equal(sel('jest', "npx jest -t 'add.*'").unknown, true);
  assert.equal(sel('jest', 'npx jest --onlyChanged').unknown, true);
  assert.deepEqual(sel('vitest', 'npx vitest run src/a.test.ts'), { all: false, paths: ['src/a.test.ts'], unknown: false });
  assert.equal(sel('vitest', 'npx vitest related src/a.ts').unknown, true);
  assert.deepEqual(sel('mocha', 'npx mocha -r ts-node/register --grep adds test/a.test.js'), { all: false, paths: ['test/a.test.js'], names: { contains: 'adds', ignoreCase: false }, unknown: false });
  assert.equal(commandSelection('pytest', undefined).unknown, true);
  // Options that choose another set of tests (a config, a root, build tags) or that are not known
  // to be harmless make what ran unknown; output and worker options do not.
  assert.equal(sel('jest', 'npx jest -c jest.unit.config.js').unknown, true);
  assert.equal(sel('vitest', 'npx vitest run --dir packages/a').unknown, true);
  assert.equal(sel('go', 'go test -tags integration ./...').unknown, true);
  assert.equal(sel('pytest', 'pytest --stepwise-skip').unknown, true);
  assert.equal(sel('pytest', 'pytest --rootdir sub').unknown, true);
  assert.equal(sel('pytest', 'pytest --some-plugin-option').unknown, true);
  assert.deepEqual(sel('pytest', 'python3 -m pytest -q -n 4 --tb=short tests/test_a.py'), { all: false, paths: ['tests/test_a.py'], unknown: false });
  assert.deepEqual(sel('jest', 'npx jest --ci --coverage --maxWorkers=2'), { all: true, paths: [], unknown: false });
});
