// Connecting an agent to Lifeline: the config file a client reads, before and after adding
// Lifeline's MCP server or Claude Code hooks. Planning is pure (old text -> new text), so the CLI
// (`lifeline mcp install`, `lifeline hook install`) and the editor's "Connect an Agent..." show the
// same diff; writing is atomic and refuses when the file changed since it was planned.
// JSON files are merged (other keys and hooks kept, re-indented as the file was); Codex's TOML
// gets one table appended or replaced in place, the rest of the file untouched.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MiB, readRegularFile } from '../core/fixups/read-file';

export type AgentClient = 'claude-code' | 'codex' | 'cursor';
export type AgentConfigKind = 'mcp' | 'hook';
export type AgentScope = 'project' | 'user';

export interface AgentCommand {
  /** The program: usually `process.execPath`. */
  node: string;
  args: string[];
  env?: Record<string, string>;
}

export interface AgentConfigInput {
  client: AgentClient;
  kind: AgentConfigKind;
  scope: AgentScope;
  /** The project folder (for project scope). */
  workspace: string;
  home: string;
  /** mcp: the server (node [cli.js, 'mcp']). hook: the hook for every event (node [hook.js, 'claude-code']). */
  command: AgentCommand;
  /** Codex: replace a lifeline table that differs from what Lifeline writes. */
  force?: boolean;
  /** The platform the command line is quoted for; defaults to this one. */
  platform?: NodeJS.Platform;
}

export interface AgentConfigPlan {
  path: string;
  /** The file's text now ('' when it does not exist). */
  before: string;
  after: string;
  changed: boolean;
  exists: boolean;
  /** The mode of a file created new: private in the home folder, shareable in a project. */
  newMode: number;
}

/** The file cannot be merged safely (malformed, or a shape Lifeline does not understand): nothing is written. */
export class AgentConfigRefused extends Error {
  override name = 'AgentConfigRefused';
}

const MAX_CONFIG = 16 * MiB;

/** Where each client keeps its config (see README "Use Lifeline from your agent"). */
export function agentConfigPath(client: AgentClient, kind: AgentConfigKind, scope: AgentScope, workspace: string, home: string): string {
  if (kind === 'hook') {
    if (client !== 'claude-code') throw new AgentConfigRefused(`hooks are installed for claude-code only, not ${client}`);
    return scope === 'project' ? join(workspace, '.claude', 'settings.json') : join(home, '.claude', 'settings.json');
  }
  if (client === 'claude-code') return scope === 'project' ? join(workspace, '.mcp.json') : join(home, '.claude.json');
  if (client === 'cursor') return join(scope === 'project' ? workspace : home, '.cursor', 'mcp.json');
  // Codex reads a project's .codex/config.toml only in projects it trusts.
  return join(scope === 'project' ? workspace : home, '.codex', 'config.toml');
}

/** One argument for the shell Claude Code runs hook commands with: POSIX single quotes; on Windows double quotes (backslashes kept). */
export function shellArg(a: string, platform: NodeJS.Platform = process.platform): string {
  if (/^[\w@%+=:,./-]+$/.test(a)) return a;
  if (platform === 'win32') return `"${a.replace(/"/g, '\\"')}"`;
  return `'${a.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(c: AgentCommand, platform?: NodeJS.Platform): string {
  // Claude Code runs hook commands with a POSIX shell (Git Bash on Windows): `NAME=value cmd` sets the variable for that one command.
  const env = Object.entries(c.env ?? {}).filter(([k]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k)).map(([k, v]) => `${k}=${shellArg(v, platform)}`);
  return [...env, ...[c.node, ...c.args].map((a) => shellArg(a, platform))].join(' ');
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJsonConfig(text: string, path: string): Json {
  if (!text.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new AgentConfigRefused(`${path} is not valid JSON (${(e as Error).message.split('\n')[0]}); fix it first, nothing was written`);
  }
  if (!isObject(value)) throw new AgentConfigRefused(`${path} does not hold a JSON object; nothing was written`);
  return value;
}

/** The indent the file uses (its first indented line), so a merge does not re-indent it. */
function indentOf(text: string): string | number {
  const m = /\n([ \t]+)\S/.exec(text);
  return m ? m[1]! : 2;
}

function serverEntry(c: AgentCommand): Json {
  return { command: c.node, args: c.args, ...(c.env && Object.keys(c.env).length ? { env: c.env } : {}) };
}

function mergeMcpJson(config: Json, c: AgentCommand, path: string): Json {
  const servers = config.mcpServers ?? {};
  if (!isObject(servers)) throw new AgentConfigRefused(`${path}: "mcpServers" is not an object; nothing was written`);
  return { ...config, mcpServers: { ...servers, lifeline: serverEntry(c) } };
}

/** A hook command Lifeline wrote: `... hook.js claude-code` or `... hook claude-code` (any quoting, any path). */
function isLifelineHook(command: unknown): boolean {
  return typeof command === 'string' && /(\bhook\.js['"]?|\bhook)\s+claude-code\s*$/.test(command) && /lifeline|dist[\\/]/i.test(command);
}

const HOOK_EVENTS = ['PreToolUse', 'PostToolUse', 'PostToolUseFailure'] as const;

function mergeHooks(config: Json, command: string, path: string): Json {
  const hooks = config.hooks ?? {};
  if (!isObject(hooks)) throw new AgentConfigRefused(`${path}: "hooks" is not an object; nothing was written`);
  const out: Json = { ...hooks };
  for (const event of HOOK_EVENTS) {
    const groups = hooks[event] ?? [];
    if (!Array.isArray(groups) || !groups.every(isObject)) throw new AgentConfigRefused(`${path}: "hooks.${event}" is not a list of matcher groups; nothing was written`);
    const want = { type: 'command', command };
    const hooksOf = (g: Json): unknown[] => (Array.isArray(g.hooks) ? g.hooks : []);
    const ours = groups.flatMap((g) => hooksOf(g).filter((h) => isObject(h) && isLifelineHook(h.command)).map((h) => ({ g, h: h as Json })));
    if (ours.length === 1 && ours[0]!.g.matcher === 'Bash' && ours[0]!.h.command === want.command) continue; // as wanted already
    // Drop Lifeline's earlier entries (e.g. an older path) and groups left empty by that; keep the rest as it is.
    const kept: Json[] = [];
    for (const g of groups) {
      if (!ours.some((o) => o.g === g)) kept.push(g);
      else {
        const rest = hooksOf(g).filter((h) => !(isObject(h) && isLifelineHook(h.command)));
        if (rest.length) kept.push({ ...g, hooks: rest });
      }
    }
    out[event] = [...kept, { matcher: 'Bash', hooks: [want] }];
  }
  return { ...config, hooks: out };
}

function tomlString(s: string): string {
  // Literal strings keep Windows backslashes readable; basic strings for the rest.
  // eslint-disable-next-line no-control-regex -- control characters cannot be in a literal string
  if (!/['\u0000-\u001f\u007f]/.test(s)) return `'${s}'`;
  return JSON.stringify(s); // a JSON string is a valid TOML basic string for these characters
}

function codexTable(c: AgentCommand): string {
  const lines = ['[mcp_servers.lifeline]', `command = ${tomlString(c.node)}`, `args = [${c.args.map(tomlString).join(', ')}]`];
  if (c.env && Object.keys(c.env).length) {
    lines.push(`env = { ${Object.entries(c.env).map(([k, v]) => `${/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k)} = ${tomlString(v)}`).join(', ')} }`);
  }
  return lines.join('\n') + '\n';
}

const HEADER = /^[ \t]*\[[ \t]*mcp_servers[ \t]*\.[ \t]*("lifeline"|'lifeline'|lifeline)[ \t]*\][ \t]*(#.*)?$/;

/** Codex: append the table, or replace Lifeline's own table in place; refuse what looks hand-made. */
function mergeCodexToml(text: string, c: AgentCommand, path: string, force: boolean): string {
  const table = codexTable(c);
  const lines = text.split('\n');
  const starts = lines.flatMap((l, i) => (HEADER.test(l) ? [i] : []));
  // Other spellings (dotted keys, a sub-table, an inline table under [mcp_servers]) are not ours to rewrite.
  const elsewhere = lines.some(
    (l, i) => !starts.includes(i) && (/^[ \t]*\[[ \t]*mcp_servers[ \t]*\.[ \t]*["']?lifeline["']?[ \t]*\./.test(l) || /^[ \t]*(mcp_servers[ \t]*\.[ \t]*)?["']?lifeline["']?[ \t]*[.=]/.test(l)),
  );
  if (starts.length > 1 || elsewhere) throw new AgentConfigRefused(`${path} already configures lifeline in a way Lifeline did not write; edit it by hand, nothing was written`);
  if (starts.length === 0) {
    const sep = text === '' ? '' : text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
    return text + sep + table;
  }
  const start = starts[0]!;
  let end = lines.findIndex((l, i) => i > start && /^[ \t]*\[/.test(l));
  if (end < 0) end = lines.length;
  // Trailing blank lines and comments belong to what follows.
  while (end > start + 1 && /^[ \t]*(#.*)?$/.test(lines[end - 1]!)) end--;
  const current = lines.slice(start, end).join('\n') + '\n';
  if (current === table) return text;
  const ours = (l: string) => /^[ \t]*(command|args|env)[ \t]*=/.test(l) || HEADER.test(l);
  if (!force && !lines.slice(start, end).every((l) => ours(l))) {
    throw new AgentConfigRefused(`${path}: [mcp_servers.lifeline] has settings Lifeline did not write; pass --force to replace the table, nothing was written`);
  }
  return [...lines.slice(0, start), ...table.replace(/\n$/, '').split('\n'), ...lines.slice(end)].join('\n');
}

async function readConfig(path: string): Promise<{ text: string; exists: boolean }> {
  let bytes: Buffer | null;
  try {
    bytes = await readRegularFile(path, { what: 'the agent config', maxBytes: MAX_CONFIG });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { text: '', exists: false };
    throw new AgentConfigRefused(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return bytes ? { text: bytes.toString('utf8'), exists: true } : { text: '', exists: false };
}

/** The text to write (pure): `before` merged with Lifeline's entry. */
export function planAgentConfigText(input: AgentConfigInput, path: string, before: string): string {
  const platform = input.platform ?? process.platform;
  if (input.client === 'codex' && input.kind === 'mcp') return mergeCodexToml(before, input.command, path, input.force ?? false);
  const config = parseJsonConfig(before, path);
  const merged =
    input.kind === 'mcp'
      ? mergeMcpJson(config, input.command, path)
      : mergeHooks(config, commandLine(input.command, platform), path);
  if (before.trim() && JSON.stringify(merged) === JSON.stringify(config)) return before;
  return JSON.stringify(merged, null, indentOf(before)) + '\n';
}

/** Reads the client's config file and plans the change; throws AgentConfigRefused when it cannot be merged. */
export async function planAgentConfig(input: AgentConfigInput): Promise<AgentConfigPlan> {
  const path = agentConfigPath(input.client, input.kind, input.scope, input.workspace, input.home);
  const { text: before, exists } = await readConfig(path);
  const after = planAgentConfigText(input, path, before);
  return { path, before, after, changed: after !== before, exists, newMode: input.scope === 'user' ? 0o600 : 0o644 };
}

/** Writes a plan whole or not at all, keeping the file's mode (and a symlink's target); refuses when the file changed since it was planned. */
export async function writeAgentConfig(plan: AgentConfigPlan): Promise<void> {
  if (!plan.changed) return;
  const now = await readConfig(plan.path);
  if (now.text !== plan.before || now.exists !== plan.exists) throw new AgentConfigRefused(`${plan.path} changed since the diff was shown; run the command again`);
  const target = plan.exists ? await realpath(plan.path) : plan.path;
  const mode = plan.exists ? (await stat(target)).mode & 0o7777 : plan.newMode;
  await mkdir(dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, plan.after, { mode, flag: 'wx' });
    await chmod(temp, mode); // exactly the old mode, whatever the umask
    await rename(temp, target);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

/** A line diff of two texts (common head and tail trimmed, 3 lines of context), for showing before asking. */
export function configDiff(path: string, before: string, after: string): string {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after.replace(/\n$/, '').split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ctx = 3;
  const from = Math.max(0, head - ctx);
  const out = [`--- ${before === '' ? '/dev/null' : path}`, `+++ ${path}`, `@@ -${from + 1} +${from + 1} @@`];
  for (const l of a.slice(from, head)) out.push(` ${l}`);
  for (const l of a.slice(head, a.length - tail)) out.push(`-${l}`);
  for (const l of b.slice(head, b.length - tail)) out.push(`+${l}`);
  for (const l of a.slice(a.length - tail, Math.min(a.length, a.length - tail + ctx))) out.push(` ${l}`);
  return out.join('\n') + '\n';
}
