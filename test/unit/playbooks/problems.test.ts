// Lint problems in plain words, each at the line and column of what is wrong: the unknown key,
// the wrong value, the mapping that lacks a field. What `lifeline playbooks lint` prints and the
// editor's Problems show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePlaybook } from '../../../src/core/playbooks/loader';
import { formatError } from '../../../src/core/playbooks/collection';
import { closest } from '../../../src/core/playbooks/problems';

const broken = `lifeline: 1
id: redis-down
title: Redis is down
severty: 3
failureType: erorr
recoverable: true
recoverableReason: restart it
symptoms:
  - patern: ECONNREFUSED
nodes:
  - id: check
    kind: stp
    title: Check
  - id: start
    kind: step
    title: Start
    nxt: done
  - id: done
    kind: end
    title: Done
`;

test('every schema problem is named in plain words at its line and column', () => {
  const r = parsePlaybook(broken, 'p.yaml');
  assert.equal(r.playbook, undefined);
  assert.deepEqual(r.errors.map(formatError), [
    'p.yaml:4:1: `severty` is not a playbook field — did you mean `severity`?',
    'p.yaml:5:14: `failureType` is "erorr": it must be one of test_failure, timeout, error, git_conflict, auth_failure, network_failure — did you mean `error`?',
    'p.yaml:9:5: symptom 1: `patern` is not a symptom field — did you mean `pattern`?',
    'p.yaml:12:11: node "check": `kind` is "stp": it must be one of step, check, question, action, end — did you mean `step`?',
    'p.yaml:17:5: node "start": `nxt` is not a field of a step node — did you mean `next`?',
    'p.yaml:18:5: node "done": `outcome` is missing: resolved or escalate',
  ]);
  // The squiggle covers the word itself.
  const typo = r.errors[0]!;
  assert.deepEqual([typo.line, typo.column, typo.end], [4, 1, { line: 4, column: 8 }]);
  assert.equal(typo.code, 'unknown-field');
});

test('a field that is missing without a look-alike, a wrong type and an out-of-range number', () => {
  const text = broken
    .replace('severty: 3', 'severity: 9')
    .replace('failureType: erorr', 'failureType: error')
    .replace('recoverable: true', 'recoverable: maybe')
    .replace('title: Redis is down\n', '')
    .replace('patern', 'pattern')
    .replace('kind: stp', 'kind: step')
    .replace('nxt: done', 'next: done')
    .replace('    title: Done\n', '    title: Done\n    outcome: resolved\n');
  const r = parsePlaybook(text, 'p.yaml');
  assert.deepEqual(r.errors.map(formatError), [
    'p.yaml:1:1: `title` is missing: a few words naming it',
    'p.yaml:3:11: `severity` is 9: it must be at most 5',
    'p.yaml:5:14: `recoverable` should be true or false, not "maybe"',
  ]);
});

test('graph problems and YAML syntax errors carry a column too', () => {
  const text = broken
    .replace('severty', 'severity')
    .replace('erorr', 'error')
    .replace('patern', 'pattern')
    .replace('kind: stp', 'kind: step')
    .replace('nxt: done', 'next: nowhere')
    .replace('    title: Done\n', '    title: Done\n    outcome: resolved\n');
  const graph = parsePlaybook(text, 'p.yaml');
  const edge = graph.errors.find((e) => /nowhere/.test(e.message));
  assert.ok(edge, JSON.stringify(graph.errors));
  assert.deepEqual([edge.line, edge.column], [17, 11]);
  const syntax = parsePlaybook('lifeline: 1\nid: [oops\n', 'p.yaml');
  assert.ok(syntax.errors.length > 0 && syntax.errors.every((e) => e.line >= 1 && e.column! >= 1 && e.code === 'yaml-syntax'));
});

test('"did you mean" only for a near miss', () => {
  assert.equal(closest('severty', ['severity', 'summary']), 'severity');
  assert.equal(closest('recoverablereason', ['recoverableReason']), 'recoverableReason');
  assert.equal(closest('colour', ['severity', 'summary', 'nodes']), undefined);
});
