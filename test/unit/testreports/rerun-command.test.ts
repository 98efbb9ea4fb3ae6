// "Re-run only this test" reuses the program the user ran (uv, poetry, python3, a venv, npx
// vitest run) and drops its selectors; argv only, and nothing from a report becomes an option.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rerunCommand } from '../../../src/core/testreports/rerun';
import { commandPrefix } from '../../../src/core/testreports/selection';
import type { TestResult } from '../../../src/core/testreports/model';
import { splitCommandLine } from '../../../src/core/shell/command-line';

const argvOf = (line: string) => {
  const s = splitCommandLine(line);
  assert.ok(s.ok, line);
  return s.argv;
};

const pyAdd: TestResult = { runner: 'pytest', suite: 'tests/test_calc.py', name: 'test_add', fullName: 'tests/test_calc.py::test_add', status: 'failed', definedAt: { file: 'tests/test_calc.py', line: 0 } };
const jsAdd: TestResult = { runner: 'jest', suite: 'src/math.test.js', name: 'adds', fullName: 'math adds', status: 'failed', definedAt: { file: 'src/math.test.js', line: 0 } };
const goAdd: TestResult = { runner: 'go', suite: 'example.com/shop/calc', name: 'TestAdd', fullName: 'TestAdd', status: 'failed' };

test('the command the user ran gives the program; its selectors are dropped', () => {
  const cases: [TestResult, string, string[]][] = [
    [pyAdd, 'uv run pytest -x tests/', ['uv', 'run', 'pytest', 'tests/test_calc.py::test_add']],
    [pyAdd, 'python3 -m pytest tests/test_calc.py -k add', ['python3', '-m', 'pytest', 'tests/test_calc.py::test_add']],
    [pyAdd, 'poetry run pytest -c ci.ini -p no:randomly tests', ['poetry', 'run', 'pytest', '-c', 'ci.ini', '-p', 'no:randomly', 'tests/test_calc.py::test_add']],
    [pyAdd, '.venv/bin/pytest --junitxml=out.xml', ['.venv/bin/pytest', 'tests/test_calc.py::test_add']],
    [jsAdd, 'npx jest --config jest.ci.js src', ['npx', 'jest', '--config', 'jest.ci.js', 'src/math.test.js', '-t', '^math adds$']],
    [{ ...jsAdd, runner: 'vitest' }, 'pnpm exec vitest src/math', ['pnpm', 'exec', 'vitest', 'run', 'src/math.test.js', '-t', '^math adds$']],
    [{ ...jsAdd, runner: 'vitest' }, 'npx vitest watch', ['npx', 'vitest', 'run', 'src/math.test.js', '-t', '^math adds$']],
    [{ ...jsAdd, runner: 'mocha' }, 'npx mocha -r ts-node/register "test/**/*.ts"', ['npx', 'mocha', '-r', 'ts-node/register', 'src/math.test.js', '--grep', '^math adds$']],
    [goAdd, 'go test -tags integration -v ./... -run TestA', ['go', 'test', '-tags', 'integration', 'example.com/shop/calc', '-run', '^TestAdd$', '-count=1']],
  ];
  for (const [t, line, argv] of cases) assert.deepEqual(rerunCommand(t, { argv: argvOf(line) })?.argv, argv, line);
});

test('without a usable command line, the defaults', () => {
  assert.deepEqual(rerunCommand(pyAdd)?.argv, ['python', '-m', 'pytest', 'tests/test_calc.py::test_add']);
  // `npm test` does not name the runner; `FOO=1 pytest` is shell syntax.
  assert.deepEqual(rerunCommand(pyAdd, { argv: ['npm', 'test'] })?.argv, ['python', '-m', 'pytest', 'tests/test_calc.py::test_add']);
  assert.deepEqual(rerunCommand(pyAdd, { argv: ['CI=1', 'pytest'] })?.argv, ['python', '-m', 'pytest', 'tests/test_calc.py::test_add']);
  // A wrapper that is not a known launcher is not reused: the re-run is spawned without a terminal.
  assert.deepEqual(rerunCommand(pyAdd, { argv: ['sudo', '-u', 'ci', 'pytest', 'tests'] })?.argv, ['python', '-m', 'pytest', 'tests/test_calc.py::test_add']);
  assert.deepEqual(rerunCommand(pyAdd, { argv: ['docker', 'exec', 'app', 'pytest'] })?.argv, ['python', '-m', 'pytest', 'tests/test_calc.py::test_add']);
  // Another runner's command is not borrowed.
  assert.deepEqual(rerunCommand(jsAdd, { argv: ['uv', 'run', 'pytest'] })?.argv, ['npx', 'jest', 'src/math.test.js', '-t', '^math adds$']);
  assert.equal(commandPrefix('vitest', ['npx', 'vitest', 'related', 'src/a.ts']), undefined);
  // A kept option's value that looks like an option is not kept.
  assert.deepEqual(commandPrefix('pytest', ['pytest', '-c', '--lf']), ['pytest']);
});

test('names and paths from a report never become options or break the argv', () => {
  const fromReport: TestResult = { runner: 'pytest', suite: 'tests.test_x', name: 'test_x', fullName: 'test_x', status: 'failed', definedAt: { file: '--rootdir=/tmp/evil.py', line: 0 } };
  assert.deepEqual(rerunCommand(fromReport)?.argv, ['python', '-m', 'pytest', './--rootdir=/tmp/evil.py::test_x']);
  // No file: -k takes only a plain name.
  assert.equal(rerunCommand({ runner: 'pytest', suite: '', name: '-p evil', fullName: '-p evil', status: 'failed' }), undefined);
  assert.deepEqual(rerunCommand({ runner: 'pytest', suite: '', name: 'test_ok', fullName: 'test_ok', status: 'failed' })?.argv, ['python', '-m', 'pytest', '-k', 'test_ok']);
  assert.deepEqual(rerunCommand({ ...jsAdd, definedAt: { file: '-c=evil.js', line: 0 } })?.argv, ['npx', 'jest', './-c=evil.js', '-t', '^math adds$']);
  assert.deepEqual(rerunCommand({ ...goAdd, suite: '-exec=evil' })?.argv, ['go', 'test', './...', '-run', '^TestAdd$', '-count=1']);
  assert.equal(rerunCommand({ ...jsAdd, fullName: 'adds\n--config evil' }), undefined);
  for (const t of [pyAdd, jsAdd, goAdd]) {
    const r = rerunCommand(t, { argv: ['uv', 'run', 'pytest'] })!;
    assert.ok(Array.isArray(r.argv) && r.argv.every((a) => typeof a === 'string'));
  }
});
