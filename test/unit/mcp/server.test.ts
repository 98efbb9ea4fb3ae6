// `lifeline mcp` driven by the SDK's own client over stdio (dist/cli.js, as an agent runs it):
// what it offers — the tools with their schemas and annotations, and the playbooks as Markdown
// resources. The other acceptance lines of #14 have their own files here: parity (results equal
// the CLI's --json), errors (bad input), consent (fix and undo through elicitation), trust
// (untrusted folders) and protocol (initialize at each version, stdout hygiene).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SYMPTOM_SOURCES } from '../../../src/core/playbooks/model';
import { ALL_TOOLS, READ_ONLY_TOOLS, connect, demoWorkspace, userDirs } from './harness';

/** Each tool's inputs: name -> [type, required]. */
const INPUTS: Record<string, Record<string, [string, boolean]>> = {
  lifeline_classify: { text: ['string', true], source: ['string', false] },
  lifeline_guide: { playbook: ['string', false], scenario: ['string', false], subject: ['string', false], answers: ['array', false] },
  lifeline_check_command: { command: ['string', true], cwd: ['string', false] },
  lifeline_record_attempt: { text: ['string', false], fingerprint: ['string', false] },
  lifeline_diagnose: {},
  lifeline_journal: {},
  lifeline_preview_fix: { action: ['string', true] },
  lifeline_fix: { action: ['string', true], previewId: ['string', false] },
  lifeline_undo: { entry: ['string', false] },
};

test('tools/list: the nine tools with their input schemas; read-only ones say so, fix and undo are destructive', async (t) => {
  const demo = demoWorkspace(t);
  const home = userDirs(t);
  const s = await connect(t, demo.root, home.env);
  const { tools } = await s.client.listTools();
  const byName = new Map(tools.map((x) => [x.name, x]));
  assert.deepEqual([...byName.keys()].sort(), [...ALL_TOOLS].sort());
  for (const [name, inputs] of Object.entries(INPUTS)) {
    const tool = byName.get(name)!;
    assert.ok(tool.description && tool.description.length > 40, name);
    assert.equal(tool.inputSchema.type, 'object', name);
    const props = (tool.inputSchema.properties ?? {}) as Record<string, { type?: string }>;
    assert.deepEqual(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v.type])), Object.fromEntries(Object.entries(inputs).map(([k, [type]]) => [k, type])), name);
    assert.deepEqual([...(tool.inputSchema.required ?? [])].sort(), Object.keys(inputs).filter((k) => inputs[k]![1]).sort(), name);
  }
  assert.deepEqual((byName.get('lifeline_classify')!.inputSchema.properties as Record<string, { enum?: string[] }>).source!.enum, [...SYMPTOM_SOURCES]);
  for (const name of READ_ONLY_TOOLS) {
    assert.deepEqual(byName.get(name)!.annotations, { title: byName.get(name)!.title, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false }, name);
  }
  for (const name of ['lifeline_fix', 'lifeline_undo']) {
    const a = byName.get(name)!.annotations!;
    assert.equal(a.readOnlyHint, false, name);
    assert.equal(a.destructiveHint, true, name);
  }
  const attempt = byName.get('lifeline_record_attempt')!.annotations!;
  assert.equal(attempt.readOnlyHint, false, 'record_attempt writes the attempt counts');
  assert.equal(attempt.destructiveHint, false);
});

test('resources: every playbook as lifeline://playbooks/<id>, read as Markdown', async (t) => {
  const demo = demoWorkspace(t);
  const home = userDirs(t);
  const s = await connect(t, demo.root, home.env);
  const { resources } = await s.client.listResources();
  const uris = resources.map((r) => r.uri);
  for (const id of ['orchestrator-crash', 'agent-hang', 'db-locked', 'worktree-corruption']) assert.ok(uris.includes(`lifeline://playbooks/${id}`), id);
  assert.ok(resources.every((r) => r.mimeType === 'text/markdown' && /^lifeline:\/\/playbooks\/[a-z0-9-]+$/.test(r.uri)));
  const { contents } = await s.client.readResource({ uri: 'lifeline://playbooks/orchestrator-crash' });
  assert.equal(contents.length, 1);
  const md = contents[0]! as { mimeType?: string; text?: string };
  assert.equal(md.mimeType, 'text/markdown');
  assert.match(md.text!, /^# Orchestrator crashed mid-run\n/);
  assert.match(md.text!, /^## Steps$/m);
  assert.match(md.text!, /^- \*\*list-running\*\* \(step\): See which workstreams were running$/m);
  await assert.rejects(s.client.readResource({ uri: 'lifeline://playbooks/no-such-playbook' }), /no playbook "no-such-playbook"/);
});
