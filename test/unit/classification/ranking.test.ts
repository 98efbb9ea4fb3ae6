// Root cause before consequence: each tie-break rule of EXPLAINED_BY, on output shaped like the
// tools print it, and on playbooks whose weights would rank the consequence first without it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXPLAINED_BY, classifyText, rank } from '../../../src/core/classification/classifier';
import { compileMatcher } from '../../../src/core/matching/matcher';
import { scanText } from '../../../src/core/matching/stream';
import { parsePlaybook } from '../../../src/core/playbooks/loader';
import type { Playbook } from '../../../src/core/playbooks/model';
import { builtInPlaybooks } from '../helpers';

function playbook(id: string, pattern: string, weight: number): Playbook {
  const text = `lifeline: 1\nid: ${id}\ntitle: ${id}\nseverity: 2\nfailureType: error\nrecoverable: true\nrecoverableReason: r\nsymptoms:\n  - { pattern: '${pattern}', weight: ${weight} }\nnodes:\n  - { id: e, kind: end, title: e, outcome: resolved }\n`;
  const r = parsePlaybook(text, `${id}.yaml`);
  if (!r.playbook) throw new Error(JSON.stringify(r.errors));
  return r.playbook;
}

function winner(playbooks: Playbook[], text: string): string | undefined {
  return rank(playbooks, scanText(compileMatcher(playbooks), text))[0]?.playbook.id;
}

for (const rule of EXPLAINED_BY) {
  test(`tie-break: ${rule.cause} over ${rule.consequence} (${rule.why})`, () => {
    const weight = Math.max(60, rule.minWeight ?? 0);
    // The consequence is the more specific symptom by weight; the rule must still put the cause first.
    const pbs = [playbook(rule.consequence, 'consequence-line', 99), playbook(rule.cause, 'cause-line', weight)];
    assert.equal(winner(pbs, 'consequence-line\ncause-line\n'), rule.cause);
    assert.equal(winner(pbs, 'consequence-line\n'), rule.consequence, 'the cause did not match, so it cannot win');
    if (rule.minWeight) {
      const weak = [playbook(rule.consequence, 'consequence-line', 99), playbook(rule.cause, 'cause-line', rule.minWeight - 1)];
      assert.equal(winner(weak, 'consequence-line\ncause-line\n'), rule.consequence, 'a weak cause does not explain it');
    }
  });
}

test('the tie-break rules have no cycle (a cause never ends up explained by its own consequence)', () => {
  const edges = new Map<string, string[]>();
  for (const r of EXPLAINED_BY) edges.set(r.consequence, [...(edges.get(r.consequence) ?? []), r.cause]);
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (n: string, path: string[]): void => {
    assert.ok(!visiting.has(n), `cycle: ${[...path, n].join(' -> ')}`);
    if (done.has(n)) return;
    visiting.add(n);
    for (const m of edges.get(n) ?? []) visit(m, [...path, n]);
    visiting.delete(n);
    done.add(n);
  };
  for (const n of edges.keys()) visit(n, []);
});

// Outputs written from the tools' documented formats, with the built-in playbooks.
const cases: [string, string, string][] = [
  [
    'network-failure',
    'a Jest test that timed out because the server refused the connection',
    ' FAIL  src/api.test.ts (6.2 s)\n  ● api › lists items\n\n    thrown: "Exceeded timeout of 5000 ms for a test.\n\n    Error: connect ECONNREFUSED 127.0.0.1:3000\n        at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)\n\nTests:       1 failed, 4 passed, 5 total\n',
  ],
  [
    'network-failure',
    'a go test whose test failed on a refused connection',
    '=== RUN   TestStore\n    store_test.go:31: dial tcp 127.0.0.1:5432: connect: connection refused\n--- FAIL: TestStore (0.00s)\nFAIL\nFAIL\texample.com/store\t0.012s\n',
  ],
  [
    'orchestrator-crash',
    "the demo orchestrator's traceback ending in MemoryError",
    'ERROR orchestrator: agent-3 (ws-27) exited with code 137\nCRITICAL orchestrator: unhandled exception, shutting down\nTraceback (most recent call last):\n  File "scripts/orchestrator.py", line 212, in <module>\n    main()\n  File "scripts/orchestrator.py", line 198, in main\n    results = pool.collect(timeout=None)\n  File "scripts/agent_pool.py", line 87, in collect\n    outputs.append(agent.read_transcript())\nMemoryError\n',
  ],
  [
    'db-locked',
    'an alembic upgrade that could not take the SQLite lock',
    'INFO  [alembic.runtime.migration] Running upgrade 1a2b -> 3c4d, add index\nTraceback (most recent call last):\n  File "/venv/lib/python3.12/site-packages/sqlalchemy/engine/base.py", line 1967, in _exec_single_context\nsqlalchemy.exc.OperationalError: (sqlite3.OperationalError) database is locked\n',
  ],
  ['timeout', 'a helm upgrade that waited too long', 'Error: UPGRADE FAILED: timed out waiting for the condition\n'],
  [
    'import-error',
    'a Maven test run failing on a missing class',
    '[ERROR] Tests run: 3, Failures: 0, Errors: 1, Skipped: 0\njava.lang.NoClassDefFoundError: org/slf4j/LoggerFactory\n[ERROR] BUILD FAILURE\n',
  ],
];
for (const [want, what, text] of cases) {
  test(`root cause: ${what} -> ${want}`, async () => {
    const r = classifyText(await builtInPlaybooks(), text);
    assert.equal(r.scenario, want, JSON.stringify(r.alternatives));
  });
}
