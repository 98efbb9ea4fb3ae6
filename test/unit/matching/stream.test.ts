import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileMatcher } from '../../../src/core/matching/matcher';
import { SymptomStream, scanText } from '../../../src/core/matching/stream';
import type { SymptomMatch } from '../../../src/core/matching/stream';
import { parsePlaybook } from '../../../src/core/playbooks/loader';
import type { Playbook } from '../../../src/core/playbooks/model';

function playbook(id: string, symptoms: string): Playbook {
  const text = `lifeline: 1\nid: ${id}\ntitle: ${id}\nseverity: 2\nfailureType: error\nrecoverable: true\nrecoverableReason: r\nsymptoms:\n${symptoms}\nnodes:\n  - { id: e, kind: end, title: e, outcome: resolved }\n`;
  const r = parsePlaybook(text, `${id}.yaml`);
  if (!r.playbook) throw new Error(JSON.stringify(r.errors));
  return r.playbook;
}

const PLAYBOOKS = [
  playbook('locked', "  - { pattern: '\\bdatabase is locked\\b', weight: 90 }"),
  playbook('failed', "  - { pattern: '\\b\\d+ failed\\b', unless: '\\b0 failed\\b', weight: 40 }"),
];
const matcher = compileMatcher(PLAYBOOKS);

function summary(ms: readonly SymptomMatch[]): string[] {
  return ms.map((m) => `${m.playbookId}@${m.line}+${m.offset}:${m.text}`);
}

function streamed(chunks: (string | Uint8Array)[]): SymptomStream {
  const s = new SymptomStream(matcher);
  for (const c of chunks) s.write(c);
  s.end();
  return s;
}

test('matches carry the line, its offset and the cleaned text', () => {
  const s = scanText(matcher, 'ok\nstill ok\nsqlite3.OperationalError: database is locked\n');
  assert.deepEqual(summary(s.matches), ['locked@3+12:sqlite3.OperationalError: database is locked']);
});

test('a line split across chunks, and a character split across byte chunks, still match', () => {
  const bytes = new TextEncoder().encode('é database is lo');
  const s = streamed([bytes.slice(0, 1), bytes.slice(1), 'cked\n']);
  assert.deepEqual(summary(s.matches), ['locked@1+0:é database is locked']);
});

test('ANSI colours and OSC sequences are stripped before matching', () => {
  const s = scanText(matcher, '\u001b[31mError:\u001b[0m database \u001b[1mis\u001b[22m locked\u001b]0;title\u0007\n');
  assert.deepEqual(summary(s.matches), ['locked@1+0:Error: database is locked']);
});

test('a carriage-return redraw keeps only what is left on screen', () => {
  assert.equal(scanText(matcher, 'copying 10%\rcopying 90%\rdatabase is locked\n').matches.length, 1);
  assert.equal(scanText(matcher, 'database is locked\rretrying... ok      \n').matches.length, 0);
});

test('CRLF line endings behave like LF', () => {
  const crlf = scanText(matcher, 'a\r\nb\r\ndatabase is locked\r\n');
  assert.deepEqual(summary(crlf.matches), ['locked@3+6:database is locked']);
});

test('negative patterns: "0 failed" is not a failure, "2 failed" is', () => {
  assert.equal(scanText(matcher, 'test result: ok. 0 passed; 0 failed; 0 ignored\n').matches.length, 0);
  assert.equal(scanText(matcher, '=== 2 failed, 10 passed in 1.2s ===\n').matches.length, 1);
});

test('a 1 MB line without a newline is matched with bounded buffering', () => {
  const s = new SymptomStream(matcher);
  let peak = 0;
  const filler = 'x'.repeat(4096);
  for (let i = 0; i < 256; i++) {
    s.write(filler);
    peak = Math.max(peak, s.bufferedLength);
  }
  s.write(' database is locked ');
  s.write('y'.repeat(70_000));
  s.end();
  assert.ok(peak < 1024 * 1024, `held ${peak} characters`);
  assert.equal(s.matches.length, 1);
  assert.equal(s.matches[0]!.line, 1);
  assert.equal(s.matches[0]!.offset, 0);
});

test('a match across the cut between two segments of a long line is found once', () => {
  const cut = 64 * 1024;
  const text = 'z'.repeat(cut - 8) + ' database is locked ' + 'z'.repeat(cut * 2) + '\nnext\n';
  for (const size of [1000, 4096, 65536, text.length]) {
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
    const s = streamed(chunks);
    assert.equal(s.matches.length, 1, `chunk size ${size}`);
    assert.equal(s.lineCount, 2);
  }
});

test('binary junk neither throws nor hides a later match', () => {
  const junk = new Uint8Array(5000);
  for (let i = 0; i < junk.length; i++) junk[i] = (i * 131 + 7) % 256;
  const s = streamed([junk, '\nSQLITE: database is locked\n']);
  assert.equal(s.matches.length, 1);
  assert.match(s.matches[0]!.text, /database is locked/);
});

test('evidence is capped per symptom while counts stay complete', () => {
  const s = scanText(matcher, 'database is locked\n'.repeat(50));
  assert.equal(s.matches.length, 3);
  assert.equal([...s.counts.values()][0], 50);
});

test('property: how the input is chunked never changes the matches', () => {
  const piece = fc.constantFrom(
    'database is locked', '3 failed', '0 failed', 'ok', 'é', '\u001b[31m', '\u001b[0m', '\r', '\r\n', '\n', ' ', 'x'.repeat(50), '\u0000\uFFFD',
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 60 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }), (parts, sizes) => {
      const text = parts.join('');
      const bytes = new TextEncoder().encode(text);
      const whole = summary(scanText(matcher, text).matches);
      const chunks: Uint8Array[] = [];
      for (let i = 0, k = 0; i < bytes.length; k++) {
        const n = sizes[k % sizes.length]!;
        chunks.push(bytes.slice(i, i + n));
        i += n;
      }
      assert.deepEqual(summary(streamed(chunks).matches), whole);
    }),
    { numRuns: 300 },
  );
});
