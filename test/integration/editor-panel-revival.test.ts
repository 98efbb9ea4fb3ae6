// Panel revival after a reload, in the real extension host: VS Code hands the serializer a fresh
// webview panel and the state the page saved (the `persist` of the host's 'state' messages). A
// sound state brings the guide back where it stood; anything else is refused with a clear
// message in the log, and the panel is closed rather than left blank.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, lifeline, waitFor } from './editor-helpers';
import { readChannelLog } from './support';
import type { RecoveryPanel } from '../../src/editor/webview/recovery-panel';
import type { Features } from '../../src/editor/features';
import type { Trigger } from '../../src/core/decisions/state';

const PANEL_VIEW_TYPE = 'lifeline.recovery';

function trigger(fingerprint: string): Trigger {
  return { source: 'terminal', at: new Date().toISOString(), commandLine: 'python orchestrate.py', exitCode: 1, evidence: [{ text: 'sqlite3.OperationalError: database is locked', line: 3 }], fingerprint };
}

/** A panel as VS Code creates one for the serializer: the view type only, no options yet. */
function blankPanel(): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'Lifeline (restoring)', vscode.ViewColumn.Active, {});
}

/** What the page would have saved: the JSON round trip of setState/getState included. */
async function savedStateOfSettledGuide(subject: string): Promise<{ panel: RecoveryPanel; saved: Record<string, unknown> }> {
  const features = await (await lifeline()).features();
  const panel = await features.panels.openGuide('db-locked', { subject, trigger: trigger(`it-revival-${subject}`) });
  assert.ok(panel);
  await waitFor('the checks to answer themselves', () => panel.session.state.current === 'prevent');
  return { panel, saved: JSON.parse(JSON.stringify(panel.persisted())) as Record<string, unknown> };
}

/** What VS Code does after a reload: hands a panel and its saved state to the serializer. Returns the guides it opened. */
async function revive(features: Features, panel: vscode.WebviewPanel, state: unknown): Promise<RecoveryPanel[]> {
  const opened: RecoveryPanel[] = [];
  const sub = features.panels.onDidOpen((p) => opened.push(p));
  try {
    await features.panels.deserializeWebviewPanel(panel, state);
  } finally {
    sub.dispose();
  }
  return opened;
}

suite('editor: panel revival after a reload', () => {
  teardown(closeAllEditors);

  test('the serializer revives the guide from the state its page saved, at the same node', async () => {
    const api = await lifeline();
    const features = await api.features();
    const { panel: original, saved } = await savedStateOfSettledGuide('revival');
    assert.equal(saved.lifelinePanel, 1);
    assert.equal(saved.playbookId, 'db-locked');
    const before = original.session.state;
    // The reload: the old panel and its host are gone.
    original.dispose();
    await waitFor('the old panel to be gone', () => !features.panels.panels.includes(original));

    const webviewPanel = blankPanel();
    const opened = await revive(features, webviewPanel, saved);
    assert.equal(opened.length, 1, 'one guide revived');
    const revived = opened[0]!;
    assert.ok(features.panels.panels.includes(revived));
    assert.equal(revived.playbook.id, 'db-locked');
    const s = revived.session.state;
    assert.equal(s.id, before.id, 'the same session, not a new one');
    assert.equal(s.current, 'prevent');
    assert.equal(s.pending.kind, 'step');
    assert.equal(s.subject, 'revival');
    assert.equal(s.trigger?.fingerprint, 'it-revival-revival');
    assert.deepEqual(s.path, before.path, 'the answered checks come back with it');
    // The panel VS Code handed over now shows the guide, with scripts on.
    assert.equal(webviewPanel.webview.options.enableScripts, true);
    assert.match(webviewPanel.webview.html, /Content-Security-Policy/);
    assert.match(webviewPanel.webview.html, /Database is locked/);

    // It is tracked as that failure's guide: opening the same failure comes back to it.
    const again = await features.panels.openGuide('db-locked', { subject: 'revival', trigger: trigger('it-revival-revival') });
    assert.equal(again, revived);
    // And it carries on from there.
    await revived.request({ type: 'continue', requestId: 1, nodeId: 'prevent' });
    assert.equal(revived.session.state.current, 'done');
    // Closing the panel VS Code handed over ends the revived guide.
    webviewPanel.dispose();
    await waitFor('the revived guide to close with its panel', () => !features.panels.panels.includes(revived));
  });

  test('a malformed saved state is refused with a clear message and no guide', async () => {
    const api = await lifeline();
    const features = await api.features();
    const { panel, saved } = await savedStateOfSettledGuide('malformed');
    const session = saved.session as Record<string, unknown>;
    panel.dispose();
    const cases: [string, unknown, RegExp][] = [
      ['nothing saved', undefined, /no saved session/],
      ['not a Lifeline state', { hello: 'world' }, /no saved session/],
      ['an unknown guide', { ...saved, playbookId: 'no-such-guide' }, /the guide "no-such-guide" is no longer available/],
      ['a session that is not one', { ...saved, session: { ...session, current: 42 } }, /invalid recovery session state: current: /],
      ['a node the guide does not have', { ...saved, session: { ...session, current: 'no-such-node' } }, /stands at node "no-such-node", which playbook "db-locked" no longer has/],
      ['another guide’s session', { ...saved, playbookId: 'import-error' }, /saved session belongs to playbook "db-locked", not "import-error"/],
    ];
    for (const [what, state, reason] of cases) {
      const log = readChannelLog();
      const open = features.panels.panels.length;
      const webviewPanel = blankPanel();
      let closed = false;
      webviewPanel.onDidDispose(() => (closed = true));
      const opened = await revive(features, webviewPanel, state);
      assert.deepEqual(opened, [], `${what}: no guide may be revived`);
      assert.equal(features.panels.panels.length, open, `${what}: no guide may be revived`);
      await waitFor(`${what}: the panel to be closed`, () => closed);
      const added = await waitFor(`${what}: the reason in the log`, () => {
        const text = readChannelLog().slice(log.length);
        return /could not restore a recovery panel: .*/.exec(text)?.[0];
      });
      assert.match(added, reason, `${what}: the log must say why`);
    }
  });
});
