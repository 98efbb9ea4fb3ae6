// Markdown runbooks in a playbook folder are playbooks as they are: read through the importer
// when the folder is read, ids from their headings, symptoms only where the runbook names them,
// each node's runbook line kept; the CLI's list, classify and lint read them too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadPlaybookDir } from '../../../src/core/playbooks/loader';
import { isTextSymptom } from '../../../src/core/playbooks/model';
import { runCli } from '../../../src/cli/run';
import type { CliIO } from '../../../src/cli/io';
import { fillCommand } from '../../../src/core/decisions/fill';
import type { SessionState } from '../../../src/core/decisions/state';
import { repoRoot } from '../helpers';

/** The sample runbook the host tests import too: two scenarios, one with a <placeholder>. */
const REDIS_RUNBOOK = readFileSync(join(repoRoot, 'test', 'fixtures', 'runbooks', 'cache-runbook.md'), 'utf8');

function folder(t: { after: (fn: () => void) => void }, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-runbooks-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function cli(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const input = new PassThrough();
  input.end(stdin);
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on('data', (c: Buffer) => chunks.out.push(c));
  err.on('data', (c: Buffer) => chunks.err.push(c));
  const io: CliIO = { out, err, stdin: input, color: false, cwd: process.cwd() };
  const code = await runCli(args, io);
  return { code, out: Buffer.concat(chunks.out).toString('utf8'), err: Buffer.concat(chunks.err).toString('utf8') };
}

test('a runbook in the folder is one playbook per scenario, ids from its headings, symptoms as written', async (t) => {
  const dir = folder(t, { 'cache.md': REDIS_RUNBOOK, 'README.md': '# About this folder\n\nOur playbooks.\n' });
  const r = await loadPlaybookDir(dir);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.playbooks.map((p) => p.id), ['redis-refuses-connections', 'queue-backs-up']);
  const [redis, queue] = r.playbooks;
  // What the runbook says, escaped — nothing more.
  assert.deepEqual(redis!.symptoms.filter(isTextSymptom).map((s) => s.pattern), ['redis: cache-node-7 refused the handshake']);
  assert.deepEqual(queue!.symptoms.filter(isTextSymptom).map((s) => s.pattern), ['QueueFullError: jobs waiting over limit']);
  assert.deepEqual(redis!.nodes[0]!.kind === 'step' ? redis!.nodes[0]!.commands.map((c) => c.run) : [], ['redis-cli ping']);
  // Each step keeps the runbook line it came from.
  const origin = r.origins!['redis-refuses-connections']!;
  assert.equal(origin.format, 'markdown');
  assert.equal(origin.line, 3);
  assert.equal(origin.nodes[redis!.nodes[0]!.id], 7);
  assert.equal(origin.nodes[redis!.nodes[1]!.id], 8);
  assert.equal(r.origins!['queue-backs-up']!.nodes[queue!.nodes[0]!.id], 14);
});

test('a runbook without a heading takes its id from the file name, not from its first step', async (t) => {
  const dir = folder(t, { 'restart-redis.md': '1. Check: `redis-cli ping`\n2. If not, start it: `docker compose up -d redis`\n' });
  const r = await loadPlaybookDir(dir);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.playbooks.map((p) => [p.id, p.title]), [['restart-redis', 'Restart redis']]);
});

test('a Markdown file that is no runbook, and an id two files share, are errors naming the file', async (t) => {
  const dir = folder(t, { 'notes.md': 'We meet on Mondays.\n', 'a.md': '# A\n\n## Disk full\n\nSymptoms: `No space left on device`\n\n1. `df -h`\n', 'b.md': '## Disk full\n\nSymptoms: `ENOSPC`\n\n1. `du -sh .`\n' });
  const r = await loadPlaybookDir(dir);
  assert.deepEqual(r.playbooks.map((p) => p.id), ['disk-full']);
  assert.deepEqual(
    r.errors.map((e) => `${e.file.slice(dir.length + 1)}:${e.line}: ${e.message}`),
    [`b.md:1: id "disk-full" is already used by ${join(dir, 'a.md')}`, 'notes.md:1: not read as a runbook: no scenarios found: expected headings such as "## Scenario 1: ...", "### Issue: ..." or sections with Symptoms, or a titled runbook with steps'],
  );
});

test('lifeline playbooks list, classify and lint read the runbooks of --playbooks DIR', async (t) => {
  const dir = folder(t, { 'cache.md': REDIS_RUNBOOK });
  const list = await cli(['playbooks', 'list', '--json', '--playbooks', dir]);
  assert.equal(list.code, 0, list.err);
  const ids = (JSON.parse(list.out) as { id: string }[]).map((p) => p.id);
  assert.ok(ids.includes('redis-refuses-connections') && ids.includes('queue-backs-up') && ids.includes('db-locked'));

  const classify = await cli(['classify', '-', '--json', '--playbooks', dir], 'worker 3: QueueFullError: jobs waiting over limit (4096)\n');
  assert.equal(classify.code, 0, classify.err);
  assert.equal((JSON.parse(classify.out) as { scenario: string }).scenario, 'queue-backs-up');

  const lint = await cli(['playbooks', 'lint', dir]);
  assert.equal(lint.code, 0, lint.out);
  assert.match(lint.out, /^2 playbooks, no problems$/m);
});

test("a runbook's <placeholders> become inputs the guide fills before a command goes to a terminal", async (t) => {
  const dir = folder(t, { 'worker.md': '# Worker stuck\n\nSymptoms: `worker heartbeat missed`\n\n1. Stop it: `kill <PID>`\n2. Logs: `docker logs <container name> --tail 50`\n' });
  const r = await loadPlaybookDir(dir);
  const p = r.playbooks[0]!;
  assert.deepEqual(p.inputs, [{ name: 'pid', label: 'PID' }, { name: 'container-name', label: 'Container name' }]);
  const [stop] = p.nodes;
  const state = { version: 1, id: 's', playbookId: p.id, startedAt: new Date(0).toISOString(), current: stop!.id, pending: { kind: 'step' }, path: [], actions: [] } as unknown as SessionState;
  assert.deepEqual(fillCommand(p, state, stop!, 0)!.missing.map((m) => m.name), ['pid']);
  assert.equal(fillCommand(p, { ...state, inputs: { pid: '4242' } }, stop!, 0)!.run, 'kill 4242');
});
