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

    // The checks run by themselves against this workspace (a plain repository, no database):
    // nobody holds the database and there is no WAL, so the walk goes on to prevention.
    const settled = await waitFor('the checks to answer themselves', () => (panel.session.state.current === 'prevent' ? panel.session.state : undefined));
    const checks = settled.path.filter((p) => p.result.type === 'check').map((p) => [p.nodeId, p.result.type === 'check' ? `${p.result.answer} by ${p.result.by}` : '']);
    assert.deepEqual(checks, [
      ['in-use', 'no by probe'],
      ['hot-wal', 'no by probe'],
    ]);
    assert.equal(settled.pending.kind, 'step');

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
    await waitFor('the checks to settle', () => panel.session.state.current === 'prevent');
    const before = JSON.stringify(panel.session.state);
    await assert.rejects(panel.request({ type: 'continue', requestId: 1, nodeId: 'stop-writer' }), /moved on|not waiting/);
    await assert.rejects(panel.request({ type: 'choose', requestId: 2, nodeId: 'in-use', index: 0 }), /not waiting|moved on/);
    assert.equal(JSON.stringify(panel.session.state), before);
  });
});
