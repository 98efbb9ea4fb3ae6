// The fast hook merges the built-ins' precomputed forbidden entries (dist/forbidden.json) with a
// workspace's own playbooks itself; it must give exactly what check-command gets from merging
// the playbooks first (mergePlaybooks: a user playbook replaces the built-in of its id in place).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadPlaybookDir } from '../../../src/core/playbooks/loader';
import { mergePlaybooks } from '../../../src/core/playbooks/collection';
import { forbiddenEntries, forbiddenTable, mergeForbiddenEntries, ownRulesOf, parseForbiddenTable } from '../../../src/core/playbooks/forbidden';
import type { Playbook } from '../../../src/core/playbooks/model';

test('mergeForbiddenEntries(table, own) equals forbiddenEntries(mergePlaybooks(builtIns, own))', async () => {
  const { playbooks: builtIns, errors } = await loadPlaybookDir(join(__dirname, '..', '..', '..', 'playbooks'));
  assert.deepEqual(errors, []);
  const byId = (id: string) => builtIns.find((p) => p.id === id)!;
  const rule = (pattern: string, reason: string) => ({ pattern, reason });
  const cases: Playbook[][] = [
    [],
    // An override with other rules, one that drops all rules, one without rules before that gains some, and new ids.
    [
      { ...byId('merge-conflict'), forbidden: [rule('\\bgit\\s+stash\\s+drop\\b', 'Keep the stash.')] },
      { ...byId('db-locked'), forbidden: [] },
      { ...byId('triage'), forbidden: [rule('\\bsudo\\b', 'No sudo here.')] },
      { ...byId('triage'), id: 'team-a', forbidden: [rule('\\bmake\\s+deploy\\b', 'CI deploys.')] },
      { ...byId('triage'), id: 'team-b', forbidden: [] },
    ],
    // The same id twice: the later one wins, at the first one's place.
    [
      { ...byId('triage'), id: 'team-a', forbidden: [rule('a', 'first')] },
      { ...byId('triage'), id: 'team-a', forbidden: [rule('b', 'second')] },
    ],
  ];
  assert.ok(forbiddenEntries(builtIns).length > 10);
  for (const own of cases) {
    const table = parseForbiddenTable(JSON.parse(JSON.stringify(forbiddenTable(builtIns))));
    assert.ok(table);
    assert.deepEqual(mergeForbiddenEntries(table, ownRulesOf(own)), forbiddenEntries(mergePlaybooks(builtIns, own)));
  }
});

test('parseForbiddenTable refuses what is not a table', () => {
  for (const v of [null, [], { version: 2, playbooks: [], entries: [] }, { version: 1, playbooks: [1], entries: [] }, { version: 1, playbooks: [], entries: [{ playbookId: 'x', title: 't', reason: 'r' }] }]) {
    assert.equal(parseForbiddenTable(v), undefined, JSON.stringify(v));
  }
  assert.deepEqual(parseForbiddenTable({ version: 1, playbooks: ['x'], entries: [] }), { version: 1, playbooks: ['x'], entries: [] });
});
