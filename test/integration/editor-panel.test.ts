// The recovery panel in the real extension host: opening a guide, the walk through checks,
// steps and fix-ups, the reports on the clipboard, and the webview's HTML rules.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, lifeline, waitFor } from './editor-helpers';

suite('editor: recovery panel', () => {
  teardown(closeAllEditors);

  test('lifeline.openGuide opens one panel per failure and walks the guide', async () => {
    const api = await lifeline();
    const features = await api.features();
    const trigger = { source: 'terminal', at: new Date().toISOString(), commandLine: 'python orchestrate.py', exitCode: 1, evidence: [{ text: 'sqlite3.OperationalError: database is locked', line: 7 }], fingerprint: 'it-db-locked' };
    await vscode.commands.executeCommand('lifeline.openGuide', 'db-locked', { trigger });
    const panel = await waitFor('a recovery panel', () => features.panels.panels.find((p) => p.playbook.id === 'db-locked'));
    // Same failure again: the same panel comes forward, no second one.
    await vscode.commands.executeCommand('lifeline.openGuide', 'db-locked', { trigger });
    assert.equal(features.panels.panels.filter((p) => p.playbook.id === 'db-locked').length, 1);

    // The first node is a check; it runs by itself. Without an answer from the workspace it asks.
    const asked = await waitFor('the check to settle', () => {
      const s = panel.session.state;
      return s.pending.kind !== 'checking' && s.pending.kind !== 'step' ? s : undefined;
    });
    assert.equal(asked.current, 'in-use');
    if (asked.pending.kind === 'ask') await panel.request({ type: 'answer', requestId: 1, nodeId: 'in-use', answer: 'yes' });
    assert.equal(panel.session.state.current, 'stop-writer');
    await panel.request({ type: 'continue', requestId: 2, nodeId: 'stop-writer' });
    // Back at the check: this time nobody else uses it; the WAL holds unmerged work.
    const again = await waitFor('the check again', () => (panel.session.state.pending.kind === 'ask' || panel.session.state.current !== 'in-use' ? panel.session.state : undefined));
    if (again.current === 'in-use') await panel.request({ type: 'answer', requestId: 7, nodeId: 'in-use', answer: 'no' });
    await waitFor('the WAL check', () => panel.session.state.current !== 'in-use' && panel.session.state.pending.kind !== 'checking');
    if ((panel.session.state.current as string) === 'hot-wal') await panel.request({ type: 'answer', requestId: 8, nodeId: 'hot-wal', answer: 'yes' });
    await waitFor('the fix-up preview', () => panel.session.state.pending.kind === 'confirm');
    assert.equal(panel.session.state.current, 'checkpoint');

    await panel.request({ type: 'copy', requestId: 3, what: 'report' });
    const report = await vscode.env.clipboard.readText();
    assert.match(report, /^## Failure Report: Database is locked$/m);
    assert.match(report, /^- \*\*Severity\*\*: 3 \(Major\)/m);
    assert.match(report, /^7: sqlite3\.OperationalError: database is locked$/m);
    assert.match(report, /Command: `python orchestrate\.py` \(exit code 1\)/);

    await panel.request({ type: 'copy', requestId: 4, what: 'analysis' });
    const analysis = JSON.parse(await vscode.env.clipboard.readText()) as Record<string, unknown>;
    assert.equal(analysis.scenario, 'db-locked');
    assert.equal(analysis.recoverable, true);
    assert.deepEqual(analysis.evidence, ['sqlite3.OperationalError: database is locked']);

    await panel.request({ type: 'copy', requestId: 5, what: 'command', nodeId: 'stop-writer', index: 0 });
    assert.match(await vscode.env.clipboard.readText(), /^Get-Process python/);
    await assert.rejects(panel.request({ type: 'copy', requestId: 6, what: 'command', nodeId: 'checkpoint', index: 0 }), /not part of this guide/);
  });

  test('stale and malformed requests change nothing', async () => {
    const api = await lifeline();
    const features = await api.features();
    const panel = await features.panels.openGuide('db-locked', { subject: 'stale-test' });
    assert.ok(panel);
    await waitFor('the check to settle', () => panel.session.state.pending.kind !== 'checking' && panel.session.state.pending.kind !== 'step');
    const before = JSON.stringify(panel.session.state);
    await assert.rejects(panel.request({ type: 'continue', requestId: 1, nodeId: 'stop-writer' }), /moved on|not waiting/);
    await assert.rejects(panel.request({ type: 'choose', requestId: 2, nodeId: 'in-use', index: 0 }), /not waiting|moved on/);
    assert.equal(JSON.stringify(panel.session.state), before);
  });
});
