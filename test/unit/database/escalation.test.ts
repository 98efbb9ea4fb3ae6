// logs.bundle: a tar.gz of the logs folder plus the state dump, read back with python's
// tarfile (a real tar reader): names (long, non-ASCII, nested) and bytes intact, links skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { databaseHandlers } from '../../../src/core/database/source';
import { createDb, py, tempWorkspace } from './helpers';

const NOW = new Date('2025-11-29T12:00:00Z');
const bundle = databaseHandlers.find((h) => h.action === 'logs.bundle')!;

/** Every member of a tar.gz as python's tarfile sees it: name -> sha256 of its bytes. */
function tarMembers(path: string): Record<string, string> {
  return JSON.parse(
    py(
      `import tarfile, sys, json, hashlib
out = {}
with tarfile.open(sys.argv[1], 'r:gz') as t:
    for m in t.getmembers():
        out[m.name] = hashlib.sha256(t.extractfile(m).read()).hexdigest() if m.isfile() else m.type.decode()
print(json.dumps(out))`,
      path,
    ),
  ) as Record<string, string>;
}

function sha(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

test('logs.bundle packs every log file and the state dump; links are skipped, never followed', async () => {
  const t = tempWorkspace({}, NOW);
  try {
    createDb(t.db, [['ws-1', 'failed', null, null, null, 'boom', null, null]]);
    const logs = join(t.root, 'logs');
    mkdirSync(join(logs, 'agents', 'ágent-1 ünïcode'), { recursive: true });
    const orchestrator = 'started\nKeyboardInterrupt\n'.repeat(5000);
    const deep = `${'very-long-directory-name-'.repeat(6)}/trace.log`;
    const big = Buffer.alloc(70_000, 7);
    writeFileSync(join(logs, 'orchestrator.log'), orchestrator);
    writeFileSync(join(logs, 'agents', 'ágent-1 ünïcode', 'aider.log'), 'héllo');
    mkdirSync(join(logs, ...deep.split('/').slice(0, -1)), { recursive: true });
    writeFileSync(join(logs, ...deep.split('/')), big);
    writeFileSync(join(t.root, 'secret.txt'), 'do not bundle');
    symlinkSync(join(t.root, 'secret.txt'), join(logs, 'link.log'));

    const p = await bundle.preview(t.ws, { action: 'logs.bundle' });
    assert.deepEqual(p.files, ['.state/escalation/logs_20251129T120000000Z.tar.gz']);
    assert.match(p.notes[0]!, /^3 files from logs\/ \(\d+ bytes\) plus state_dump\.sql/);
    assert.match(p.notes[1]!, /Skipped .*link\.log/);

    const r = await bundle.apply(t.ws, { action: 'logs.bundle' }, { discard: false });
    assert.equal(r.ok, true);
    assert.deepEqual(r.output, ['skipped link.log (not a regular file)']);
    const file = join(t.root, '.state', 'escalation', 'logs_20251129T120000000Z.tar.gz');
    const members = tarMembers(file);
    assert.deepEqual(Object.keys(members).sort(), ['logs/agents/ágent-1 ünïcode/aider.log', `logs/${deep}`, 'logs/orchestrator.log', 'state_dump.sql'].sort());
    assert.equal(members['logs/orchestrator.log'], sha(orchestrator));
    assert.equal(members['logs/agents/ágent-1 ünïcode/aider.log'], sha('héllo'));
    assert.equal(members[`logs/${deep}`], sha(big));
    const dump = py(`import tarfile, sys\nprint(tarfile.open(sys.argv[1], 'r:gz').extractfile('state_dump.sql').read().decode())`, file);
    assert.match(dump, /INSERT INTO "workstream_status" VALUES\('ws-1','failed',NULL,NULL,NULL,'boom',NULL,NULL\);/);
    assert.deepEqual(readdirSync(join(t.root, '.state', 'escalation')), ['logs_20251129T120000000Z.tar.gz'], 'no temp file left');
  } finally {
    t.cleanup();
  }
});

test('logs.bundle without a readable database still bundles the logs and says why the dump is missing', async () => {
  const t = tempWorkspace({}, NOW);
  try {
    writeFileSync(t.db, 'garbage');
    mkdirSync(join(t.root, 'logs'));
    writeFileSync(join(t.root, 'logs', 'a.log'), 'x');
    const r = await bundle.apply(t.ws, { action: 'logs.bundle' }, { discard: false });
    assert.equal(r.ok, true);
    assert.match(r.output?.[0] ?? '', /state dump skipped: .*too short/);
    const members = tarMembers(join(t.root, '.state', 'escalation', 'logs_20251129T120000000Z.tar.gz'));
    assert.deepEqual(Object.keys(members).sort(), ['logs/a.log', 'state_dump.ERROR.txt']);
  } finally {
    t.cleanup();
  }
});
