import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinCommandLine, shellArgv, splitCommandLine } from '../../../src/core/shell/command-line';

test('simple command lines split like a shell would, quotes and escapes included', () => {
  assert.deepEqual(splitCommandLine('pytest -x tests/test_calc.py::test_add'), { ok: true, argv: ['pytest', '-x', 'tests/test_calc.py::test_add'] });
  assert.deepEqual(splitCommandLine(`git commit -m "fix: it's \\"done\\""`), { ok: true, argv: ['git', 'commit', '-m', `fix: it's "done"`] });
  assert.deepEqual(splitCommandLine("npx jest -t 'adds two numbers'"), { ok: true, argv: ['npx', 'jest', '-t', 'adds two numbers'] });
  assert.deepEqual(splitCommandLine('ls my\\ dir ""'), { ok: true, argv: ['ls', 'my dir', ''] });
  assert.deepEqual(splitCommandLine('a~b'), { ok: true, argv: ['a~b'] });
});

test('anything that needs a shell is said to need one, never half-run', () => {
  for (const line of ['npm test | tee log', 'make && make install', 'echo $HOME', 'rm *.pyc', 'echo "$(whoami)"', 'cmd > out.txt', 'a; b', 'cd ~', 'echo `id`']) {
    assert.deepEqual(splitCommandLine(line), { ok: false, reason: 'needs-shell' }, line);
  }
  assert.deepEqual(splitCommandLine('echo "unclosed'), { ok: false, reason: 'unclosed-quote' });
  assert.deepEqual(splitCommandLine('   '), { ok: false, reason: 'empty' });
});

test('on Windows a backslash is a path separator', () => {
  assert.deepEqual(splitCommandLine('python C:\\work\\run.py "C:\\Program Files\\x"', true), { ok: true, argv: ['python', 'C:\\work\\run.py', 'C:\\Program Files\\x'] });
});

test("the user's shell gets the whole line as one argument", () => {
  assert.deepEqual(shellArgv('/bin/bash', 'npm test | tee log'), ['/bin/bash', '-c', 'npm test | tee log']);
  assert.deepEqual(shellArgv('C:\\Program Files\\PowerShell\\7\\pwsh.exe', 'dir'), ['C:\\Program Files\\PowerShell\\7\\pwsh.exe', '-NoProfile', '-Command', 'dir']);
  assert.deepEqual(shellArgv('C:\\Windows\\System32\\cmd.exe', 'dir'), ['C:\\Windows\\System32\\cmd.exe', '/d', '/s', '/c', 'dir']);
});

test('joinCommandLine writes argv that splitCommandLine reads back unchanged (the lifeline task line)', () => {
  const cases = [
    ['python', '-m', 'pytest', 'tests/test_calc.py::test_x[1-2]'],
    ['npx', 'jest', 'src/a.test.js', '-t', '^math add adds \\(two\\) numbers$'],
    ['go', 'test', './...', '-run', '^TestA$/^b c$', '-count=1'],
    ['echo', "it's", "a 'b' $c", ''],
  ];
  for (const argv of cases) assert.deepEqual(splitCommandLine(joinCommandLine(argv)), { ok: true, argv }, JSON.stringify(argv));
  // Windows reads backslashes literally: a word with both ' and \ must still come back whole.
  const windows = [...cases, ['npx', 'jest', "C:\\r\\o'b.test.js", '-t', "^it doesn't a\\.b$"]];
  for (const argv of windows) assert.deepEqual(splitCommandLine(joinCommandLine(argv), true), { ok: true, argv }, `windows: ${JSON.stringify(argv)}`);
  assert.equal(joinCommandLine(['pytest', 'tests/a.py::test_x']), 'pytest tests/a.py::test_x');
});
