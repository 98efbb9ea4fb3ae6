// A repository whose .git/config names programs (fsmonitor, filters, textconv, external diff,
// hooks, pager, editor, signing): `lifeline diagnose` reads it and runs none of them. Diagnosis
// is what Restricted Mode allows and what agents call on folders nobody trusted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoWorkspace } from '../../../scripts/demo/workspace.mjs';
import { git } from '../git/helpers';
import { cli } from './cli-io';
import { hashTree, treeDiff } from './tree-hash';
import { GitRunner } from '../../../src/core/git/runner';

/** A demo workspace whose config runs a marker-writing command for each program git could start. */
export function hostileRepository(): { root: string; markers: string } {
  const base = mkdtempSync(join(tmpdir(), 'lifeline-gitexec-'));
  const markers = join(base, 'markers');
  mkdirSync(markers);
  const { root } = createDemoWorkspace(join(base, 'repo'));
  const mark = (name: string): string => `echo ran >> '${join(markers, name)}'`;
  const hooks = join(base, 'hooks');
  mkdirSync(hooks);
  for (const hook of ['pre-commit', 'post-checkout', 'post-index-change', 'reference-transaction', 'pre-auto-gc', 'post-rewrite', 'fsmonitor-watchman']) {
    writeFileSync(join(hooks, hook), `#!/bin/sh\n${mark(`hook-${hook}`)}\n`);
    chmodSync(join(hooks, hook), 0o755);
  }
  const settings: [string, string][] = [
    ['core.fsmonitor', `${mark('fsmonitor')}; false`],
    ['filter.evil.clean', `${mark('filter-clean')}; cat`],
    ['filter.evil.smudge', `${mark('filter-smudge')}; cat`],
    ['filter.evil.process', mark('filter-process')],
    ['filter.evil.required', 'true'],
    ['diff.evil.textconv', `${mark('textconv')}; cat`],
    ['diff.external', mark('diff-external')],
    ['core.hooksPath', hooks],
    ['core.pager', mark('pager')],
    ['core.editor', mark('editor')],
    ['log.showSignature', 'true'],
    ['gpg.program', mark('gpg')],
    ['core.untrackedCache', 'false'],
  ];
  for (const [k, v] of settings) git(root, 'config', k, v);
  // Attributes from .git/info (they arrive with the .git folder, like the config).
  writeFileSync(join(root, '.git', 'info', 'attributes'), '* filter=evil diff=evil\n');
  // Content git must re-read (and so filter) to answer status: edited files with new mtimes.
  const wt = join(root, '.worktrees', 'agent-2-ws-15');
  writeFileSync(join(wt, 'README.md'), '# edited\n');
  writeFileSync(join(root, 'README.md'), '# edited at the root\n');
  return { root, markers };
}

test('diagnose runs nothing the repository configures (fsmonitor, filters, textconv, hooks, pager, gpg)', async () => {
  const { root, markers } = hostileRepository();
  const before = hashTree(root, { skip: ['.git/index', '.git/worktrees'] });
  const human = await cli(['diagnose', '--cwd', root], root);
  const json = await cli(['diagnose', '--cwd', root, '--json'], root);
  assert.deepEqual(readdirSync(markers), [], 'a configured program ran');
  // It still diagnosed: the dirty ws-15 worktree and the failed ws-27 are found.
  assert.equal(json.code, 0, json.err);
  const findings = (JSON.parse(json.out) as { findings: { subject: string }[] }).findings.map((f) => f.subject);
  assert.ok(findings.some((s) => s.includes('ws-27')), findings.join(', '));
  assert.match(human.out, /ws-15/);
  assert.deepEqual(treeDiff(before, hashTree(root, { skip: ['.git/index', '.git/worktrees'] })), []);
});

test('every git call is locked down, including diff and log, and a caller cannot configure git', async () => {
  const { root, markers } = hostileRepository();
  const g = new GitRunner(root);
  await g.out(['--no-optional-locks', 'status', '--porcelain=v1', '-z']);
  await g.out(['diff', 'HEAD']);
  await g.out(['log', '-1', '-p', '--format=%H']);
  assert.deepEqual(readdirSync(markers), []);
  await assert.rejects(g.run(['-c', 'core.fsmonitor=touch x', 'status']), /refused: git option -c/);
  await assert.rejects(g.run(['--exec-path=/tmp', 'status']), /refused/);
  assert.equal(existsSync(join(root, 'x')), false);
});

test('a filter whose name cannot be switched off by -c is refused, not run', async () => {
  const { root, markers } = hostileRepository();
  git(root, 'config', 'filter.x=y.clean', `echo ran >> '${join(markers, 'eq-filter')}'; cat`);
  writeFileSync(join(root, '.git', 'info', 'attributes'), '* filter=x=y\n');
  await assert.rejects(new GitRunner(root).run(['--no-optional-locks', 'status', '--porcelain=v1']), /refused: the repository's config names a filter \("x=y"\)/);
  assert.deepEqual(readdirSync(markers), []);
});

test('guide --json (its checks answer themselves), fix --dry-run and classify run nothing the repository configures either', async () => {
  const { root, markers } = hostileRepository();
  writeFileSync(join(root, 'build.log'), 'sqlite3.OperationalError: database is locked\n');
  const before = hashTree(root, { skip: ['.git/index', '.git/worktrees'] });
  const runs = [
    ['guide', 'worktree-corruption', '--json', '--cwd', root],
    ['guide', 'agent-hang', '--json', '--cwd', root, '--subject', 'ws-15'],
    ['guide', 'orchestrator-crash', '--json', '--cwd', root],
    ['fix', 'worktree.save-wip:.worktrees/agent-2-ws-15', '--dry-run', '--cwd', root],
    ['fix', 'worktree.remove:.worktrees/agent-2-ws-15', '--dry-run', '--cwd', root],
    ['fix', 'branch.merge:ws/ws-15/agent-2', '--dry-run', '--cwd', root],
    ['fix', 'worktree.prune', '--dry-run', '--cwd', root],
    ['classify', join(root, 'build.log')],
  ];
  for (const args of runs) {
    const r = await cli(args, root);
    // 4: a dry run may be refused (main has the edited README); refusing runs nothing either.
    assert.ok([0, 1, 4].includes(r.code), `${args.join(' ')}: exit ${r.code}: ${r.err}`);
    assert.deepEqual(readdirSync(markers), [], `a configured program ran for: lifeline ${args.join(' ')}`);
  }
  // The walks did get answers from git (the checks ran, locked down).
  const walk = JSON.parse((await cli(['guide', 'agent-hang', '--json', '--cwd', root, '--subject', 'ws-15'], root)).out) as { path: unknown[] };
  assert.ok(walk.path.length > 0, 'the guide answered no check by itself');
  assert.deepEqual(readdirSync(markers), []);
  assert.deepEqual(treeDiff(before, hashTree(root, { skip: ['.git/index', '.git/worktrees'] })), []);
});
