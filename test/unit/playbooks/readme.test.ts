// playbooks/README.md is the format's documentation: it must name every field, node kind, probe
// and action the model knows, and its complete example must be a valid playbook.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePlaybook } from '../../../src/core/playbooks/loader';
import {
  ActionNodeSchema, AnalysisSchema, CHECK_PROBES, CheckNodeSchema, CommandSchema, EndNodeSchema, FAILURE_TYPES,
  FIXUP_ACTIONS, ForbiddenSchema, PlaybookSchema, QuestionNodeSchema, SEVERITY_LEVELS, StepNodeSchema, SYMPTOM_SOURCES,
  TextSymptomSchema,
} from '../../../src/core/playbooks/model';

const readme = readFileSync(join(__dirname, '..', '..', '..', 'playbooks', 'README.md'), 'utf8').replace(/\r\n/g, '\n');
const code = (s: string) => `\`${s}\``;

/** The rows of the Markdown table that follows `heading`, as their first cell. */
function tableKeys(heading: string): string[] {
  const at = readme.indexOf(heading);
  assert.ok(at >= 0, `README has no "${heading}"`);
  const rows: string[] = [];
  for (const line of readme.slice(at).split('\n').slice(1)) {
    if (rows.length && !line.startsWith('|')) break;
    const m = /^\| `([^`]+)` \|/.exec(line);
    if (m) rows.push(m[1]!);
  }
  return rows;
}

test('every top-level field is in the format table', () => {
  assert.deepEqual(tableKeys('## The format').sort(), Object.keys(PlaybookSchema.def.shape).sort());
});

test('every analysis field is documented', () => {
  assert.deepEqual(tableKeys('### Analysis').sort(), Object.keys(AnalysisSchema.def.shape).sort());
});

test('every probe and every fix-up action is documented with its meaning', () => {
  assert.deepEqual(tableKeys('### Probes'), Object.keys(CHECK_PROBES));
  assert.deepEqual(tableKeys('### Fix-up actions'), Object.keys(FIXUP_ACTIONS));
});

test('node kinds, their fields, symptom, command and forbidden fields, enums and severities are all named', () => {
  const nodeSchemas = [StepNodeSchema, CheckNodeSchema, QuestionNodeSchema, ActionNodeSchema, EndNodeSchema];
  const nodeTable = readme.slice(readme.indexOf('### Nodes'));
  for (const s of nodeSchemas) {
    const kind = s.def.shape.kind.def.values[0] as string;
    assert.match(nodeTable, new RegExp(`^\\| \`${kind}\` \\|`, 'm'), `node kind ${kind}`);
    for (const field of Object.keys(s.def.shape)) assert.ok(readme.includes(code(field)) || readme.includes(`${field}:`), `node field ${field}`);
  }
  for (const field of [...Object.keys(TextSymptomSchema.def.shape), ...Object.keys(CommandSchema.def.shape), ...Object.keys(ForbiddenSchema.def.shape), 'probe']) {
    assert.ok(readme.includes(code(field)) || readme.includes(`${field}:`), `field ${field}`);
  }
  for (const v of [...FAILURE_TYPES, ...SYMPTOM_SOURCES, 'any', 'bash', 'powershell', 'cmd', 'sql', 'resolved', 'escalate']) assert.ok(readme.includes(code(v)), v);
  for (const level of Object.values(SEVERITY_LEVELS)) {
    assert.ok(readme.includes(level.name), level.name);
    assert.ok(readme.includes(level.response.split(':')[0]!), level.response);
  }
});

test('it tells users where their playbooks go and how overriding works', () => {
  assert.match(readme, /`lifeline\.playbooks\.folder`/);
  assert.match(readme, /`\.lifeline\/playbooks`/);
  assert.match(readme, /same id as a built-in replaces it/);
});

test('the complete example is a valid playbook', () => {
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const example = blocks.find((b) => /^lifeline: 1$/m.test(b));
  assert.ok(example, 'no complete example');
  const r = parsePlaybook(example, 'README.md');
  assert.deepEqual(r.errors, []);
  const p = r.playbook!;
  assert.deepEqual(new Set(p.nodes.map((n) => n.kind)), new Set(['question', 'end', 'step']));
  assert.ok(p.nodes.some((n) => n.kind === 'end' && n.outcome === 'escalate'));
  assert.ok(p.symptoms.length > 0 && p.forbidden.length > 0 && p.analysis);
});
