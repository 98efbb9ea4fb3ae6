// What the MCP acceptance tests share: the built `dist/cli.js mcp` driven by the SDK's own
// client over stdio, the same CLI run with --json for comparison, per-test user folders (the
// trust list and the attempt counts live there, never in the repository), and a seed-001
// workspace (the demo's crashed orchestration: git worktrees, python3-written SQLite rows).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ElicitRequestSchema, JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import type { ElicitRequest, JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { createDemoWorkspace } from '../../../scripts/demo/workspace.mjs';

export const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
/** git rewrites its index and worktree admin files on reads; the tests hash everything else. */
export const SKIP = { skip: ['.git/index', '.git/worktrees'] };

export const READ_ONLY_TOOLS = ['lifeline_classify', 'lifeline_guide', 'lifeline_check_command', 'lifeline_diagnose', 'lifeline_journal', 'lifeline_preview_fix'] as const;
export const ALL_TOOLS = [...READ_ONLY_TOOLS, 'lifeline_record_attempt', 'lifeline_fix', 'lifeline_undo'] as const;

export interface UserDirs {
  env: Record<string, string>;
  trust(dir: string): void;
}

/** A fresh config and state folder (XDG, see src/tools/user-dirs.ts), removed after the test. */
export function userDirs(t: TestContext): UserDirs {
  const base = mkdtempSync(join(tmpdir(), 'lifeline-mcp-home-'));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  const env = { XDG_CONFIG_HOME: join(base, 'config'), XDG_STATE_HOME: join(base, 'state') };
  return {
    env,
    // `lifeline trust` asks at a terminal; the tests seed the file it writes instead.
    trust(dir) {
      mkdirSync(join(env.XDG_CONFIG_HOME, 'lifeline'), { recursive: true });
      writeFileSync(join(env.XDG_CONFIG_HOME, 'lifeline', 'trusted.json'), JSON.stringify({ version: 1, folders: [dir] }));
    },
  };
}

export interface Demo {
  base: string;
  root: string;
  database: string;
}

/** Seed 001's crashed orchestration in a temp folder (ws-15 stuck, ws-27 failed, a cycle, worktrees). */
export function demoWorkspace(t: TestContext): Demo {
  const base = mkdtempSync(join(tmpdir(), 'lifeline-mcp-'));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  const { root, database } = createDemoWorkspace(join(base, 'repo'));
  return { base, root, database };
}

/** How the "human" answers: yes, no, dismissed, or "accept" with the confirm box left unticked. */
export type Answer = 'accept' | 'decline' | 'cancel' | 'unticked';

export interface Session {
  client: Client;
  stderr(): string;
  /** The elicitation requests the server sent, in order. */
  asked: ElicitRequest['params'][];
}

function childEnv(env: Record<string, string>): Record<string, string> {
  return { ...(process.env as Record<string, string>), ...env, NO_COLOR: '1' };
}

export interface ConnectOptions {
  answer?: Answer;
  /** Runs when the human is asked, before the answer: the workspace may change while they read. */
  before?: () => void;
  /** The elicitation capability declared (default `{}`, which the SDK reads as form mode). */
  elicitation?: Record<string, unknown>;
}

/**
 * `lifeline mcp` in `cwd`, connected. With an answer the client declares elicitation and answers
 * every request so; without one it declares no elicitation at all.
 */
export async function connect(t: TestContext, cwd: string, env: Record<string, string>, options: Answer | ConnectOptions = {}): Promise<Session> {
  const { answer, before, elicitation } = typeof options === 'string' ? { answer: options } : options;
  const client = new Client({ name: 'lifeline-test', version: '1' }, answer ? { capabilities: { elicitation: elicitation ?? {} } } : {});
  const asked: ElicitRequest['params'][] = [];
  if (answer) {
    client.setRequestHandler(ElicitRequestSchema, async (req) => {
      asked.push(req.params);
      before?.();
      if (answer === 'accept' || answer === 'unticked') return { action: 'accept', content: { confirm: answer === 'accept' } };
      return { action: answer };
    });
  }
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp'], cwd, env: childEnv(env), stderr: 'pipe' });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  await client.connect(transport);
  t.after(() => client.close());
  return { client, stderr: () => err, asked };
}

export interface ToolResult {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: { type: string; text: string }[];
}

export async function call(s: Session, name: string, args: Record<string, unknown> = {}): Promise<ToolResult> {
  return (await s.client.callTool({ name, arguments: args })) as unknown as ToolResult;
}

/** The CLI's --json answer and exit code, for the same input (stdin text when given). */
export function cliJson(args: string[], cwd: string, env: Record<string, string>, input?: string): { json: unknown; code: number } {
  try {
    const out = execFileSync(process.execPath, [CLI, ...args], { cwd, env: childEnv(env), input: input ?? '', encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    return { json: JSON.parse(out), code: 0 };
  } catch (e) {
    const failed = e as { stdout?: string; status?: number };
    if (typeof failed.status !== 'number' || !failed.stdout) throw e;
    return { json: JSON.parse(failed.stdout), code: failed.status };
  }
}

/**
 * A stdio transport that keeps every line the server wrote to stdout, so a test can check that
 * each is a JSON-RPC message (the SDK's own transport would only fail on the bad one).
 */
export class RecordingStdioTransport implements Transport {
  readonly lines: string[] = [];
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private child?: ReturnType<typeof spawn>;
  private pending = '';
  stderr = '';

  constructor(private readonly cwd: string, private readonly env: Record<string, string>) {}

  async start(): Promise<void> {
    const child = spawn(process.execPath, [CLI, 'mcp'], { cwd: this.cwd, env: childEnv(this.env), stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      this.pending += d.toString('utf8');
      let nl;
      while ((nl = this.pending.indexOf('\n')) >= 0) {
        const line = this.pending.slice(0, nl);
        this.pending = this.pending.slice(nl + 1);
        this.lines.push(line);
        const parsed = (() => {
          try {
            return JSONRPCMessageSchema.safeParse(JSON.parse(line));
          } catch {
            return undefined;
          }
        })();
        if (parsed?.success) this.onmessage?.(parsed.data);
      }
    });
    child.on('close', () => this.onclose?.());
    child.on('error', (e) => this.onerror?.(e));
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    this.child!.stdin!.write(JSON.stringify(message) + '\n');
  }

  /** Ends stdin and waits for the server to exit by itself (it must, when its client goes). */
  async close(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.stdin!.end();
    await exited;
  }

  /** Whatever the server left unterminated on stdout when it exited. */
  get tail(): string {
    return this.pending;
  }
}
