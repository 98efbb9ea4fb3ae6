// Fenced blocks: what they hold, and how shell blocks split into verbatim commands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fenceKind, shellOf, snippetCommand, splitCommands } from '../../../src/core/importer/fences';

test('a PowerShell pipeline with a script block stays one command, its comment the description', () => {
  const block = [
    '# List all worktrees',
    'git worktree list',
    '',
    '# Remove each agent worktree',
    'git worktree list | Select-String ".worktrees" | ForEach-Object {',
    "    $path = ($_ -split '\\s+')[0]",
    '    git worktree remove $path --force',
    '}',
    '',
    '# Prune any orphaned references',
    'git worktree prune',
    '',
  ].join('\n');
  const { commands, notes } = splitCommands(block, 'powershell');
  assert.deepEqual(
    commands.map((c) => c.run),
    ['git worktree list', block.split('\n').slice(4, 8).join('\n'), 'git worktree prune'],
  );
  assert.deepEqual(
    commands.map((c) => c.description),
    ['List all worktrees', 'Remove each agent worktree', 'Prune any orphaned references'],
  );
  assert.ok(commands.every((c) => c.shell === 'powershell'));
  assert.deepEqual(notes, []);
});

test('comment groups that describe no single command become notes, verbatim', () => {
  const { commands, notes } = splitCommands('sqlite3 x.db "SELECT 1"\n\n# Example output:\n# ws-15|running\n', 'bash');
  assert.deepEqual(commands.map((c) => c.run), ['sqlite3 x.db "SELECT 1"']);
  assert.deepEqual(notes, ['# Example output:', '# ws-15|running']);
});

test('several comment lines right above a command all describe it', () => {
  const { commands, notes } = splitCommands('# Orchestrator will:\n# - Skip completed workstreams\n# - Resume\n.\\scripts\\run.ps1 -Resume\n', 'powershell');
  assert.deepEqual(commands, [{ run: '.\\scripts\\run.ps1 -Resume', shell: 'powershell', description: 'Orchestrator will:\n- Skip completed workstreams\n- Resume' }]);
  assert.deepEqual(notes, []);
});

test('a bash function with a case statement is one command; trailing comments stay on their line', () => {
  const fn = ['handle() {', '    case $1 in', '        1|2)  # minor', '            echo minor', '            ;;', '        *)', '            echo other', '            ;;', '    esac', '}'].join('\n');
  const { commands } = splitCommands(`${fn}\ncd ../..  # back to the root\n`, 'bash');
  assert.deepEqual(commands.map((c) => c.run), [fn, 'cd ../..  # back to the root']);
});

test('continuations, heredocs, open quotes and if/fi keep lines together', () => {
  const cont = 'kubectl create secret generic s \\\n  --from-literal=a=b \\\n  --dry-run=client -o yaml | kubectl apply -f -';
  const heredoc = "cat <<'EOF' > notes.txt\nline one\n# not a comment\nEOF";
  const quote = 'git commit -m "first line\nsecond line"';
  const cond = 'if [ -f x ]; then\n  rm x\nfi';
  const pipe = 'ps aux |\n  grep node';
  const { commands } = splitCommands([cont, heredoc, quote, cond, pipe, 'echo done'].join('\n'), 'bash');
  assert.deepEqual(commands.map((c) => c.run), [cont, heredoc, quote, cond, pipe, 'echo done']);
});

test('SQL statements run until their semicolon', () => {
  const { commands } = splitCommands('-- the stuck ones\nSELECT *\n  FROM workstream_status\n  WHERE status = \'running\';\nVACUUM;\n', 'sql');
  assert.deepEqual(commands.map((c) => c.run), ["SELECT *\n  FROM workstream_status\n  WHERE status = 'running';", 'VACUUM;']);
  assert.equal(commands[0]!.description, 'the stuck ones');
});

test('fence kinds: shells are commands, trees and procedures are read, diagrams and data are prose', () => {
  assert.equal(fenceKind('powershell', 'git status\n'), 'commands');
  assert.equal(fenceKind('', 'npm ci\n'), 'commands');
  assert.equal(fenceKind('python', 'def f():\n    pass\n'), 'snippet');
  assert.equal(fenceKind('', 'Has commits?\n├─ YES → Step 3\n└─ NO → Step 4\n'), 'tree');
  assert.equal(fenceKind('', '1. Stop\n2. Look\n   - closely\n3. Go\n'), 'procedure');
  assert.equal(fenceKind('text', 'plain words\n'), 'prose');
  assert.equal(fenceKind('', '   [Start]\n      |\n   [End]\n'), 'prose');
  assert.equal(fenceKind('json', '{"a": 1}\n'), 'prose');
  assert.equal(fenceKind('markdown', '## Title\n'), 'prose');
  assert.equal(shellOf('ps1'), 'powershell');
  assert.equal(shellOf('sh'), 'bash');
  assert.equal(shellOf('sqlite'), 'sql');
  assert.equal(shellOf(''), 'any');
});

test('a snippet is offered whole, as written', () => {
  const code = 'def f(x):\n    # keep\n    return x\n';
  assert.deepEqual(snippetCommand(`\n${code}\n`), { run: code.trimEnd(), shell: 'any' });
});
