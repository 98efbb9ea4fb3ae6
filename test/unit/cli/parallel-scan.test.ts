import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cutAtLineEnds, scanFileParallel } from '../../../src/cli/parallel-scan';
import { compileMatcher } from '../../../src/core/matching/matcher';
import { scanText } from '../../../src/core/matching/stream';
import { builtInPlaybooks } from '../helpers';

// A file whose failures fall in every part, with CRLF, colours, redraws and a long line.
function sample(): string {
  const lines: string[] = [];
  for (let i = 0; i < 4000; i++) {
    if (i % 97 === 5) lines.push('sqlite3.OperationalError: database is locked\r');
    else if (i % 211 === 7) lines.push('\u001b[31mError:\u001b[0m connect ECONNREFUSED 127.0.0.1:5432');
    else if (i % 503 === 11) lines.push('copying 10%\rpanic: test timed out after 10m0s');
    else if (i === 2500) lines.push('x'.repeat(150_000) + ' CONFLICT (content): Merge conflict in a.py');
    else if (i % 331 === 3) lines.push('Traceback (most recent call last):');
    else lines.push(`INFO worker-${i % 7} processed batch ${i} in ${i % 300} ms`);
  }
  return lines.join('\n') + '\n';
}

test('a file scanned in parts on worker threads gives exactly what one stream gives', async () => {
  const playbooks = await builtInPlaybooks();
  const matcher = compileMatcher(playbooks);
  const file = join(mkdtempSync(join(tmpdir(), 'lifeline-par-')), 'big.log');
  const text = sample();
  writeFileSync(file, text);
  const size = Buffer.byteLength(text);
  const whole = scanText(matcher, text);
  for (const parts of [2, 3]) {
    const merged = await scanFileParallel(matcher, file, size, parts);
    assert.deepEqual(merged.matches, whole.matches, `${parts} parts: matches`);
    assert.deepEqual(merged.signals, whole.signals, `${parts} parts: signals`);
    assert.deepEqual([...merged.counts].sort(), [...whole.counts].sort(), `${parts} parts: counts`);
  }
});

test('parts are cut just after a line end, cover the file and never overlap', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'lifeline-cut-')), 'f.log');
  const text = 'a'.repeat(100) + '\n' + 'b'.repeat(300_000) + '\nshort\n';
  writeFileSync(file, text);
  const cuts = cutAtLineEnds(file, text.length, 3);
  assert.equal(cuts[0]![0], 0);
  assert.equal(cuts.at(-1)![1], text.length);
  for (let i = 1; i < cuts.length; i++) {
    assert.equal(cuts[i]![0], cuts[i - 1]![1]);
    assert.equal(text[cuts[i]![0] - 1], '\n', `part ${i} starts after a line end`);
  }
});
