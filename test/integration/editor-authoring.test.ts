// Playbooks and runbooks in the real extension host: a Markdown runbook dropped into the
// workspace's playbook folder (which did not exist when the window opened) is listed by Recover
// from Failure and its symptom in terminal output opens its guide, linked back to the runbook's
// lines; a broken YAML playbook shows Problems at the right line and column, and clears when
// fixed; edits reload the catalogue with a log line; Import Runbook writes what its preview showed;
// Preview Guide follows the file being edited.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import { closeAllEditors, EXTENSION_ID, lifeline, waitFor } from './editor-helpers';
import { readChannelLog } from './support';
import { recoverItems } from '../../src/editor/recover-command';
import type { Features } from '../../src/editor/features';

/** The sample runbook the unit tests read too: two scenarios, one with a <placeholder>. */
const RUNBOOK = readFileSync(join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'test', 'fixtures', 'runbooks', 'cache-runbook.md'), 'utf8');

const BROKEN = `lifeline: 1
id: disk-full
title: Disk is full
severty: 3
failureType: error
recoverable: true
recoverableReason: free space
nodes:
  - id: look
    kind: step
    title: Look
    nxt: done
  - id: done
    kind: end
    title: Done
    outcome: resolved
`;

function root(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the integration host opens a workspace folder');
  return folder.uri.fsPath;
}

const playbookDir = (): string => join(root(), '.lifeline', 'playbooks');

async function ids(f: Features): Promise<string[]> {
  return (await f.catalog.all()).map((p) => p.id);
}

suite('editor: playbook authoring', () => {
  teardown(async () => {
    await closeAllEditors();
    rmSync(join(root(), '.lifeline'), { recursive: true, force: true });
    rmSync(join(root(), 'docs'), { recursive: true, force: true });
    const f = await (await lifeline()).features();
    await waitFor('the catalogue without the workspace playbooks', async () => !(await ids(f)).some((id) => ['queue-backs-up', 'disk-full', 'redis-refuses-connections'].includes(id)));
  });

  test('a .md runbook dropped into the playbook folder appears in Recover from Failure and its symptom in terminal output opens its guide', async function () {
    this.timeout(90_000);
    const api = await lifeline();
    const f = await api.features();
    assert.equal(existsSync(playbookDir()), false, 'the folder does not exist when the test starts');
    await f.catalog.all();

    mkdirSync(playbookDir(), { recursive: true });
    writeFileSync(join(playbookDir(), 'cache.md'), RUNBOOK);
    await waitFor('the runbook in the catalogue', async () => (await ids(f)).includes('queue-backs-up'));
    assert.ok((await ids(f)).includes('redis-refuses-connections'));
    assert.ok((await ids(f)).includes('db-locked'), 'the built-ins are still there');
    assert.match(readChannelLog(), /loaded \d+ playbooks \(2 from the workspace\) in \d+ ms \(\.lifeline(?:\/playbooks\S*)? (?:created|changed)\)/);

    // Recover from Failure lists it with the built-ins, under its category.
    const items = recoverItems(api.detections.list(), await f.catalog.all());
    const item = items.find((i) => 'playbookId' in i && i.playbookId === 'queue-backs-up');
    assert.ok(item, 'listed by Recover from Failure');
    assert.equal(item.label, 'Queue backs up');

    // Its symptom, printed by a command, is recognised and opens its guide.
    await f.notifier.resetMuted();
    const done = new Promise<{ scenario: string | undefined }>((resolve) => {
      const sub = f.output.onDidFinish((r) => {
        if (!r.commandLine.includes('QueueFullError')) return;
        sub.dispose();
        resolve(r);
      });
    });
    await vscode.commands.executeCommand('lifeline.runWithLifeline', `python3 -c "import sys; print('worker 3: QueueFullError: jobs waiting over limit (4096)'); sys.exit(1)"`);
    assert.equal((await done).scenario, 'queue-backs-up');
    const d = await waitFor('the detection', () => api.detections.list().find((x) => x.scenario === 'queue-backs-up'));
    assert.ok(f.notifier.shown.some((s) => s.fingerprint === d.fingerprint && /Queue backs up/.test(s.message)), 'the notification names the runbook scenario');
    await f.notifier.respond(d, 'open');
    const panel = await waitFor('its guide', () => f.panels.panels.find((p) => p.playbook.id === 'queue-backs-up'));

    // The guide keeps the runbook's commands and links each step back to its line.
    const view = panel.view();
    assert.equal(view.current.kind, 'step');
    assert.equal(view.current.source, 'cache.md:14');
    assert.deepEqual(view.current.kind === 'step' ? view.current.commands.map((c) => c.run) : [], ['redis-cli llen jobs']);
    await panel.request({ type: 'openSource', requestId: 1, nodeId: view.current.nodeId });
    const editor = await waitFor('the runbook at the step', () => (vscode.window.activeTextEditor?.document.uri.fsPath.endsWith('cache.md') ? vscode.window.activeTextEditor : undefined));
    assert.equal(editor.selection.active.line, 13);
    // The next step's <PID> is asked for before the command can go to a terminal.
    await panel.request({ type: 'continue', requestId: 2, nodeId: view.current.nodeId });
    const stop = panel.view();
    assert.equal(stop.current.source, 'cache.md:15');
    const kill = stop.current.kind === 'step' ? stop.current.commands[0] : undefined;
    assert.equal(kill?.run, 'kill {{pid}}');
    assert.deepEqual(kill?.missing?.map((m) => m.label), ['PID']);
    await panel.request({ type: 'provide', requestId: 3, name: 'pid', value: '4242' });
    const filled = panel.view().current;
    assert.equal(filled.kind === 'step' ? filled.commands[0]!.run : '', 'kill 4242');
    panel.dispose();
  });

  test('an invalid YAML playbook shows Problems at the right lines, and editing it reloads', async function () {
    this.timeout(60_000);
    const f = await (await lifeline()).features();
    mkdirSync(playbookDir(), { recursive: true });
    const file = join(playbookDir(), 'disk-full.yaml');
    writeFileSync(file, BROKEN);
    const uri = vscode.Uri.file(file);

    // Not open in any editor: the failed load itself shows in Problems.
    const problems = await waitFor('Problems for the broken playbook', () => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.length ? d : undefined;
    });
    const byLine = problems.map((d) => [d.range.start.line, d.range.start.character, d.range.end.character, d.message, d.source]);
    assert.deepEqual(byLine, [
      [3, 0, 7, '`severty` is not a playbook field — did you mean `severity`?', 'Lifeline'],
      [11, 4, 7, 'node "look": `nxt` is not a field of a step node — did you mean `next`?', 'Lifeline'],
    ]);
    assert.ok(problems.every((d) => d.severity === vscode.DiagnosticSeverity.Error));
    assert.equal((await ids(f)).includes('disk-full'), false);

    // Fixed on disk: the Problems clear and the playbook loads.
    writeFileSync(file, BROKEN.replace('severty', 'severity').replace('nxt', 'next'));
    await waitFor('the playbook loaded', async () => (await ids(f)).includes('disk-full'));
    await waitFor('the Problems cleared', () => vscode.languages.getDiagnostics(uri).length === 0);
    assert.match(readChannelLog(), /\(\.lifeline\/playbooks(?:\/disk-full\.yaml)? (?:changed|created|changed while it was read)\)/);

    // Edited again: the catalogue follows.
    writeFileSync(file, BROKEN.replace('severty', 'severity').replace('nxt', 'next').replace('title: Disk is full', 'title: The disk is full'));
    await waitFor('the new title', async () => (await f.catalog.get('disk-full'))?.title === 'The disk is full');

    // Open and typed into (unsaved): Problems follow the editor's text, at the line typed.
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(4, 0, 4, 'failureType: error'.length), 'failureTyp: error');
    await vscode.workspace.applyEdit(edit);
    const live = await waitFor('Problems as typed', () => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.length ? d : undefined;
    });
    assert.equal(live[0]!.range.start.line, 4);
    assert.match(live[0]!.message, /^`failureTyp` is not a playbook field — did you mean `failureType`\?$/);
  });

  test('Import Runbook writes what its preview showed', async function () {
    this.timeout(60_000);
    const f = await (await lifeline()).features();
    mkdirSync(join(root(), 'docs'), { recursive: true });
    const runbook = join(root(), 'docs', 'cache-runbook.md');
    writeFileSync(runbook, RUNBOOK);

    const { plan, preview } = await f.authoring.planImport(vscode.Uri.file(runbook));
    // The preview names each scenario, its symptoms, its steps with their lines and commands, and the files.
    for (const line of [
      '## Redis refuses connections',
      '- id: `redis-refuses-connections` (line 3)',
      '  - `redis: cache-node-7 refused the handshake`',
      '  1. Check whether redis runs: `redis-cli ping` (line 7)',
      '     - `redis-cli ping`',
      '## Queue backs up',
      '  - `QueueFullError: jobs waiting over limit`',
      '     - `kill {{pid}}`',
      '- asks for: PID (`{{pid}}`)',
      '- `.lifeline/playbooks/redis-refuses-connections.yaml`',
      '- `.lifeline/playbooks/queue-backs-up.yaml`',
    ]) {
      assert.ok(preview.split('\n').includes(line), `the preview shows ${JSON.stringify(line)}\n${preview}`);
    }

    const written = await f.authoring.applyImport(plan, 'yaml');
    assert.deepEqual(written.map((u) => vscode.workspace.asRelativePath(u)).sort(), ['.lifeline/playbooks/queue-backs-up.yaml', '.lifeline/playbooks/redis-refuses-connections.yaml']);
    // What was written is what the preview listed: the same symptoms and commands, scenario by scenario.
    for (const p of plan.playbooks) {
      const yaml = parse(readFileSync(join(playbookDir(), `${p.id}.yaml`), 'utf8')) as { id: string; symptoms: { pattern: string }[]; nodes: { commands?: { run: string }[] }[] };
      assert.equal(yaml.id, p.id);
      for (const s of yaml.symptoms) assert.ok(preview.includes(`\`${s.pattern}\``), s.pattern);
      for (const c of yaml.nodes.flatMap((n) => n.commands ?? [])) assert.ok(preview.includes(`- \`${c.run}\``), c.run);
    }
    await waitFor('the imported playbooks loaded', async () => (await ids(f)).includes('queue-backs-up') && (await ids(f)).includes('redis-refuses-connections'));

    // Importing again replaces nothing.
    const again = await f.authoring.planImport(vscode.Uri.file(runbook));
    assert.ok(again.plan.yaml.every((y) => y.exists));
    assert.match(again.preview, /queue-backs-up\.yaml` — exists already, left as it is/);
    assert.deepEqual(await f.authoring.applyImport(again.plan, 'yaml'), []);

    // Keeping the Markdown copies the runbook itself into the folder.
    rmSync(playbookDir(), { recursive: true, force: true });
    const kept = await f.authoring.applyImport((await f.authoring.planImport(vscode.Uri.file(runbook))).plan, 'markdown');
    assert.deepEqual(kept.map((u) => vscode.workspace.asRelativePath(u)), ['.lifeline/playbooks/cache-runbook.md']);
    assert.equal(readFileSync(join(playbookDir(), 'cache-runbook.md'), 'utf8'), RUNBOOK);
    await waitFor('the kept runbook loaded', async () => (await ids(f)).includes('queue-backs-up'));
  });

  test('Preview Guide shows the open playbook file and follows its edits', async function () {
    this.timeout(60_000);
    const f = await (await lifeline()).features();
    mkdirSync(playbookDir(), { recursive: true });
    // A file no earlier test opened: VS Code keeps a closed document's text for a while.
    const file = join(playbookDir(), 'disk-space.yaml');
    writeFileSync(file, BROKEN.replace('severty', 'severity').replace('nxt', 'next'));
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('lifeline.previewGuide');
    const key = doc.uri.toString();
    const panel = await waitFor('the preview', () => f.panels.preview(key));
    assert.equal(panel.view().scenario.title, 'Disk is full');
    assert.equal(panel.view().current.source, 'disk-space.yaml:9');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), key, 'the editor keeps the keyboard');

    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(10, 0, 10, '    title: Look'.length), '    title: Look at df -h');
    await vscode.workspace.applyEdit(edit);
    await waitFor('the edited step in the preview', () => f.panels.preview(key)?.view().current.title === 'Look at df -h');
    // A broken edit keeps the last good guide; Problems say why.
    const breakIt = new vscode.WorkspaceEdit();
    breakIt.replace(doc.uri, new vscode.Range(3, 0, 3, 'severity'.length), 'severty');
    await vscode.workspace.applyEdit(breakIt);
    await waitFor('Problems', () => vscode.languages.getDiagnostics(doc.uri).length > 0);
    assert.equal(f.panels.preview(key)?.view().current.title, 'Look at df -h');
  });
});
