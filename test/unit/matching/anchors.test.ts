import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractAnchors } from '../../../src/core/matching/anchors';
import { isTextSymptom } from '../../../src/core/playbooks/model';
import { builtInPlaybooks } from '../helpers';

test('a plain pattern is anchored on its longest literal run', () => {
  assert.deepEqual(extractAnchors('\\bdatabase (?:table )?is locked\\b'), ['database ']);
  assert.deepEqual(extractAnchors('^--- FAIL: \\S+'), ['--- fail: ']);
});

test('top-level alternatives each contribute an anchor', () => {
  assert.deepEqual(extractAnchors('\\bECONNREFUSED\\b|\\bConnection refused\\b'), ['econnrefused', 'connection refused']);
});

test('a required group supplies anchors when the branch has no literal run', () => {
  assert.deepEqual(extractAnchors('\\b(?:ExpiredSignatureError|InvalidTokenError)\\b'), ['expiredsignatureerror', 'invalidtokenerror']);
});

test('optional parts never become anchors', () => {
  const anchors = extractAnchors('(?:Error: )?Cannot find module')!;
  assert.deepEqual(anchors, ['cannot find module']);
  assert.deepEqual(extractAnchors('colou?r'), ['colo'], 'the optional "u" ends the certain run');
});

test('a pattern with no certain literal is unanchored', () => {
  assert.equal(extractAnchors('\\d+ \\w+'), null);
  assert.equal(extractAnchors('abc|\\d+'), null);
});

test('every anchor really occurs in text the pattern matches', () => {
  const cases: [string, string][] = [
    ['\\bTests run: \\d+, Failures: [1-9]', 'Tests run: 12, Failures: 2, Errors: 0'],
    ["Module not found: (?:Error: )?Can't resolve", "Module not found: Error: Can't resolve './x'"],
    ['\\bmigration [`\'"]?\\S+[`\'"]? (?:started at .* )?failed\\b', 'Migration `20231025_add_headers` failed'],
  ];
  for (const [pattern, sample] of cases) {
    assert.match(sample, new RegExp(pattern, 'iu'));
    const anchors = extractAnchors(pattern)!;
    assert.ok(anchors.some((a) => sample.toLowerCase().includes(a)), `${pattern}: ${JSON.stringify(anchors)}`);
  }
});

test('every built-in text symptom has an anchor, so none falls back to a per-line scan', async () => {
  const unanchored: string[] = [];
  for (const p of await builtInPlaybooks()) {
    for (const s of p.symptoms) if (isTextSymptom(s) && !extractAnchors(s.pattern)) unanchored.push(`${p.id}: ${s.pattern}`);
  }
  assert.deepEqual(unanchored, []);
});
