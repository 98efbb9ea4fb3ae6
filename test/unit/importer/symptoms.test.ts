// Symptom lines, prohibitions and inline commands: only what the runbook says, escaped exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { escapeRegex } from '../../../src/core/text/strings';
import { forbiddenFrom, inlineCommands, looksLikeCommand, symptomsFrom, PROSE_WEIGHT, QUOTED_WEIGHT } from '../../../src/core/importer/symptoms';
import type { Segment } from '../../../src/core/importer/markdown';

const text = (value: string): Segment => ({ kind: 'text', value });
const code = (value: string): Segment => ({ kind: 'code', value });

test('an escaped string is a valid Unicode-mode pattern matching exactly that string', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
      const re = new RegExp(`^${escapeRegex(s)}$`, 'u');
      return re.test(s);
    }),
    { numRuns: 500 },
  );
  assert.equal(escapeRegex('a.b*(c)/d-e'), 'a\\.b\\*\\(c\\)/d-e');
});

test('a quoted error string becomes its own escaped pattern with the line as description', () => {
  assert.deepEqual(symptomsFrom([text('Error: "fatal: \'.worktrees/a\' is not a valid path"')]), [
    { pattern: "fatal: '\\.worktrees/a' is not a valid path", weight: QUOTED_WEIGHT, description: 'Error: "fatal: \'.worktrees/a\' is not a valid path"' },
  ]);
  assert.deepEqual(symptomsFrom([code('RESOURCE_EXHAUSTED')]), [{ pattern: 'RESOURCE_EXHAUSTED', weight: QUOTED_WEIGHT }]);
  assert.deepEqual(
    symptomsFrom([text('Error message like "KeyboardInterrupt", "MemoryError", or exception traceback')]).map((s) => s.pattern),
    ['KeyboardInterrupt', 'MemoryError'],
  );
  assert.deepEqual(symptomsFrom([text('"not a valid path" errors')]).map((s) => s.pattern), ['not a valid path']);
});

test('prose, commands in backticks and quoted statuses stay one literal line with low weight', () => {
  assert.deepEqual(symptomsFrom([code('pytest'), text(' returns FAILED')]), [{ pattern: 'pytest returns FAILED', weight: PROSE_WEIGHT }]);
  assert.deepEqual(symptomsFrom([code('alembic upgrade head'), text(' fails')]), [{ pattern: 'alembic upgrade head fails', weight: PROSE_WEIGHT }]);
  assert.deepEqual(symptomsFrom([text('Workstream stuck "running" >1 hour')]), [{ pattern: 'Workstream stuck "running" >1 hour', weight: PROSE_WEIGHT }]);
  assert.deepEqual(symptomsFrom([text('API response > 500ms (p99)')]), [{ pattern: 'API response > 500ms \\(p99\\)', weight: PROSE_WEIGHT }]);
  assert.deepEqual(symptomsFrom([text('   ')]), []);
});

test('only an explicit prohibition yields forbidden entries', () => {
  assert.deepEqual(forbiddenFrom([text('NEVER do this: '), code('alembic stamp head'), text(' (risk of data loss)')]), [
    { pattern: 'alembic\\s+stamp\\s+head', reason: 'NEVER do this: alembic stamp head (risk of data loss)' },
  ]);
  assert.deepEqual(forbiddenFrom([text('Run '), code('alembic stamp head'), text(' when told to')]), []);
});

test('command-looking code spans are offered unless the text says not to', () => {
  assert.deepEqual(inlineCommands([text('Check current DB state: '), code('alembic current')]), ['alembic current']);
  assert.deepEqual(inlineCommands([text('use '), code('find_symbol("x")'), text(' and '), code('echo=True')]), []);
  assert.deepEqual(inlineCommands([text('note "requires '), code('pip install X'), text('" — do NOT install yourself')]), []);
  assert.ok(looksLikeCommand('.\\scripts\\run.ps1'));
  assert.ok(!looksLikeCommand('HS256'));
});
