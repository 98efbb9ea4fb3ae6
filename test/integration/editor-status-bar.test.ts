// The status-bar entry in the real extension host: always a way into Recover from Failure, and
// a count of the failures noticed in this window that are still open.
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { lifeline } from './editor-helpers';
import type { Detections } from '../../src/editor/detections';

function notice(detections: Detections, n: number): void {
  detections.add({
    scenario: 'db-locked',
    title: 'Database is locked',
    fingerprint: `it-status-${n}`,
    source: 'terminal',
    evidence: [{ text: `sqlite3.OperationalError: database is locked (it-status-${n})` }],
    at: new Date(),
  });
}

function closeAll(detections: Detections): void {
  for (const d of detections.list()) detections.close(d.fingerprint);
}

suite('editor: status bar', () => {
  test('counts the open failures noticed in this window', async () => {
    const api = await lifeline();
    const item = api.statusBar;
    assert.equal(item.command, 'lifeline.recover', 'the entry opens Recover from Failure');
    closeAll(api.detections);
    assert.equal(api.detections.openCount, 0);
    assert.equal(item.text, '$(pulse) Lifeline');
    assert.match(String(item.tooltip), /^Lifeline: Recover from Failure/);
    assert.equal(item.backgroundColor, undefined);

    notice(api.detections, 1);
    notice(api.detections, 2);
    assert.equal(item.text, '$(warning) Lifeline: 2 failures');
    assert.match(String(item.tooltip), /^2 failures noticed in this window — Recover from Failure/);
    assert.equal(item.accessibilityInformation?.label, 'Lifeline, 2 open failures. Recover from failure.');
    assert.equal((item.backgroundColor as vscode.ThemeColor | undefined)?.id, 'statusBarItem.warningBackground');

    // The same failure again counts up its sightings, not the open failures.
    notice(api.detections, 2);
    assert.equal(item.text, '$(warning) Lifeline: 2 failures');
    notice(api.detections, 3);
    assert.equal(item.text, '$(warning) Lifeline: 3 failures');
    assert.match(String(item.tooltip), /^3 failures noticed in this window — Recover from Failure/);

    // A failure that went away (dismissed, or its test passed again) is no longer counted.
    api.detections.close('it-status-1');
    assert.equal(item.text, '$(warning) Lifeline: 2 failures');
    closeAll(api.detections);
    assert.equal(item.text, '$(pulse) Lifeline');
    assert.match(String(item.tooltip), /^Lifeline: Recover from Failure/);
    assert.equal(item.backgroundColor, undefined);
  });
});
