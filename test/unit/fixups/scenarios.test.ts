import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MERGE_CONFLICT_SCENARIO, SCENARIO_FOR } from '../../../src/core/fixups/scenarios';
import { splitCommandLine, testArgv } from '../../../src/core/git/fixups/find-culprit';

test('every finding kind hands over to a built-in playbook that exists', () => {
  const dir = join(__dirname, '..', '..', '..', 'playbooks');
  for (const [kind, id] of Object.entries(SCENARIO_FOR)) assert.ok(existsSync(join(dir, `${id}.yaml`)), `${kind} -> ${id}.yaml is missing`);
  assert.ok(existsSync(join(dir, `${MERGE_CONFLICT_SCENARIO}.yaml`)));
});

test('a test command line splits into argv without any shell meaning', () => {
  assert.deepEqual(splitCommandLine('pytest tests/core -k "rollback and not slow"'), ['pytest', 'tests/core', '-k', 'rollback and not slow']);
  assert.deepEqual(splitCommandLine("npm test -- --grep 'a b' ''"), ['npm', 'test', '--', '--grep', 'a b', '']);
  assert.deepEqual(splitCommandLine('echo $HOME; rm -rf / | cat > x'), ['echo', '$HOME;', 'rm', '-rf', '/', '|', 'cat', '>', 'x']);
  assert.deepEqual(splitCommandLine('C:\\tools\\py.exe "C:\\a b\\t.py" x\\ y'), ['C:\\tools\\py.exe', 'C:\\a b\\t.py', 'x y']);
  assert.throws(() => splitCommandLine('pytest "unclosed'), /unclosed quote/);
  assert.deepEqual(testArgv({ action: 'merge.find-culprit', params: { testCommand: 'node -e "process.exit(1)"' } }), ['node', '-e', 'process.exit(1)']);
  assert.deepEqual(testArgv({ action: 'merge.find-culprit', params: { test: '["a","b c"]' } }), ['a', 'b c']);
  assert.throws(() => testArgv({ action: 'merge.find-culprit', params: { testCommand: '   ' } }), /non-empty/);
  assert.throws(() => testArgv({ action: 'merge.find-culprit', params: { test: '{"x":1}' } }), /non-empty list/);
});
