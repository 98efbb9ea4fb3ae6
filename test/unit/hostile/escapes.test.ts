// Terminal escape injection: text from the database and from logs reaches a person's terminal
// with every control character, line break and bidi override shown escaped; JSON stays JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoWorkspace } from '../../../scripts/demo/workspace.mjs';
import { shown, shownLines } from '../../../src/core/text/shown';
import { cli } from './cli-io';

const HOSTILE = '\u001b]52;c;cHduZWQ=\u0007\u001bc\u001b[2J BOOM \u009b2J\b\u202etxt.exe\u001b]0;owned\u0007';
// eslint-disable-next-line no-control-regex -- looking for what must not reach the terminal
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

test('shown escapes C0, C1, DEL, line breaks and bidi controls, and nothing else', () => {
  assert.equal(shown('a\u001bcb'), 'a\\x1bcb');
  assert.equal(shown('x\ny\r\tz'), 'x\\ny\\r\\tz');
  assert.equal(shown('\u009b2J\u007f\u0007\b'), '\\x9b2J\\x7f\\x07\\x08');
  assert.equal(shown('abc\u202etxt.exe\u2066\u200f'), 'abc\\u202etxt.exe\\u2066\\u200f');
  assert.equal(shown('naïve 日本 😀 — ok'), 'naïve 日本 😀 — ok');
  assert.equal(shownLines('one\n\ttwo\u001b[2J'), 'one\n\ttwo\\x1b[2J');
  assert.doesNotMatch(shown(HOSTILE), RAW);
});

test('diagnose shows a hostile error_message and agent id escaped, and cannot be made to forge a suggestion', async () => {
  const base = mkdtempSync(join(tmpdir(), 'lifeline-esc-'));
  const { root, database } = createDemoWorkspace(join(base, 'repo'));
  const update =
    'import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\n' +
    'c.execute("UPDATE workstream_status SET error_message=? WHERE workstream_id=\'ws-27\'", (sys.argv[2],))\n' +
    'c.execute("UPDATE workstream_status SET agent_id=? WHERE workstream_id=\'ws-15\'", ("agent-2\\n  > lifeline fix branch.delete:main",))\n' +
    'c.commit()';
  execFileSync('python3', ['-c', update, database, HOSTILE]);
  const human = await cli(['diagnose', '--cwd', root], root);
  assert.equal(human.code, 0, human.err);
  assert.doesNotMatch(human.out, RAW, 'a control character reached the terminal');
  assert.match(human.out, /\\x1b\]52;c;cHduZWQ=\\x07\\x1bc/);
  assert.ok(!human.out.split('\n').some((l) => l.startsWith('  > lifeline fix branch.delete:main')), 'a forged suggestion line');
  const json = await cli(['diagnose', '--cwd', root, '--json'], root);
  const findings = (JSON.parse(json.out) as { findings: { detail: string }[] }).findings;
  assert.ok(findings.some((f) => f.detail.includes(HOSTILE)), 'JSON keeps the text as it is (JSON escapes it)');
});

test('classify shows evidence with ESC c, C1 CSI, BEL and BS escaped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-esc-'));
  writeFileSync(join(dir, 'out.log'), 'sqlite3.OperationalError: database is locked \u001bc\u009b2J\u0007\b\u202e\n');
  const r = await cli(['classify', join(dir, 'out.log')], dir);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /database is locked/);
  assert.doesNotMatch(r.out, RAW);
  assert.match(r.out, /\\x1bc\\x9b2J\\x07\\x08\\u202e/);
});

test('journal and undo show a tampered title, description and file name escaped', async () => {
  const base = mkdtempSync(join(tmpdir(), 'lifeline-esc-'));
  const { root } = createDemoWorkspace(join(base, 'repo'));
  const dir = join(root, '.state', 'lifeline-journal');
  mkdirSync(dir, { recursive: true });
  const id = '20261201T235959999Z-aaaaaa';
  writeFileSync(join(dir, `${id}.json`), JSON.stringify({ id, time: '2026-12-01T23:59:59.999Z', actionId: 'workstream.mark-failed:ws-15', title: `Mark failed ${HOSTILE}`, undo: { kind: 'none', reason: `nothing ${HOSTILE}` } }));
  // A file whose name is the hostile text: listed as not trusted, by name.
  writeFileSync(join(dir, `20261201T000000000Z-bbbbbb\u001b]0;x\u0007.json`), '{');
  const journal = await cli(['journal', '--cwd', root], root);
  assert.equal(journal.code, 0, journal.err);
  assert.match(journal.out, /Mark failed \\x1b\]52;c;cHduZWQ=\\x07/);
  assert.doesNotMatch(journal.out, RAW, 'a control character reached the terminal from the journal');
  const undo = await cli(['undo', id, '--cwd', root, '--yes'], root);
  assert.doesNotMatch(undo.out + undo.err, RAW);
  assert.match(undo.out + undo.err, /\\x1b\]52;c;cHduZWQ=\\x07/);
});

test('guide shows the workspace text escaped, at a terminal and in its text report', async () => {
  const base = mkdtempSync(join(tmpdir(), 'lifeline-esc-'));
  const { root, database } = createDemoWorkspace(join(base, 'repo'));
  const update =
    'import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\n' +
    'c.execute("UPDATE workstream_status SET error_message=? WHERE workstream_id=\'ws-27\'", (sys.argv[2],))\n' +
    'c.execute("UPDATE workstream_status SET agent_id=? WHERE workstream_id=\'ws-15\'", (sys.argv[3],))\n' +
    'c.commit()';
  execFileSync('python3', ['-c', update, database, `boom ${HOSTILE}`, 'agent-2\n  > lifeline fix branch.delete:main']);
  for (const stdin of [undefined, '']) {
    // undefined: a terminal (whose input ends at once); '': piped, so the text report.
    // Without a subject the guide lists the workstreams with what the database says of them.
    const r = await cli(['guide', 'orchestrator-crash', '--cwd', root], root, stdin);
    if (stdin === undefined) {
      assert.match(r.out, /ws-27 — ws-27 failed: boom \\x1b\]52;c;cHduZWQ=\\x07/, r.out);
      assert.match(r.out, /\(agent-2\\n {2}> lifeline fix branch\.delete:main\)/, r.out);
    }
    assert.doesNotMatch(r.out + r.err, RAW, `a control character reached the terminal (${stdin === undefined ? 'interactive' : 'report'})`);
    assert.ok(!(r.out + r.err).split('\n').some((l) => l.trimStart().startsWith('> lifeline fix branch.delete:main')), 'a forged line');
  }
});
