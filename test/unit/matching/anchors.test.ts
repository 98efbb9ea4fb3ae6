import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractAnchors, extractGuards, rarity } from '../../../src/core/matching/anchors';
import { isTextSymptom } from '../../../src/core/playbooks/model';
import { builtInPlaybooks } from '../helpers';

test('a plain pattern is anchored on its longest literal run', () => {
  assert.deepEqual(extractAnchors('\\bdatabase (?:table )?is locked\\b'), ['database ']);
  assert.deepEqual(extractAnchors('^--- FAIL: \\S+'), ['--- fail: ']);
});

/** Each anchor is a part (at most 12 characters) of the literal at the same position. */
function assertParts(anchors: string[] | null, literals: string[]): void {
  assert.ok(anchors, 'anchored');
  assert.equal(anchors.length, literals.length, JSON.stringify(anchors));
  anchors.forEach((a, i) => assert.ok(a.length <= 12 && literals[i]!.includes(a), `${a} in ${literals[i]}`));
}

test('top-level alternatives each contribute an anchor', () => {
  assertParts(extractAnchors('\\bECONNREFUSED\\b|\\bConnection refused\\b'), ['econnrefused', 'connection refused']);
});

test('a required group supplies anchors when the branch has no literal run', () => {
  assertParts(extractAnchors('\\b(?:ExpiredSignatureError|InvalidTokenError)\\b'), ['expiredsignatureerror', 'invalidtokenerror']);
});

test('long literals are cut to their rarest part; common words lose to rarer literals', () => {
  assertParts(extractAnchors('\\bmost likely due to a circular import\\b'), ['most likely due to a circular import']);
  assert.equal(extractAnchors('\\bmost likely due to a circular import\\b')![0]!.length, 12);
  assert.deepEqual(extractAnchors('\\bHTTP/[\\d.]+ 401\\b'), [' 401'], 'the status, not the protocol every access line has');
  assert.ok(rarity('http/') < rarity(' 401') && rarity('.py') < rarity('foo'));
});

test('guards: every required literal of a single-branch pattern, none for alternatives', () => {
  assert.deepEqual(extractGuards('^\\S+\\.pyi?:\\d+:\\d+: [A-Z]{1,3}\\d{3,4}\\b'), ['.py', ': ']);
  assert.deepEqual(extractGuards('\\bECONNREFUSED\\b|\\bConnection refused\\b'), []);
  assert.deepEqual(extractGuards('\\bdatabase (?:table )?is locked\\b'), ['database ', 'is locked']);
});

test('optional parts never become anchors', () => {
  const anchors = extractAnchors('(?:Error: )?Cannot find module')!;
  assertParts(anchors, ['cannot find module']);
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
