// "Lifeline: New Playbook" writes a template that loads as it is and explains every field the
// format has, so changing it is all a first playbook takes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePlaybook } from '../../../src/core/playbooks/loader';
import { playbookId, playbookTemplate } from '../../../src/core/playbooks/template';
import { ActionNodeSchema, AnalysisSchema, CheckNodeSchema, PlaybookSchema, StepNodeSchema, SubjectSpecSchema, TextSymptomSchema } from '../../../src/core/playbooks/model';

test('the template is a valid playbook with no warnings', () => {
  const r = parsePlaybook(playbookTemplate('service-down', 'Service is down: no answer'), 'new.yaml');
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.warnings, []);
  assert.equal(r.playbook!.id, 'service-down');
  assert.equal(r.playbook!.title, 'Service is down: no answer');
});

test('every field of the format is named in the template, written or in a comment', () => {
  const text = playbookTemplate('x', 'X');
  for (const schema of [PlaybookSchema, StepNodeSchema, CheckNodeSchema, ActionNodeSchema, AnalysisSchema, SubjectSpecSchema, TextSymptomSchema]) {
    for (const key of Object.keys(schema.shape)) assert.match(text, new RegExp(`^#?\\s*(?:- )?${key}:|\\b${key}:`, 'm'), key);
  }
});

test('ids from titles', () => {
  assert.equal(playbookId('Redis is down!'), 'redis-is-down');
  assert.equal(playbookId('Ünïcode — ok'), 'unicode-ok');
  assert.equal(playbookId('???'), '');
});
