import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePlaybook } from '../../../src/core/playbooks/loader';

const valid = `lifeline: 1
id: sample
title: Sample
severity: 2
failureType: error
recoverable: true
recoverableReason: because
nodes:
  - id: a
    kind: step
    title: Do it
    next: b
  - id: b
    kind: end
    title: Done
    outcome: resolved
`;

test('a valid playbook parses with defaults filled in', () => {
  const r = parsePlaybook(valid, 'x.yaml');
  assert.deepEqual(r.errors, []);
  assert.equal(r.playbook?.id, 'sample');
  assert.equal(r.playbook?.category, 'general');
  assert.deepEqual(r.playbook?.symptoms, []);
});

test('an invalid regular expression is reported at its line', () => {
  const text = valid.replace('nodes:', "symptoms:\n  - pattern: 'a(b'\nnodes:");
  const r = parsePlaybook(text, 'x.yaml');
  assert.equal(r.playbook, undefined);
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0]!.line, 9);
  assert.equal(r.errors[0]!.column, 14);
  assert.match(r.errors[0]!.message, /^symptom 1: `pattern` is not a valid regular expression/);
});

test('an edge to a missing node is reported where that edge is written', () => {
  const r = parsePlaybook(valid.replace('next: b', 'next: nowhere'), 'x.yaml');
  assert.equal(r.playbook, undefined);
  assert.ok(r.errors.some((e) => e.line === 12 && e.column === 11 && /leads to "nowhere"/.test(e.message)), JSON.stringify(r.errors));
});

test('an unreachable node and a missing end are both errors', () => {
  const text = valid.replace('    next: b\n', '    next: a\n');
  const r = parsePlaybook(text, 'x.yaml');
  const messages = r.errors.map((e) => e.message).join('\n');
  assert.match(messages, /"b" cannot be reached/);
  assert.match(messages, /no end node can be reached/);
});

test('YAML syntax errors carry a line number', () => {
  const r = parsePlaybook('lifeline: 1\nid: [oops\n', 'x.yaml');
  assert.ok(r.errors.length > 0);
  assert.ok(r.errors.every((e) => e.line >= 1));
});
