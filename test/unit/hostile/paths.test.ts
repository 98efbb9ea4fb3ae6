// Hostile state, D15, and the one containment rule itself: paths are judged after resolving
// symlinks (of the path, or of its nearest existing ancestor), so a link a cloned repository
// committed cannot lead Lifeline's reads or writes out of the workspace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containedPath, displayPath, isInside, PathRefused, realPathNearest } from '../../../src/core/fixups/contain';
import { cli } from '../fixups/cli-harness';
import { createDb } from '../database/helpers';
import type { Row } from '../database/helpers';
import { makeRepo } from '../git/helpers';
import type { TestRepo } from '../git/helpers';
import { hashTree, treeDiff } from './tree-hash';

const ROWS: Row[] = [['ws-1', 'running', 'agent-1', '2020-01-01 00:00:00', null, null, null, null]];
const SKIP = { skip: ['.git/index'] };

function workspace(t: { after(fn: () => void): void }): TestRepo {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  mkdirSync(join(repo.root, '.state'));
  createDb(join(repo.root, '.state', 'orchestration.db'), ROWS);
  return repo;
}

test('containedPath: inside, missing tails, links out, dangling links, the root, control characters', (t) => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'lifeline-contain-')));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  const root = join(base, 'ws');
  mkdirSync(join(root, 'a'), { recursive: true });
  mkdirSync(join(base, 'elsewhere'));
  symlinkSync(join(base, 'elsewhere'), join(root, 'out'));
  symlinkSync('a', join(root, 'in'));
  symlinkSync(join(base, 'nowhere'), join(root, 'dangling'));
  assert.equal(containedPath(root, 'a/x/y.db', 'database'), join(root, 'a', 'x', 'y.db'));
  assert.equal(containedPath(root, 'in/f', 'database'), join(root, 'a', 'f'), 'a link inside resolves to its target');
  const refused = (p: string, re: RegExp) => assert.throws(() => containedPath(root, p, 'journal'), (e: unknown) => e instanceof PathRefused && e.code === 'unsafe' && re.test(e.message), p);
  refused('out/j', /leads outside the workspace \(to .*elsewhere/);
  refused('out/not/yet/there', /leads outside the workspace/);
  refused('dangling', /dangling symbolic link/);
  refused('dangling/below', /dangling symbolic link/);
  refused('../ws-sibling', /not inside the workspace/);
  refused('.', /not inside the workspace/);
  refused('a\nb', /control characters/);
  assert.equal(containedPath(root, '.', 'specs folder', { allowRoot: true }), root);
  assert.equal(containedPath(root, 'out/j', 'journal', { textOnly: true }), join(root, 'out', 'j'), 'text only: links are judged later');
  assert.equal(realPathNearest(join(root, 'out', 'x', 'y')), join(base, 'elsewhere', 'x', 'y'));
  assert.equal(displayPath(root, join(root, 'a', 'f')), 'a/f');
  assert.equal(displayPath(root, root), '.');
  assert.equal(displayPath(root, join(base, 'elsewhere')), join(base, 'elsewhere'));
  // Case follows the platform: Linux file systems tell "A" from "a".
  assert.equal(isInside(join(root, 'A'), join(root, 'a', 'f')), process.platform === 'win32' || process.platform === 'darwin');
});

for (const [folder, what] of [
  ['backups', 'backups'],
  ['lifeline-journal', 'journal'],
] as const) {
  test(`${what} through a symlinked folder is refused before anything is written or changed (4)`, async (t) => {
    const repo = workspace(t);
    const elsewhere = join(repo.base, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(repo.root, '.state', folder));
    const before = hashTree(repo.base, SKIP);
    const r = await cli(['fix', 'workstream.mark-failed:ws-1', '--yes'], repo.root);
    assert.equal(r.code, 4, r.err + r.out);
    assert.match(r.err, new RegExp(`${what} path .* leads outside the workspace`));
    assert.deepEqual(readdirSync(elsewhere), []);
    assert.deepEqual(treeDiff(before, hashTree(repo.base, SKIP)), []);
    if (what === 'journal') assert.equal((await cli(['journal'], repo.root)).code, 4);
  });
}

test('undo refuses a backup that is a link to a database outside the workspace', async (t) => {
  const repo = workspace(t);
  const done = await cli(['fix', 'workstream.mark-failed:ws-1', '--yes'], repo.root);
  assert.equal(done.code, 0, done.err);
  const backups = join(repo.root, '.state', 'backups');
  const [stamp] = readdirSync(backups);
  const victim = join(repo.base, 'victim.db');
  copyFileSync(join(backups, stamp!, 'orchestration.db'), victim);
  rmSync(join(backups, stamp!, 'orchestration.db'));
  symlinkSync(victim, join(backups, stamp!, 'orchestration.db'));
  const before = hashTree(repo.base, SKIP);
  const r = await cli(['undo', '--yes'], repo.root);
  assert.equal(r.code, 4, r.err + r.out);
  assert.match(r.err, /backup path .* leads outside the workspace/);
  assert.deepEqual(treeDiff(before, hashTree(repo.base, SKIP)), []);
});

test('specsGlob outside the workspace is refused at load; through a symlinked folder it is one finding and nothing is read', async (t) => {
  const repo = workspace(t);
  const secret = join(repo.base, 'secret');
  mkdirSync(secret);
  writeFileSync(join(secret, 'ws-9.json'), '{"id": "ws-9", "depends_on": ["s3cr3t-T0KEN-value"]}\n');
  writeFileSync(join(repo.root, '.lifeline.json'), '{"specsGlob": "../secret/*"}');
  const up = await cli(['diagnose', '--json'], repo.root);
  assert.equal(up.code, 4, up.err);
  assert.match(up.err, /specsGlob folder path "\.\.\/secret" is not inside the workspace/);
  assert.doesNotMatch(up.out + up.err, /s3cr3t/);

  symlinkSync(secret, join(repo.root, 'specs'));
  writeFileSync(join(repo.root, '.lifeline.json'), '{"specsGlob": "specs/*"}');
  const linked = await cli(['diagnose', '--json'], repo.root);
  assert.equal(linked.code, 0, linked.err);
  assert.match(linked.out, /invalid-spec:specs\/\*/);
  assert.match(linked.out, /leads outside the workspace/);
  assert.doesNotMatch(linked.out, /s3cr3t/);

  // One spec file linked out of an ordinary folder: that file is a finding, its content unread.
  rmSync(join(repo.root, 'specs'));
  mkdirSync(join(repo.root, 'workstreams'));
  symlinkSync(join(secret, 'ws-9.json'), join(repo.root, 'workstreams', 'ws-9.json'));
  rmSync(join(repo.root, '.lifeline.json'));
  const file = await cli(['diagnose', '--json'], repo.root);
  assert.equal(file.code, 0, file.err);
  assert.match(file.out, /invalid-spec:workstreams\/ws-9\.json/);
  assert.doesNotMatch(file.out, /s3cr3t/);
});
