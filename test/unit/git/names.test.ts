import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { refNameProblem, resolveInside, workstreamIdProblem } from '../../../src/core/fixups/names';
import { displayPath, isInside } from '../../../src/core/fixups/contain';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';

/** git's own verdict: check-ref-format --allow-onelevel, as the reference we must never be laxer than. */
function gitAccepts(name: string): boolean {
  return spawnSync('git', ['check-ref-format', '--allow-onelevel', name]).status === 0;
}

test('ref names git rejects are rejected, with a reason', () => {
  for (const bad of ['', 'a..b', 'a b', 'a~1', 'a^', 'a:b', 'a?', 'a*', 'a[', 'a\\b', '/a', 'a/', 'a//b', 'a.', '.a', 'a/.b', 'x.lock', 'a/b.lock/c', '@', 'a@{1}', 'a\u0001b', 'a\u007fb']) {
    assert.ok(refNameProblem(bad), `accepted ${JSON.stringify(bad)}`);
    assert.equal(gitAccepts(bad), false, `git accepts ${JSON.stringify(bad)}, so the case is wrong`);
  }
});

test('names that read as options are rejected although git would take them as refs', () => {
  for (const name of ['-f', '--force', '-D', '--upload-pack=x', '-']) {
    assert.match(refNameProblem(name) ?? '', /must not start with "-"/);
  }
});

test('ordinary workstream branches, unicode included, are accepted', () => {
  for (const ok of ['main', 'ws/ws-15/agent-1', 'feature/ünïcødé', 'a.b_c-d', 'release/2.0']) {
    assert.equal(refNameProblem(ok), undefined, ok);
    assert.equal(gitAccepts(ok), true, ok);
  }
});

test('every name we accept, git accepts too (random names, checked by git itself)', () => {
  const alphabet = fc.constantFrom('a', 'Z', '0', '-', '.', '/', '@', '{', '~', '^', ':', ' ', '*', '[', '\\', 'é', '\u0007', '_', 'l', 'o', 'c', 'k');
  fc.assert(
    fc.property(fc.array(alphabet, { minLength: 1, maxLength: 12 }).map((a) => a.join('')), (name) => {
      if (refNameProblem(name) === undefined) assert.equal(gitAccepts(name), true, `we accept ${JSON.stringify(name)} but git does not`);
    }),
    { numRuns: 300 },
  );
});

test('workstream ids: letters, digits, ".", "_", "-"; no leading punctuation, no ".."', () => {
  for (const ok of ['ws-15', 'W.1_a', '0']) assert.equal(workstreamIdProblem(ok), undefined, ok);
  for (const bad of ['', '-f', '--force', '.x', 'a/b', 'a b', 'a..b', "x'; DROP TABLE", 'ws\n1', 'é']) assert.ok(workstreamIdProblem(bad), bad);
});

test('paths must stay inside the root or a listed worktree', () => {
  const root = resolve(tmpdir(), 'r');
  const outside = resolve(tmpdir(), 'elsewhere', 'wt');
  assert.equal(resolveInside(root, '.worktrees/a b'), join(root, '.worktrees', 'a b'));
  assert.equal(resolveInside(root, outside, [outside]), outside);
  assert.throws(() => resolveInside(root, '../etc'), /outside the repository/);
  assert.throws(() => resolveInside(root, outside), /outside the repository/);
  assert.throws(() => resolveInside(root, 'a\u0000b'), /control characters/);
  assert.ok(isInside(root, join(root, 'x', 'y')));
  assert.ok(!isInside(root, `${root}-sibling`));
  assert.equal(displayPath(root, join(root, '.worktrees', 'w')), '.worktrees/w');
  assert.equal(displayPath(root, outside), outside);
});
