// Acceptance (#14): the wire. A raw `initialize` at every protocol version the pinned SDK
// supports is answered at that version; and stdout carries protocol messages only, through a
// session that calls every tool (errors, elicitation and resources included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema, JSONRPCMessageSchema, LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import { CLI, RecordingStdioTransport, demoWorkspace, userDirs } from './harness';

/** Writes `requests` one per line, ends stdin, and returns every stdout line once the server exits by itself. */
function rawSession(cwd: string, env: Record<string, string>, requests: object[]): Promise<{ lines: string[]; code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, 'mcp'], { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
  // Each request waits for the answers before it, as a client would (notifications need none).
  let expected = 0;
  const answered = () => out.split('\n').filter((l) => l.trim()).length;
  const next = (i: number): void => {
    if (i === requests.length) {
      child.stdin.end();
      return;
    }
    const r = requests[i] as { id?: number };
    child.stdin.write(JSON.stringify(r) + '\n');
    if (r.id === undefined) return next(i + 1);
    expected++;
    const wait = setInterval(() => {
      if (answered() >= expected) {
        clearInterval(wait);
        next(i + 1);
      }
    }, 10);
  };
  next(0);
  return new Promise((resolve) => child.on('close', (code) => resolve({ lines: out.split('\n'), code, stderr: err })));
}

const PACKAGE_VERSION = (JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

const initialize = (protocolVersion: string) => ({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion, capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });

test('a raw initialize at each protocol version the SDK supports is answered at that version, and the tools are listed', async (t) => {
  const demo = demoWorkspace(t);
  const home = userDirs(t);
  assert.ok(SUPPORTED_PROTOCOL_VERSIONS.length >= 4, SUPPORTED_PROTOCOL_VERSIONS.join(', '));
  for (const version of [...SUPPORTED_PROTOCOL_VERSIONS, '1999-01-01']) {
    const { lines, code } = await rawSession(demo.root, home.env, [
      initialize(version),
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} },
    ]);
    assert.equal(code, 0, `${version}: the server exits by itself when stdin ends`);
    assert.equal(lines.pop(), '', `${version}: every message ends its line`);
    const [init, list] = lines.map((l) => JSON.parse(l) as { id: number; result: Record<string, unknown> });
    assert.equal(lines.length, 2, `${version}: ${lines.join('\n')}`);
    assert.equal(init!.id, 1);
    // A version the server does not speak is answered with its latest, as the spec says.
    assert.equal(init!.result.protocolVersion, version === '1999-01-01' ? LATEST_PROTOCOL_VERSION : version);
    assert.deepEqual(init!.result.serverInfo, { name: 'lifeline', version: PACKAGE_VERSION });
    assert.ok((init!.result.capabilities as Record<string, unknown>).tools, version);
    assert.ok((init!.result.capabilities as Record<string, unknown>).resources, version);
    assert.equal(list!.id, 2);
    assert.equal((list!.result.tools as unknown[]).length, 9, version);
  }
});

test('stdout carries only JSON-RPC messages through a session that calls every tool, errors and elicitation included', async (t) => {
  const demo = demoWorkspace(t);
  const home = userDirs(t);
  home.trust(demo.root);
  const transport = new RecordingStdioTransport(demo.root, home.env);
  const client = new Client({ name: 'hygiene', version: '1' }, { capabilities: { elicitation: {} } });
  client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { confirm: true } }));
  await client.connect(transport);
  const calls: [string, Record<string, unknown>][] = [
    ['lifeline_classify', { text: 'fatal: Authentication failed for \'https://example.com/r.git/\'\n' }],
    ['lifeline_classify', { text: 7 }],
    ['lifeline_guide', { playbook: 'orchestrator-crash', answers: ['--choose ws-27', '--answer list-running=yes'] }],
    ['lifeline_guide', { playbook: 'nope' }],
    ['lifeline_check_command', { command: 'rm .state/orchestration.db-wal' }],
    ['lifeline_check_command', {}],
    ['lifeline_record_attempt', { text: 'sqlite3.OperationalError: database is locked\n' }],
    ['lifeline_record_attempt', {}],
    ['lifeline_diagnose', {}],
    ['lifeline_preview_fix', { action: 'workstream.mark-pending:ws-15' }],
    ['lifeline_preview_fix', { action: 'worktree.remove:a\u001b[2Jb' }],
    ['lifeline_fix', { action: 'workstream.mark-pending:ws-15' }],
    ['lifeline_fix', { action: 'branch.delete:main' }],
    ['lifeline_journal', {}],
    ['lifeline_undo', {}],
    ['lifeline_undo', { entry: 'x' }],
    ['lifeline_no_such_tool', {}],
  ];
  const errors: boolean[] = [];
  for (const [name, args] of calls) errors.push(Boolean(((await client.callTool({ name, arguments: args })) as { isError?: boolean }).isError));
  assert.deepEqual(errors, [false, true, false, true, false, true, false, true, false, false, true, false, true, false, false, true, true]);
  const { resources } = await client.listResources();
  assert.ok(resources.length > 5);
  await client.readResource({ uri: resources[0]!.uri });
  await assert.rejects(client.readResource({ uri: 'lifeline://playbooks/nope' }), /no playbook "nope"/);
  await client.close();

  assert.equal(transport.tail, '', 'nothing is left unterminated on stdout');
  // The session's requests and answers, elicitation included: calls, resources, initialize.
  assert.ok(transport.lines.length >= calls.length + 4, String(transport.lines.length));
  for (const line of transport.lines) {
    const parsed = (() => {
      try {
        return JSONRPCMessageSchema.safeParse(JSON.parse(line)).success;
      } catch {
        return false;
      }
    })();
    assert.ok(parsed, `not a JSON-RPC message on stdout: ${line.slice(0, 200)}`);
  }
  assert.ok(transport.lines.some((l) => l.includes('"method":"elicitation/create"')), 'the fix asked through stdout');
  assert.match(transport.stderr, /^lifeline mcp: serving /m, 'logs go to stderr');
});
