import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyText } from '../../../src/core/classification/classifier';
import { orchestratorLog } from '../../../scripts/demo/workspace.mjs';
import { builtInPlaybooks } from '../helpers';

test("the demo's orchestrator log (its own fatal line, then a MemoryError traceback) is an orchestrator crash", async () => {
  const r = classifyText(await builtInPlaybooks(), orchestratorLog(new Date('2026-12-01T20:00:00Z')), { source: 'log' });
  assert.equal(r.scenario, 'orchestrator-crash');
  assert.ok(r.evidence.some((e) => /orchestrator: unhandled exception/.test(e.text)), JSON.stringify(r.evidence));
});

test('the same rule for any orchestrator that logs its death, and not for one that stops normally or for other programs', async () => {
  const playbooks = await builtInPlaybooks();
  const crash = 'ERROR orchestrate: uncaught exception in scheduler loop\nTraceback (most recent call last):\n  File "run.py", line 3, in <module>\nMemoryError\n';
  assert.equal(classifyText(playbooks, crash, { source: 'terminal' }).scenario, 'orchestrator-crash');
  const other = 'Traceback (most recent call last):\n  File "train.py", line 3, in <module>\nMemoryError\n';
  assert.equal(classifyText(playbooks, other, { source: 'terminal' }).scenario, 'process-crash');
  const normal = 'INFO orchestrator: all 6 workstreams completed, shutting down\n';
  assert.notEqual(classifyText(playbooks, normal, { source: 'log' }).scenario, 'orchestrator-crash');
});
