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
import { closeAllEditors, lifeline, waitFor } from '../editor-helpers';
import type { WorkstreamNode } from '../../../src/editor/tree/workstreams-provider';
import type { LifelineApi } from '../../../src/extension';
import { undoItems } from '../../../src/editor/undo-command';
import type { JournalEntry } from '../../../src/core/fixups/types';

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

/** A fresh diagnosis and every row of the view, with its tree item. */
async function rows(api: LifelineApi): Promise<{ node: WorkstreamNode; item: vscode.TreeItem }[]> {
  await vscode.commands.executeCommand('workbench.view.extension.lifeline');
  const before = api.workstreams.lastDiagnosis;
  api.workstreams.refresh();
  // The diagnosis runs when the view asks for its children.
  const groups = await waitFor('a fresh diagnosis', async () => {
    const g = await api.workstreams.getChildren();
    return api.workstreams.lastDiagnosis !== before && g.length ? g : undefined;
  }, 60_000);
  const out: { node: WorkstreamNode; item: vscode.TreeItem }[] = [];
  for (const g of groups) {
    for (const n of await api.workstreams.getChildren(g)) out.push({ node: n, item: api.workstreams.getTreeItem(n) });
  }
  return out;
}

const py = (code: string, ...args: string[]) => execFileSync('python3', ['-c', code, join(root(), '.state', 'orchestration.db'), ...args], { encoding: 'utf8' });
// eslint-disable-next-line no-control-regex -- what must not reach the editor's UI
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

suite('orchestration: hostile state in the editor', () => {
  teardown(closeAllEditors);

  test("a guide's checks answer themselves without running the repository's fsmonitor or filters", async function () {
    this.timeout(180_000);
    const markers = mkdtempSync(join(tmpdir(), 'lifeline-host-markers-'));
    const fsmonitor = join(markers, 'fsmonitor');
    const filter = join(markers, 'filter');
    const record = (file: string) => `tr '\\0' ' ' < /proc/$PPID/cmdline >> '${file}'; echo >> '${file}'`;
    git('config', 'core.fsmonitor', `${record(fsmonitor)}; false`);
    git('config', 'filter.evil.clean', `${record(filter)}; cat`);
    writeFileSync(join(root(), '.git', 'info', 'attributes'), '* filter=evil\n');
    writeFileSync(join(root(), '.worktrees', 'agent-2-ws-15', 'README.md'), '# edited in the host test\n');
    try {
      const features = await (await lifeline()).features();
      const panel = await features.panels.openGuide('agent-hang', { subject: 'ws-15', trigger: { source: 'manual', at: new Date().toISOString(), evidence: [] } });
      assert.ok(panel);
      // Past its two steps, the walk asks git (through the diagnosis) whether the edited worktree is dirty.
      for (const step of ['find-process', 'inspect-work']) {
        await waitFor(`the ${step} step`, () => panel.session.state.current === step && panel.session.state.pending.kind === 'step', 60_000);
        await panel.request({ type: 'continue', requestId: 1, nodeId: step });
      }
      const dirty = await waitFor('the dirty check answered by its probe', () => panel.session.state.path.find((e) => e.nodeId === 'dirty' && e.result.type === 'check' && e.result.by === 'probe'), 60_000);
      assert.ok(dirty.result.type === 'check' && dirty.result.answer === 'yes', JSON.stringify(dirty.result));
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

  test("the view does not trust a worktree whose .git names another repository, and offers nothing that runs git in it", async function () {
    this.timeout(120_000);
    const victim = mkdtempSync(join(tmpdir(), 'lifeline-host-victim-'));
    execFileSync('git', ['init', '-q', '-b', 'main', victim]);
    writeFileSync(join(victim, 'victim-only.txt'), 'not ours\n');
    const dotgit = join(root(), '.worktrees', 'agent-2-ws-15', '.git');
    const original = readFileSync(dotgit, 'utf8');
    writeFileSync(dotgit, `gitdir: ${join(victim, '.git')}\n`);
    try {
      const api = await lifeline();
      const all = await rows(api);
      const foreign = all.find((r) => r.node.type === 'row' && r.node.row.finding.kind === 'foreign-worktree');
      assert.ok(foreign, all.map((r) => String(r.item.label)).join(', '));
      assert.equal(foreign.item.label, '.worktrees/agent-2-ws-15');
      const tip = (foreign.item.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
      assert.match(tip, /is not trusted: it has a .git file that names .*lifeline-host-victim-/);
      const findings = api.workstreams.lastDiagnosis!.findings;
      assert.ok(!JSON.stringify(findings).includes('victim-only'), "the other repository's files were read as the worktree's");
      for (const f of findings) for (const a of f.actions) assert.ok(!a.id.endsWith(':.worktrees/agent-2-ws-15'), `${a.id} offered for the foreign worktree`);
    } finally {
      writeFileSync(dotgit, original);
      rmSync(victim, { recursive: true, force: true });
    }
  });

  test('names and messages from the database and the journal are shown escaped in the tree and the Undo quick pick', async function () {
    this.timeout(120_000);
    const agent = 'agent-2\u202e\u001b[2J\n  > lifeline fix branch.delete:main';
    const error = 'boom \u202egnp.exe\u001b]0;owned\u0007 end';
    const was = py('import sqlite3,sys,json\nc=sqlite3.connect(sys.argv[1])\nprint(json.dumps([c.execute("select agent_id from workstream_status where workstream_id=\'ws-15\'").fetchone()[0], c.execute("select error_message from workstream_status where workstream_id=\'ws-27\'").fetchone()[0]]))');
    const set = 'import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nc.execute("update workstream_status set agent_id=? where workstream_id=\'ws-15\'", (sys.argv[2],))\nc.execute("update workstream_status set error_message=? where workstream_id=\'ws-27\'", (sys.argv[3],))\nc.commit()';
    py(set, agent, error);
    try {
      const api = await lifeline();
      const all = await rows(api);
      const ws15 = all.find((r) => r.item.label === 'ws-15');
      const ws27 = all.find((r) => r.item.label === 'ws-27');
      assert.ok(ws15 && ws27, all.map((r) => String(r.item.label)).join(', '));
      for (const r of [ws15, ws27]) {
        const texts = [String(r.item.label), String(r.item.description ?? ''), (r.item.tooltip as vscode.MarkdownString).value, r.item.accessibilityInformation?.label ?? ''];
        for (const t of texts) assert.doesNotMatch(t, RAW, `raw control or bidi character in ${JSON.stringify(t)}`);
      }
      const tip15 = (ws15.item.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
      assert.match(tip15, /agent-2\\u202e\\x1b\[2J\\n {2}> lifeline fix branch.delete:main/);
      const tip27 = (ws27.item.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
      assert.match(tip27, /boom \\u202egnp.exe\\x1b]0;owned\\x07 end/);
    } finally {
      const [a, e] = JSON.parse(was) as [string, string];
      py(set, a, e);
    }
    // A journal entry is data from disk: its title and what undo does are shown escaped.
    const entry = {
      id: '20261202T000000000Z-aaaaaa',
      time: '2026-12-02T00:00:00.000Z',
      actionId: 'workstream.mark-failed:ws-15',
      title: 'Mark ws-15 failed\u202e\u001b]52;c;eA==\u0007\nforged',
      undo: { kind: 'none', reason: 'nothing\u202e to undo\u001bc' },
    } as unknown as JournalEntry;
    const [item] = undoItems([entry]);
    assert.ok(item);
    assert.equal(item.label, 'Mark ws-15 failed\\u202e\\x1b]52;c;eA==\\x07\\nforged');
    assert.equal(item.detail, 'nothing\\u202e to undo\\x1bc');
  });
});
