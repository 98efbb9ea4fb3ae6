import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RepeatDetector, fingerprint } from '../../../src/core/classification/repeats';

test('the third occurrence of the same failure escalates, not before', () => {
  const d = new RepeatDetector();
  assert.equal(d.record('test-failure', 'FAILED tests/test_a.py::test_x - assert 1 == 2').escalate, false);
  assert.equal(d.record('test-failure', 'FAILED tests/test_a.py::test_x - assert 3 == 2').escalate, false);
  const third = d.record('test-failure', 'FAILED tests/test_a.py::test_x - assert 7 == 2');
  assert.equal(third.count, 3);
  assert.equal(third.escalate, true);
});

test('volatile parts (numbers, hashes, paths) do not make failures different', () => {
  assert.equal(
    fingerprint('timeout', 'panic: test timed out after 10m0s at /home/a/x.go:12 (0xdeadbeef12)'),
    fingerprint('timeout', 'panic: test timed out after 30s at C:\\work\\x.go:99 (0xfeedface34)'),
  );
  assert.notEqual(fingerprint('timeout', 'a'), fingerprint('network-failure', 'a'));
});

test('different failures are counted apart', () => {
  const d = new RepeatDetector();
  d.record('x', 'alpha');
  d.record('x', 'alpha');
  assert.equal(d.record('x', 'beta').escalate, false);
});
