// A workspace whose .git/config names programs (an fsmonitor and a clean filter that leave a
// marker): opening the Stuck Workstreams view diagnoses it, with real git, and runs neither.
// This is what Restricted Mode promises ("diagnoses only") and what a cloned .git can carry.
// VS Code's own Git extension runs in the same host and does run them, so each program records
// the argv of the git that started it, and only Lifeline's calls count.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { lifeline, waitFor } from '../editor-helpers';

const root = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
const git = (...args: string[]) => execFileSync('git', args, { cwd: root(), encoding: 'utf8' });

suite('orchestration: a repository config that names programs', () => {
  test('the Stuck Workstreams view diagnoses it without running its fsmonitor or filters', async () => {
    const markers = mkdtempSync(join(tmpdir(), 'lifeline-host-markers-'));
    const fsmonitor = join(markers, 'fsmonitor');
    const filter = join(markers, 'filter');
    const record = (file: string) => `tr '\\0' ' ' < /proc/$PPID/cmdline >> '${file}'; echo >> '${file}'`;
    git('config', 'core.fsmonitor', `${record(fsmonitor)}; false`);
    git('config', 'filter.evil.process', record(filter));
    git('config', 'filter.evil.clean', `${record(filter)}; cat`);
    writeFileSync(join(root(), '.git', 'info', 'attributes'), '* filter=evil\n');
    // A changed file in the dirty worktree, so git (not only the in-process reader) is asked.
    writeFileSync(join(root(), '.worktrees', 'agent-2-ws-15', 'README.md'), '# edited in the host test\n');
    try {
      const api = await lifeline();
      await vscode.commands.executeCommand('workbench.view.extension.lifeline');
      const before = api.workstreams.lastDiagnosis;
      api.workstreams.refresh();
      await waitFor('a fresh diagnosis', async () => {
        const groups = await api.workstreams.getChildren();
        return api.workstreams.lastDiagnosis !== before && groups.length ? groups : undefined;
      }, 60_000);
      // Lifeline's git calls carry its status arguments (STATUS_ARGS) or its lock-down settings.
      const ours = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => /--ignore-submodules=none|core\.hooksPath=/.test(l)) : []);
      assert.deepEqual(ours(fsmonitor), [], 'core.fsmonitor ran for Lifeline');
      assert.deepEqual(ours(filter), [], 'the clean filter ran for Lifeline');
    } finally {
      git('config', '--unset', 'core.fsmonitor');
      git('config', '--remove-section', 'filter.evil');
      rmSync(join(root(), '.git', 'info', 'attributes'), { force: true });
      execFileSync('git', ['checkout', '--', 'README.md'], { cwd: join(root(), '.worktrees', 'agent-2-ws-15') });
      rmSync(markers, { recursive: true, force: true });
    }
  });
});
