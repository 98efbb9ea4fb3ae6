// Real output of pytest 9 and mocha (recorded, paths anonymised) read back into test results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJUnit } from '../../../src/core/testreports/junit';
import { parseTestOutput, screenText } from '../../../src/core/testreports/terminal';
import { rerunCommand } from '../../../src/core/testreports/rerun';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

test('pytest JUnit: failures with message, trace location and definition; passes too', () => {
  const r = parseJUnit(fixture('pytest-report-calc.xml'), 'report.xml');
  assert.ok(r.ok);
  assert.equal(r.runner, 'pytest');
  const byName = new Map(r.results.map((t) => [t.name, t]));
  assert.deepEqual([...byName.keys()], ['test_add', 'test_ok', 'test_name', 'test_fine']);
  const add = byName.get('test_add')!;
  assert.equal(add.status, 'failed');
  assert.equal(add.suite, 'tests.test_calc');
  assert.equal(add.message, 'assert -1 == 5');
  assert.deepEqual(add.failedAt, { file: 'tests/test_calc.py', line: 7 });
  assert.equal(add.definedAt?.file, 'tests/test_calc.py');
  const name = byName.get('test_name')!;
  assert.deepEqual(name.failedAt, { file: 'tests/test_calc.py', line: 15 });
  assert.equal(name.suite, 'tests.test_calc.TestUser');
  assert.equal(byName.get('test_ok')!.status, 'passed');
  assert.deepEqual(rerunCommand(name)?.argv, ['python', '-m', 'pytest', 'tests/test_calc.py::TestUser::test_name']);
  assert.deepEqual(rerunCommand(add)?.argv, ['python', '-m', 'pytest', 'tests/test_calc.py::test_add']);
});

test('pytest JUnit: a collection error names the missing module and the import line', () => {
  const r = parseJUnit(fixture('pytest-report-import.xml'));
  assert.ok(r.ok);
  const [t] = r.results;
  assert.equal(t!.status, 'error');
  assert.equal(t!.missingModule, 'requests_missing_mod');
  assert.deepEqual(t!.failedAt, { file: 'tests/test_imports.py', line: 1 }, 'the standard library frame is skipped');
});

test('pytest terminal output: the short summary and the failure sections agree', () => {
  const r = parseTestOutput(fixture('pytest-out-calc.txt'), 'pytest tests/test_calc.py');
  assert.equal(r.runner, 'pytest');
  assert.equal(r.allPassed, false);
  const failed = r.results.filter((t) => t.status === 'failed');
  assert.deepEqual(
    failed.map((t) => [t.fullName, t.failedAt?.line, t.message]),
    [
      ['tests/test_calc.py::test_add', 7, 'assert -1 == 5'],
      ['tests/test_calc.py::TestUser::test_name', 15, "AssertionError: assert 'ann' == 'bob'"],
    ],
  );
  assert.deepEqual(rerunCommand(failed[1]!)?.argv, ['python', '-m', 'pytest', 'tests/test_calc.py::TestUser::test_name']);
});

test('pytest -v output also reports which tests passed, by the same keys', () => {
  const r = parseTestOutput(fixture('pytest-out-calc-v.txt'), 'python -m pytest -v');
  const passed = r.results.filter((t) => t.status === 'passed').map((t) => `${t.suite}|${t.name}`);
  assert.deepEqual(passed, ['tests/test_calc.py|test_ok', 'tests/test_calc.py::TestUser|test_fine']);
  const failed = r.results.filter((t) => t.status === 'failed').map((t) => `${t.suite}|${t.name}`);
  assert.deepEqual(failed, ['tests/test_calc.py|test_add', 'tests/test_calc.py::TestUser|test_name']);
});

test('pytest collection error in the terminal: the missing module is named', () => {
  const r = parseTestOutput(fixture('pytest-out-import.txt'), '');
  assert.equal(r.runner, 'pytest');
  const [t] = r.results;
  assert.equal(t!.status, 'error');
  assert.equal(t!.missingModule, 'requests_missing_mod');
  assert.deepEqual(t!.failedAt, { file: 'tests/test_imports.py', line: 1 });
});

test('a run whose summary has only passes is recognised as all passed', () => {
  const text = '============================= test session starts ==============================\ncollected 2 items\n\ntests/test_calc.py ..                                                    [100%]\n\n============================== 2 passed in 0.02s ===============================\n';
  const r = parseTestOutput(text, 'pytest');
  assert.equal(r.allPassed, true);
  assert.deepEqual(r.results, []);
});

test('mocha: failing titles across lines, suites by indentation, locations from the stack', () => {
  const r = parseTestOutput(fixture('mocha-out.txt'), 'npx mocha test/array.test.js');
  assert.equal(r.runner, 'mocha');
  assert.equal(r.allPassed, false);
  const failed = r.results.filter((t) => t.status === 'failed');
  assert.deepEqual(
    failed.map((t) => [t.suite, t.name, t.failedAt]),
    [
      ['Array', 'loads a module', { file: 'test/array.test.js', line: 12, column: 5 }],
      ['Array #indexOf()', 'should return -1 when the value is not present', { file: 'test/array.test.js', line: 5, column: 14 }],
    ],
  );
  assert.equal(failed[0]!.missingModule, 'left-pad-missing');
  assert.match(failed[1]!.message ?? '', /AssertionError \[ERR_ASSERTION\]: -1 == 0/);
  const passed = r.results.filter((t) => t.status === 'passed');
  assert.deepEqual(passed.map((t) => [t.suite, t.name]), [['Array #indexOf()', 'finds the first element']]);
  assert.deepEqual(rerunCommand({ ...failed[1]!, definedAt: { file: 'test/array.test.js', line: 0 } })?.argv, ['npx', 'mocha', 'test/array.test.js', '--grep', '^Array #indexOf\\(\\) should return -1 when the value is not present$']);
});

test('colours and progress redraws do not change what is read', () => {
  const plain = parseTestOutput(fixture('pytest-out-calc.txt'), 'pytest');
  const coloured = fixture('pytest-out-calc.txt')
    .split('\n')
    .map((l) => (l.startsWith('FAILED') ? `\u001b[31m${l}\u001b[0m` : l.startsWith('tests/test_calc.py F') ? `tests/test_calc.py   [  0%]\r${l}` : l))
    .join('\r\n');
  assert.equal(screenText(coloured).replace(/\r/g, ''), fixture('pytest-out-calc.txt'));
  assert.deepEqual(parseTestOutput(coloured, 'pytest'), plain);
});

test('malformed or hostile reports are refused in one line, never parsed', () => {
  const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><testsuites>&lol2;</testsuites>';
  assert.deepEqual(parseJUnit(bomb, 'r.xml'), { ok: false, error: 'r.xml:1: a DOCTYPE or ENTITY declaration is not allowed in a test report' });
  const broken = parseJUnit('<testsuites>\n<testsuite name="x">\n<testcase name="a">\n</testsuites>', 'broken.xml');
  assert.equal(broken.ok, false);
  assert.match(!broken.ok ? broken.error : '', /^broken\.xml:\d+: /);
  assert.ok(!(!broken.ok && broken.error.includes('\n')));
  assert.deepEqual(parseJUnit('<html><body/></html>', 'page.xml'), { ok: false, error: 'page.xml:1: not a JUnit report (no <testsuites> or <testsuite> root)' });
});
