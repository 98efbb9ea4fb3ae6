// {{placeholders}}: filled from the subject or the user's inputs, never pasted half-filled, and
// linted when nothing could fill them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillForReading, fillPlaceholders, placeholderProblems } from '../../../src/core/playbooks/placeholders';
import { parsePlaybook } from '../../../src/core/playbooks/loader';
import { RecoverySession } from '../../../src/core/decisions/session';
import { fillCommand } from '../../../src/core/decisions/fill';
import { panelView } from '../../../src/editor/webview/panel-view';
import { cli } from '../fixups/cli-harness';
import { ScriptedWorkspace } from '../decisions/fixtures';

const yaml = (nodes: string, extra = '') => `lifeline: 1
id: ports
title: Port taken
severity: 2
failureType: error
recoverable: true
recoverableReason: test
${extra}nodes:
${nodes}`;

const STEP = `  - id: find
    kind: step
    title: Find what holds {{port}}
    commands:
      - run: lsof -nP -iTCP:{{port}} -sTCP:LISTEN
      - run: docker ps --format '{{.Names}} {{.Ports}}'
    next: done
  - { id: done, kind: end, title: Free, outcome: resolved }
`;

function load(text: string) {
  const r = parsePlaybook(text, 'ports.yaml');
  assert.deepEqual(r.errors, []);
  return r;
}

test('filling: known values go in, unknown ones stay and are listed; reading words stand in for unbound subject values', () => {
  assert.deepEqual(fillPlaceholders('git log {{branch}} -- {{file}}', { branch: 'ws/ws-15/agent-2' }), { text: 'git log ws/ws-15/agent-2 -- {{file}}', missing: ['file'] });
  assert.equal(fillForReading("Does {{ws-id}}'s branch have commits {{main-branch}} lacks?", { 'main-branch': 'main' }), "Does this workstream's branch have commits main lacks?");
  assert.equal(fillForReading('Free {{port}}', {}, (n) => (n === 'port' ? 'the port' : undefined)), 'Free the port');
  assert.deepEqual(fillPlaceholders("docker ps --format '{{.Names}}'", {}), { text: "docker ps --format '{{.Names}}'", missing: [] }, 'other templates are left alone');
});

test('lint warns about a placeholder nothing fills, a subject placeholder without a subject, and <old-style> ones; declared inputs and docker templates pass', async () => {
  const undeclared = load(yaml(STEP));
  assert.deepEqual(undeclared.warnings!.map((w) => [w.line, w.message]), [
    [11, 'warning: {{port}} is neither filled from the subject nor declared in inputs'],
    [13, 'warning: {{port}} is neither filled from the subject nor declared in inputs'],
  ]);
  const declared = load(yaml(STEP, 'inputs:\n  - { name: port, label: The port that is taken, example: "8000" }\n'));
  assert.deepEqual(declared.warnings, []);
  const p = declared.playbook!;
  p.nodes[0] = { ...p.nodes[0]!, title: 'About {{ws-id}}' } as (typeof p.nodes)[number];
  const step = p.nodes[0]!;
  if (step.kind === 'step') step.commands.push({ run: 'kill <PID>', shell: 'any' });
  assert.deepEqual(placeholderProblems(p).map((x) => x.message), [
    '{{ws-id}} comes from the subject, and the playbook declares no subject',
    '"<PID>" looks like a placeholder; write {{name}} (declared in inputs when the subject cannot fill it)',
  ]);

  const dir = mkdtempSync(join(tmpdir(), 'lifeline-lint-'));
  try {
    writeFileSync(join(dir, 'ports.yaml'), yaml(STEP));
    const r = await cli(['playbooks', 'lint', dir], dir);
    assert.equal(r.code, 0, 'warnings do not fail the lint');
    assert.match(r.out, /ports\.yaml:11:12: warning: \{\{port\}\} is neither filled/);
    assert.match(r.out, /1 playbook, 2 warnings/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a command that needs a typed value is marked in the view with its input, and is filled once the user provides it', async () => {
  const p = load(yaml(STEP, 'inputs:\n  - { name: port, label: The port that is taken, example: "8000" }\n')).playbook!;
  const s = RecoverySession.start(p, new ScriptedWorkspace(), { id: 'i' });
  await s.advance();
  const ctx = { t: (m: string, ...a: (string | number | boolean)[]) => m.replace(/\{(\d+)\}/g, (_x, i: string) => String(a[Number(i)])), trusted: true, titleOf: () => undefined, platform: 'linux' as const };
  let v = panelView(p, s.state, ctx);
  assert.equal(v.current.title, 'Find what holds The port that is taken');
  assert.deepEqual(v.current.kind === 'step' && v.current.commands[0]!.missing, [{ name: 'port', label: 'The port that is taken', example: '8000' }]);
  assert.equal(v.current.kind === 'step' && v.current.commands[1]!.missing, undefined, 'the docker template needs nothing');
  await assert.rejects(s.provide('port', '80\n; rm -rf ~'), /one line/);
  await assert.rejects(s.provide('host', 'x'), /asks for no value called "host"/);
  await s.provide('port', '8000');
  v = panelView(p, s.state, ctx);
  assert.deepEqual(v.current.kind === 'step' && [v.current.commands[0]!.run, v.current.commands[0]!.missing], ['lsof -nP -iTCP:8000 -sTCP:LISTEN', undefined]);
  assert.deepEqual(fillCommand(p, s.state, s.currentNode, 0)!.missing, []);
});
