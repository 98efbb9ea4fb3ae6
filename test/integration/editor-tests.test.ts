// Test failures in the real extension host: a JUnit report written into the workspace becomes
// a diagnostic at the failing line with Lifeline's quick fixes; a passing report clears it, and
// so does a passing terminal re-run of that one test (but not a passing run of another file).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { lifeline, waitFor } from './editor-helpers';

const TEST_FILE = `import pytest

def add(a, b):
    return a - b

def test_add():
    assert add(2, 3) == 5

def test_ok():
    assert 1 == 1
`;

function report(failing: boolean): string {
  const failure = failing
    ? `<failure message="assert -1 == 5&#10; +  where -1 = add(2, 3)">def test_add():
&gt;       assert add(2, 3) == 5
E       assert -1 == 5

tests/test_calc.py:7: AssertionError</failure>`
    : '';
  return `<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="0" failures="${failing ? 1 : 0}" skipped="0" tests="2" time="0.1"><testcase classname="tests.test_calc" name="test_add" time="0.001">${failure}</testcase><testcase classname="tests.test_calc" name="test_ok" time="0.000" /></testsuite></testsuites>`;
}

/**
 * Writes the report and waits for `seen`; VS Code's file watchers go live asynchronously after
 * they are created, so a write in the first moments may pass unnoticed: the report is written
 * again (as a test runner rewriting it would) a few times before giving up.
 */
async function writeUntilSeen<T>(uri: vscode.Uri, text: string, seen: () => T | undefined | false): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    try {
      return await waitFor('the report to be read', seen, 4_000);
    } catch (e) {
      if (attempt === 4) throw e;
    }
  }
}

suite('editor: test failures', () => {
  test('a failing JUnit report becomes a diagnostic with quick fixes; a passing one clears it', async () => {
    const api = await lifeline();
    const root = vscode.workspace.workspaceFolders![0]!.uri;
    const testFile = vscode.Uri.joinPath(root, 'tests', 'test_calc.py');
    await vscode.workspace.fs.writeFile(testFile, new TextEncoder().encode(TEST_FILE));
    const reportUri = vscode.Uri.joinPath(root, 'test-results', 'junit.xml');
    const diags = await writeUntilSeen(reportUri, report(true), () => {
      const d = vscode.languages.getDiagnostics(testFile).filter((x) => x.source === 'Lifeline');
      return d.length ? d : undefined;
    });
    assert.equal(diags.length, 1);
    const d = diags[0]!;
    assert.equal(d.range.start.line, 6, 'at tests/test_calc.py:7, where the trace says it failed');
    assert.equal(d.code, 'lifeline.test-failure');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.match(d.message, /test_add — assert -1 == 5/);

    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(testFile));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', testFile, d.range, vscode.CodeActionKind.QuickFix.value);
    const ours = actions.filter((a) => a.title.startsWith('Lifeline'));
    assert.deepEqual(
      ours.map((a) => [a.title, Boolean(a.isPreferred)]),
      [
        ['Lifeline: open the "Tests failed" guide', true],
        ['Lifeline: re-run only this test (python -m pytest tests/test_calc.py::test_add)', false],
        ['Lifeline: tests broke after a merge? Find the merge', false],
      ],
    );
    const rerun = ours[1]!.command!;
    assert.equal(rerun.command, 'lifeline.rerunTest');
    assert.deepEqual((rerun.arguments![0] as { argv: string[] }).argv, ['python', '-m', 'pytest', 'tests/test_calc.py::test_add']);

    // The preferred fix opens the guide with the failing test as evidence.
    const features = await api.features();
    await vscode.commands.executeCommand(ours[0]!.command!.command, ...ours[0]!.command!.arguments!);
    const panel = await waitFor('the test-failure guide', () => features.panels.panels.find((p) => p.playbook.id === 'test-failure'));
    assert.match(panel.session.state.trigger?.evidence[0]?.text ?? '', /test_add: assert -1 == 5/);
    panel.dispose();

    await writeUntilSeen(reportUri, report(false), () => vscode.languages.getDiagnostics(testFile).filter((x) => x.source === 'Lifeline').length === 0);
  });

  test('a passing re-run of the one test clears the report\'s diagnostic; a passing run of another file leaves it', async () => {
    const api = await lifeline();
    const features = await api.features();
    const root = vscode.workspace.workspaceFolders![0]!.uri;
    // A file and report of its own, so the first test's report (still watched) cannot touch it.
    const testFile = vscode.Uri.joinPath(root, 'tests', 'test_rerun.py');
    await vscode.workspace.fs.writeFile(testFile, new TextEncoder().encode(TEST_FILE));
    // Outside the watched globs: read here, once, so the watcher cannot race the terminal runs.
    const reportUri = vscode.Uri.joinPath(root, 'reports', 'rerun-report.xml');
    await vscode.workspace.fs.writeFile(reportUri, new TextEncoder().encode(report(true).replace(/test_calc/g, 'test_rerun')));
    assert.deepEqual(await features.testResults.ingestReport(reportUri), { ok: true, failed: 1 });
    const ours = () => vscode.languages.getDiagnostics(testFile).filter((x) => x.source === 'Lifeline');
    const [d] = await waitFor('the diagnostic from the report', () => (ours().length ? ours() : undefined));

    // What a terminal shows for `pytest` without -v: no test names, only the count.
    const passed = (n: number) => `============================= test session starts ==============================\ncollected ${n} item\n\ntests/x.py .                                                     [100%]\n\n============================== ${n} passed in 0.01s ===============================\n`;
    const runInTerminal = async (commandLine: string, output: string) => {
      const run = features.output.begin({ source: 'task', commandLine, cwd: root });
      run.write(output);
      await run.finish(0);
    };

    await runInTerminal('python3 -m pytest tests/test_other.py', passed(1));
    await runInTerminal('uv run pytest tests/test_rerun.py::test_ok', passed(1));
    assert.equal(ours().length, 1, 'green runs of another file or another test say nothing about test_add');

    // The quick fix's own command line, run as its task would run it.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(testFile));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', testFile, d!.range, vscode.CodeActionKind.QuickFix.value);
    const rerun = actions.find((a) => a.command?.command === 'lifeline.rerunTest')!.command!;
    const { argv } = rerun.arguments![0] as { argv: string[] };
    assert.deepEqual(argv, ['python', '-m', 'pytest', 'tests/test_rerun.py::test_add']);
    await runInTerminal(argv.join(' '), passed(1));
    await waitFor('the diagnostic to clear', () => ours().length === 0);
    assert.ok(!features.base.testProblems.failing.some((p) => p.uri?.toString() === testFile.toString()));
  });

  test('a failure that cannot be placed in a file keeps its notice until a green run of the whole suite', async () => {
    const api = await lifeline();
    const features = await api.features();
    const root = vscode.workspace.workspaceFolders![0]!.uri;
    const run = async (commandLine: string, output: string, code: number) => {
      const r = features.output.begin({ source: 'task', commandLine, cwd: root });
      r.write(output);
      await r.finish(code);
    };
    const failing = 'FAILED tests/nowhere/test_gone.py::test_lost - AssertionError: assert 1 == 2\n========================= 1 failed in 0.02s =========================\n';
    await run('python3 -m pytest', failing, 1);
    const notice = () => api.detections.list().find((d) => d.fingerprint === 'tests|terminal:pytest');
    await waitFor('the failure notice', () => notice() && !notice()!.closed);
    await run('python3 -m pytest tests/test_other.py', '========================= 1 passed in 0.01s =========================\n', 0);
    assert.ok(!notice()?.closed, 'a green run of one file says nothing about the rest');
    await run('python3 -m pytest', '========================= 7 passed in 0.01s =========================\n', 0);
    await waitFor('the notice to close', () => notice()?.closed === true);
  });

  test('a broken report changes nothing and is logged, not shown as problems', async () => {
    const api = await lifeline();
    const features = await api.features();
    const root = vscode.workspace.workspaceFolders![0]!.uri;
    const uri = vscode.Uri.joinPath(root, 'test-results', 'TEST-broken.xml');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('<testsuites><testsuite name="x"><testcase name="a">'));
    const r = await features.testResults.ingestReport(uri);
    assert.equal(r.ok, false);
    assert.match(r.error ?? '', /^test-results\/TEST-broken\.xml:\d+: /);
    assert.equal(vscode.languages.getDiagnostics(uri).length, 0);
  });
});
