// Watching commands in the real extension host: a `lifeline` task (pseudoterminal) and a
// terminal with shell integration both feed the engine; the notification names the failure;
// the third sighting offers the loop guide; a forbidden command is warned about and not run; a
// terminal without shell integration is noticed.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { lifeline, waitFor } from './editor-helpers';
import { readChannelLog } from './support';

const FAIL_LOCKED = `python3 -c "import sys; print('sqlite3.OperationalError: database is locked'); sys.exit(1)"`;

suite('editor: terminal and task watching', () => {
  // Earlier suites' notifications would hold these tests' first ones behind the interval; the
  // pacing itself is unit-tested (notification-pacer), what is tested here is once per failure.
  const notifications = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('lifeline.notifications');
  suiteSetup(() => notifications().update('minIntervalSeconds', 0, vscode.ConfigurationTarget.Workspace));
  suiteTeardown(() => notifications().update('minIntervalSeconds', undefined, vscode.ConfigurationTarget.Workspace));

  test('Run Command with Lifeline recognises the failure, notifies once, and offers the loop guide on the third strike', async function () {
    this.timeout(90_000);
    const api = await lifeline();
    const f = await api.features();
    await f.notifier.resetMuted();
    const runs = f.output.finished.length;
    for (let i = 1; i <= 3; i++) {
      const done = new Promise<{ scenario: string | undefined; exitCode: number | undefined }>((resolve) => {
        const sub = f.output.onDidFinish((r) => {
          sub.dispose();
          resolve(r);
        });
      });
      await vscode.commands.executeCommand('lifeline.runWithLifeline', FAIL_LOCKED);
      const r = await done;
      assert.equal(r.scenario, 'db-locked');
      assert.equal(r.exitCode, 1);
    }
    assert.equal(f.output.finished.length, runs + 3);
    const d = api.detections.list().find((x) => x.scenario === 'db-locked' && x.source === 'task');
    assert.ok(d);
    assert.equal(d.count, 3);
    assert.equal(d.commandLine, FAIL_LOCKED);
    const shown = f.notifier.shown.filter((s) => s.fingerprint === d.fingerprint);
    assert.deepEqual(
      shown.map((s) => s.kind),
      ['failure', 'third-strike'],
      'one notification for the failure, then one for the third strike — not one per run',
    );
    assert.match(shown[0]!.message, /^Looks like Database is locked — sqlite3\.OperationalError: database is locked$/);
    // The third strike's guide answers its check from what this window saw.
    await f.notifier.respond(d, 'open', 'third-strike');
    const panel = await waitFor('the loop guide', () => f.panels.panels.find((p) => p.playbook.id === 'infinite-loop'));
    await waitFor('its check', () => panel.session.state.path.some((p) => p.result.type === 'check' && p.result.probe === 'repeat.third-strike' && p.result.answer === 'yes'));
    panel.dispose();
    // "Don't show for this" mutes that fingerprint.
    await f.notifier.respond(d, 'mute');
    assert.equal(f.notifier.muted(d.fingerprint), true);
  });

  test('a command that clearly failed but matches no playbook is noticed as an unrecognised error and offers the triage guide', async function () {
    this.timeout(90_000);
    const api = await lifeline();
    const f = await api.features();
    await f.notifier.resetMuted();
    const command = `python3 -c "raise RuntimeError('the frobnicator jammed (it-unrecognised)')"`;
    const done = new Promise<{ scenario: string | undefined; exitCode: number | undefined }>((resolve) => {
      const sub = f.output.onDidFinish((r) => {
        if (!r.commandLine.includes('it-unrecognised')) return;
        sub.dispose();
        resolve(r);
      });
    });
    await vscode.commands.executeCommand('lifeline.runWithLifeline', command);
    const r = await done;
    assert.equal(r.exitCode, 1);
    assert.equal(r.scenario, 'triage', 'no playbook names it, but it failed: the triage guide');
    const d = api.detections.list().find((x) => x.commandLine === command);
    assert.ok(d, 'recorded among the noticed failures');
    assert.equal(d.scenario, 'triage');
    assert.equal(d.failureType, 'error');
    assert.equal(d.title, 'Unrecognised error: python3 exited with code 1');
    // The evidence is the lines that show the failure (the traceback), not just the last lines.
    assert.deepEqual(
      d.evidence.map((e) => e.text),
      ['Traceback (most recent call last):', 'RuntimeError: the frobnicator jammed (it-unrecognised)'],
    );
    // The notification says so (it may wait behind the interval after an earlier test's).
    const shown = await waitFor('the notification', () => f.notifier.shown.find((s) => s.fingerprint === d.fingerprint), 45_000);
    assert.equal(shown.message, 'Looks like Unrecognised error: python3 exited with code 1 — Traceback (most recent call last):');
    // "Open guide" opens the triage guide about this failure.
    await f.notifier.respond(d, 'open');
    const panel = await waitFor('the triage guide', () => f.panels.panels.find((p) => p.playbook.id === 'triage' && p.session.state.trigger?.fingerprint === d.fingerprint));
    assert.match(panel.session.state.trigger?.evidence[1]?.text ?? '', /frobnicator jammed/);
    panel.dispose();
  });

  test('a command that exits 0 after printing a traceback (a retry that recovered) is not a failure', async function () {
    this.timeout(60_000);
    const api = await lifeline();
    const f = await api.features();
    const command = `python3 -c "print('Traceback (most recent call last):'); print('RuntimeError: flaky (it-recovered), retrying'); print('ok')"`;
    const done = new Promise<{ scenario: string | undefined; exitCode: number | undefined }>((resolve) => {
      const sub = f.output.onDidFinish((r) => {
        if (!r.commandLine.includes('it-recovered')) return;
        sub.dispose();
        resolve(r);
      });
    });
    await vscode.commands.executeCommand('lifeline.runWithLifeline', command);
    const r = await done;
    assert.equal(r.exitCode, 0);
    assert.equal(r.scenario, undefined);
    assert.equal(api.detections.list().find((x) => x.commandLine === command), undefined);
  });

  test('a forbidden command is warned about with the reason and does not run until confirmed', async () => {
    const api = await lifeline();
    const f = await api.features();
    const before = f.output.finished.length;
    const hits = await f.output.checkCommandLine('alembic stamp head', false);
    assert.ok(hits.length >= 1);
    assert.match(hits[0]!.reason, /stamp/i);
    await vscode.commands.executeCommand('lifeline.runWithLifeline', 'alembic stamp head');
    await waitFor('the warning', () => f.notifier.shown.some((s) => s.kind === 'forbidden' && s.message.includes('alembic stamp head')));
    await new Promise((r) => setTimeout(r, 1_000));
    // Several guides forbid it; the user gets one warning that says so, not one per guide.
    const warnings = f.notifier.shown.filter((s) => s.kind === 'forbidden' && s.message.includes('alembic stamp head'));
    assert.equal(warnings.length, 1, warnings.map((w) => w.message).join('\n'));
    assert.match(warnings[0]!.message, /and \d+ more\)$/);
    assert.equal(f.output.finished.length, before, 'nothing ran: the task waits for Enter');
    await vscode.commands.executeCommand('workbench.action.tasks.terminate', 'terminateAll');
  });

  test('a terminal with shell integration streams into the engine', async function () {
    this.timeout(60_000);
    const api = await lifeline();
    const f = await api.features();
    const terminal = vscode.window.createTerminal({ name: 'lifeline-it', shellPath: '/bin/bash' });
    try {
      const si = await waitFor('shell integration', () => terminal.shellIntegration, 30_000);
      const done = new Promise<{ scenario: string | undefined; commandLine: string }>((resolve) => {
        const sub = f.output.onDidFinish((r) => {
          if (!r.commandLine.includes('ModuleNotFoundError')) return;
          sub.dispose();
          resolve(r);
        });
      });
      si.executeCommand(`python3 -c "import sys; print(\\"ModuleNotFoundError: No module named 'requests_it'\\"); sys.exit(1)"`);
      const r = await done;
      assert.equal(r.scenario, 'import-error');
      const d = api.detections.list().find((x) => x.source === 'terminal' && x.scenario === 'import-error');
      assert.ok(d);
      assert.equal(d.exitCode, 1);
      assert.match(d.evidence[0]!.text, /No module named 'requests_it'/);
    } finally {
      terminal.dispose();
    }
  });

  test('a terminal without shell integration is noticed and Run Command with Lifeline is offered', async function () {
    this.timeout(40_000);
    await lifeline();
    const before = readChannelLog();
    // sh gets no shell integration from VS Code (only bash, zsh, fish and pwsh do).
    const terminal = vscode.window.createTerminal({ name: 'lifeline-plain-sh', shellPath: '/bin/sh' });
    try {
      const said = await waitFor(
        'the hint in the Lifeline log',
        () => /terminal "lifeline-plain-sh" has no shell integration/.test(readChannelLog().slice(before.length)),
        25_000,
      );
      assert.ok(said);
      assert.equal(terminal.shellIntegration, undefined);
    } finally {
      terminal.dispose();
    }
    // Once it is closed, the title-bar offer goes with it.
    await waitFor('the offer withdrawn', () => /every open terminal has shell integration again/.test(readChannelLog().slice(before.length)), 10_000);
  });
});
