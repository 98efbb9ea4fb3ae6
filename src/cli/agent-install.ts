// What `lifeline mcp install` and `lifeline hook install` share: the scope flags, the command that
// points back at this very CLI, and show-the-diff-then-ask before writing a client's config.
// Config is not trust (it only says how to start Lifeline), so --yes may write it without a
// terminal; without --yes and without a terminal nothing is written.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AgentConfigRefused, configDiff, planAgentConfig, writeAgentConfig } from '../tools/agent-config';
import type { AgentClient, AgentCommand, AgentConfigKind } from '../tools/agent-config';
import { confirm } from './fixup-support';
import { EXIT, usageError } from './io';
import type { CliIO } from './io';
import { shown, shownLines } from '../core/text/shown';

/** `node /abs/dist/cli.js ...words`: this CLI as it runs now, with absolute paths. */
export function thisCli(...words: string[]): AgentCommand {
  // Bundled, this code runs from dist/cli-full.js; the command to start is its front door beside it.
  const file = /[\\/]cli-full\.js$/.test(__filename) ? join(__dirname, 'cli.js') : __filename;
  return { node: process.execPath, args: [resolve(file), ...words] };
}

/** The hook's fast path beside this bundle (dist/hook.js), which hands failed calls back to this CLI. */
export function thisHook(): AgentCommand {
  return { node: process.execPath, args: [join(__dirname, 'hook.js'), 'claude-code'] };
}

export async function installAgentConfig(
  io: CliIO,
  args: string[],
  kind: AgentConfigKind,
  clients: readonly AgentClient[],
  command: AgentCommand,
): Promise<number> {
  let values: { project?: boolean; user?: boolean; yes?: boolean; 'dry-run'?: boolean; force?: boolean; cwd?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { project: { type: 'boolean' }, user: { type: 'boolean' }, yes: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, force: { type: 'boolean' }, cwd: { type: 'string' } },
    }));
  } catch (e) {
    return usageError(io, (e as Error).message);
  }
  const client = positionals[0] as AgentClient | undefined;
  if (positionals.length !== 1 || !client || !clients.includes(client)) return usageError(io, `name one client: ${clients.join(', ')}`);
  if (values.project && values.user) return usageError(io, 'give --project or --user, not both');
  const scope = values.user ? 'user' : 'project';
  let plan;
  try {
    plan = await planAgentConfig({
      client,
      kind,
      scope,
      workspace: resolve(io.cwd, values.cwd ?? '.'),
      home: homedir(),
      command,
      ...(values.force ? { force: true } : {}),
    });
  } catch (e) {
    if (!(e instanceof AgentConfigRefused)) throw e;
    io.err.write(`lifeline: refused: ${shown(e.message)}\n`);
    return EXIT.refused;
  }
  if (!plan.changed) {
    io.out.write(`${shown(plan.path)} already has Lifeline's ${kind === 'mcp' ? 'server' : 'hooks'}; nothing to do.\n`);
    return EXIT.ok;
  }
  io.out.write(shownLines(configDiff(plan.path, plan.before, plan.after)));
  if (values['dry-run']) {
    io.out.write('Dry run: nothing written.\n');
    return EXIT.ok;
  }
  if (!values.yes) {
    if (!io.stdin.isTTY) {
      io.err.write('lifeline: not written: confirm at a terminal, or pass --yes (or --dry-run to only show the diff)\n');
      return EXIT.refused;
    }
    if (!(await confirm(io, `Write ${shown(plan.path)}?`))) {
      io.err.write('lifeline: not written (not confirmed)\n');
      return EXIT.refused;
    }
  }
  try {
    await writeAgentConfig(plan);
  } catch (e) {
    if (!(e instanceof AgentConfigRefused)) throw e;
    io.err.write(`lifeline: refused: ${shown(e.message)}\n`);
    return EXIT.refused;
  }
  io.out.write(`Wrote ${shown(plan.path)}.\n`);
  return EXIT.ok;
}
