// The extension's messages are ready for translation: package.json points VS Code at l10n/, and
// the committed source bundle holds every message the code passes to vscode.l10n (regenerate it
// with `npm run l10n` after changing a message).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error: a plain ES module script without types
import { collectMessages } from '../../../scripts/l10n.mjs';

const root = join(__dirname, '..', '..', '..');

test('package.json names the l10n folder, and its bundle holds every message the code shows', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { l10n?: string };
  assert.equal(pkg.l10n, './l10n');
  const committed = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
  const found = collectMessages() as Record<string, string>;
  const missing = Object.keys(found).filter((m) => !(m in committed));
  assert.deepEqual(missing, [], 'messages missing from l10n/bundle.l10n.json: run `npm run l10n`');
  assert.deepEqual(Object.keys(committed).filter((m) => !(m in found)), [], 'stale messages in l10n/bundle.l10n.json: run `npm run l10n`');
  // Spot checks from three kinds of source: a literal l10n.t call, a `t` parameter, a core table.
  assert.ok('Open guide' in committed);
  assert.ok('Put in terminal' in committed);
  assert.ok('Prune worktree entries whose directories are gone (git worktree prune).' in committed);
});

test('counts are worded with real plural forms (one message per form), never "(s)"', () => {
  const found = Object.keys(collectMessages() as Record<string, string>);
  assert.deepEqual(found.filter((m) => /\w\(s\)/.test(m)), []);
  assert.ok(found.includes('1 failure') && found.includes('{0} failures'));
});
