// Which level of a setting counts: the most specific one the user set, and for a restricted
// setting in an untrusted workspace only the user's own (a cloned repository's do not count).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settingValue } from '../../../src/editor/setting-value';

test('the most specific level set wins; nothing set gives undefined (the default does not count)', () => {
  assert.equal(settingValue({ globalValue: 'g', workspaceValue: 'w', workspaceFolderValue: 'f' }, false, true), 'f');
  assert.equal(settingValue({ globalValue: 'g', workspaceValue: 'w' }, false, false), 'w');
  assert.equal(settingValue({}, false, true), undefined);
  assert.equal(settingValue(undefined, true, true), undefined);
});

test("a restricted setting takes only the user's value in an untrusted workspace", () => {
  const v = { globalValue: 'mine.db', workspaceValue: '../../elsewhere.db', workspaceFolderValue: 'repo.db' };
  assert.equal(settingValue(v, true, false), 'mine.db');
  assert.equal(settingValue({ workspaceValue: 'repo.db' }, true, false), undefined);
  assert.equal(settingValue(v, true, true), 'repo.db', 'trusted: the folder decides again');
});
