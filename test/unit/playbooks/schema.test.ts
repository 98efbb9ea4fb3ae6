// The published JSON Schema: in sync with the zod model, and agreeing with the loader on what a
// playbook may contain (checked with an independent validator, Ajv).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import Ajv2020 from 'ajv/dist/2020';
import { playbookJsonSchemaText, PLAYBOOK_SCHEMA_ID } from '../../../src/core/playbooks/json-schema';
import { isPlaybookFileName, parsePlaybook } from '../../../src/core/playbooks/loader';

const dir = join(__dirname, '..', '..', '..', 'playbooks');
const committed = readFileSync(join(dir, 'playbook.schema.json'), 'utf8');
const schema = JSON.parse(committed) as Record<string, unknown>;
const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
const builtIns = readdirSync(dir).filter(isPlaybookFileName).sort();

test('the committed schema is exactly what scripts/gen-schema.mjs generates (run `npm run schema`)', () => {
  assert.equal(committed.replace(/\r\n/g, '\n'), playbookJsonSchemaText());
});

test('the schema names itself and says what it describes', () => {
  assert.equal(schema.$id, PLAYBOOK_SCHEMA_ID);
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.equal(schema.title, 'Lifeline playbook');
  assert.match(String(schema.description), /decision graph/);
  assert.deepEqual(
    [...(schema.required as string[])].sort(),
    ['failureType', 'id', 'lifeline', 'nodes', 'recoverable', 'recoverableReason', 'severity', 'title'],
  );
});

test('every built-in playbook is valid against the JSON Schema', () => {
  assert.ok(builtIns.length >= 20, `only ${builtIns.length} built-in playbooks found`);
  for (const name of builtIns) {
    const ok = validate(parse(readFileSync(join(dir, name), 'utf8')));
    assert.ok(ok, `${name}: ${JSON.stringify(validate.errors)}`);
  }
});

const minimal = {
  lifeline: 1,
  id: 'sample',
  title: 'Sample',
  severity: 2,
  failureType: 'error',
  recoverable: true,
  recoverableReason: 'because',
  nodes: [{ id: 'end', kind: 'end', title: 'Done', outcome: 'resolved' }],
};

test('the schema and the loader reject the same malformed playbooks', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['severity out of range', { ...minimal, severity: 6 }],
    ['unknown failure type', { ...minimal, failureType: 'flaky' }],
    ['unknown top-level field', { ...minimal, owner: 'me' }],
    ['unknown probe', { ...minimal, symptoms: [{ probe: 'disk.full' }] }],
    ['unknown action', { ...minimal, nodes: [{ id: 'a', kind: 'action', title: 'A', action: 'db.delete', next: 'end' }, minimal.nodes[0]] }],
    ['bad id', { ...minimal, id: 'Has Spaces' }],
    ['weight above 100', { ...minimal, symptoms: [{ pattern: 'x', weight: 101 }] }],
    ['question with one option', { ...minimal, nodes: [{ id: 'q', kind: 'question', title: 'Q', options: [{ label: 'only', next: 'end' }] }, minimal.nodes[0]] }],
  ];
  assert.ok(validate(minimal), JSON.stringify(validate.errors));
  assert.deepEqual(parsePlaybook(JSON.stringify(minimal), 'm.json').errors, []);
  for (const [name, value] of cases) {
    assert.equal(validate(value), false, `schema accepted: ${name}`);
    assert.notDeepEqual(parsePlaybook(JSON.stringify(value), 'm.json').errors, [], `loader accepted: ${name}`);
  }
});
