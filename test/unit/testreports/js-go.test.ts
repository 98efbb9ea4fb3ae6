// jest, vitest (recorded real output, paths anonymised) and go test / go-junit-report (written
// to their documented formats: there is no Go toolchain on the recording machine).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJUnit } from '../../../src/core/testreports/junit';
import { parseTestOutput } from '../../../src/core/testreports/terminal';
import { rerunCommand } from '../../../src/core/testreports/rerun';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const brief = (t: { status: string; suite: string; name: string; failedAt?: { file: string; line: number } }) => [t.status, t.suite, t.name, t.failedAt ? `${t.failedAt.file}:${t.failedAt.line}` : null];

test('jest terminal output (with colours): failures under their file, passes, missing module', () => {
  const r = parseTestOutput(fixture('jest-out.txt'), 'npx jest src/math.test.js');
  assert.equal(r.runner, 'jest');
  assert.equal(r.allPassed, false);
  assert.deepEqual(r.results.map(brief), [
    ['passed', 'src/math.test.js', 'adds zero', null],
    ['failed', 'src/math.test.js', 'adds two numbers', 'src/math.test.js:5'],
    ['failed', 'src/math.test.js', 'loads helpers', 'src/math.test.js:12'],
  ]);
  const [, add, helpers] = r.results;
  assert.equal(add!.fullName, 'math add adds two numbers');
  assert.equal(add!.message, 'expect(received).toBe(expected) // Object.is equality');
  assert.equal(helpers!.missingModule, './missing-helper');
  assert.deepEqual(rerunCommand(add!)?.argv, ['npx', 'jest', 'src/math.test.js', '-t', '^math add adds two numbers$']);
});

test('jest: a "● Console" block (what the tests logged) is neither a failing test nor a describe title', () => {
  // Jest's documented layout: the file's result line, the logged output, then the verbose list.
  const out = [
    ' PASS  src/a.test.js',
    '  ● Console',
    '',
    '    console.log',
    '      hello from a test',
    '',
    '      at Object.<anonymous> (src/a.test.js:3:13)',
    '',
    '  sums',
    '    ✓ adds (2 ms)',
    '',
    'Tests:       1 passed, 1 total',
  ].join('\n');
  const r = parseTestOutput(out, 'npx jest src/a.test.js');
  assert.deepEqual(
    r.results.map((t) => [t.status, t.name, t.fullName]),
    [['passed', 'adds', 'sums adds']],
  );
  assert.equal(r.allPassed, true);
});

test('jest-junit: names from the describe path, locations from the stack, runner frames skipped', () => {
  const r = parseJUnit(fixture('jest-junit.xml'));
  assert.ok(r.ok);
  assert.equal(r.runner, 'jest');
  assert.deepEqual(r.results.map(brief), [
    ['failed', 'math', 'math add adds two numbers', '/home/dev/shop/src/math.test.js:5'],
    ['passed', 'math', 'math add adds zero', null],
    ['failed', 'math', 'math loads helpers', '/home/dev/shop/src/math.test.js:12'],
  ]);
  assert.equal(r.results[2]!.missingModule, './missing-helper');
});

test('vitest terminal output: the FAIL headers carry file and title path; ❯ frames give the line', () => {
  const r = parseTestOutput(fixture('vitest-out.txt'), 'npx vitest run');
  assert.equal(r.runner, 'vitest');
  assert.equal(r.allPassed, false);
  const failed = r.results.filter((t) => t.status === 'failed');
  assert.deepEqual(failed.map(brief), [
    ['failed', 'src/vmath.test.js', 'adds two numbers', 'src/vmath.test.js:6'],
    ['failed', 'src/vmath.test.js', 'loads helpers', null],
  ]);
  assert.equal(failed[0]!.message, 'AssertionError: expected -1 to be 5 // Object.is equality');
  assert.equal(failed[1]!.missingModule, '/src/missing-helper.js');
  assert.deepEqual(rerunCommand(failed[0]!)?.argv, ['npx', 'vitest', 'run', 'src/vmath.test.js', '-t', '^math add adds two numbers$']);
});

test('vitest verbose output names its passes with the same keys as its failures', () => {
  const r = parseTestOutput(fixture('vitest-out-v.txt'), 'npx vitest run --reporter=verbose');
  assert.deepEqual(
    r.results.filter((t) => t.status === 'passed').map((t) => [t.suite, t.name]),
    [['src/vmath.test.js', 'adds zero']],
  );
});

test('vitest junit: classname is the file, the title path is split', () => {
  const r = parseJUnit(fixture('vitest-junit.xml'));
  assert.ok(r.ok);
  assert.equal(r.runner, 'vitest');
  assert.deepEqual(r.results.map(brief), [
    ['failed', 'src/vmath.test.js', 'adds two numbers', 'src/vmath.test.js:6'],
    ['passed', 'src/vmath.test.js', 'adds zero', null],
    ['failed', 'src/vmath.test.js', 'loads helpers', null],
  ]);
  assert.equal(r.results[0]!.definedAt?.file, 'src/vmath.test.js');
});

test('go test -v: log lines before "--- FAIL" belong to the test; a parent failing only through its subtest is not repeated', () => {
  const r = parseTestOutput(fixture('go-out.txt'), 'go test -v ./...');
  assert.equal(r.runner, 'go');
  assert.equal(r.allPassed, false);
  assert.deepEqual(r.results.map(brief), [
    ['failed', 'example.com/shop/calc', 'TestAdd', 'calc_test.go:12'],
    ['failed', 'example.com/shop/calc', 'TestParse/empty_input', 'parse_test.go:30'],
    ['passed', 'example.com/shop/calc', 'TestParse/ok', null],
    ['passed', 'example.com/shop/calc', 'TestSub', null],
  ]);
  assert.equal(r.results[0]!.message, 'calc_test.go:12: Add(2, 3) = -1, want 5');
  assert.deepEqual(rerunCommand(r.results[1]!)?.argv, ['go', 'test', 'example.com/shop/calc', '-run', '^TestParse$/^empty_input$', '-count=1']);
});

test('go-junit-report: go.version marks the runner; CDATA traces give the location', () => {
  const r = parseJUnit(fixture('go-junit.xml'));
  assert.ok(r.ok);
  assert.equal(r.runner, 'go');
  assert.deepEqual(r.results.map(brief), [
    ['failed', 'example.com/shop/calc', 'TestAdd', 'calc_test.go:12'],
    ['failed', 'example.com/shop/calc', 'TestParse/empty_input', 'parse_test.go:30'],
    ['passed', 'example.com/shop/calc', 'TestParse/ok', null],
    ['passed', 'example.com/shop/calc', 'TestSub', null],
  ]);
});
