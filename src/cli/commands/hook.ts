// `lifeline hook claude-code [--playbooks DIR]`: answers one Claude Code hook event (JSON on
// stdin) in Claude Code's hook protocol (src/tools/claude-hook.ts). PreToolUse on Bash denies a
// command a playbook forbids; PostToolUse / PostToolUseFailure on a failed Bash adds the next
// step. It always exits 0: a bug or bad input of ours passes the call, with one line on stderr.
// The installed hook is the faster dist/hook.js, which gives the same answers and hands failed
// calls to this command.
// `lifeline hook install claude-code [--project|--user] [--yes] [--dry-run]`: writes the hooks.
import { parseArgs } from 'node:util';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { compileForbidden } from '../../core/playbooks/forbidden';
import { parseHookEvent, preToolUseAnswer } from '../../tools/claude-hook';
import { postToolUseAnswer } from '../../tools/claude-hook-post';
import type { HookAnswer } from '../../tools/claude-hook';
import { WORKSPACE_PLAYBOOKS } from '../../tools/workspace-playbooks';
import { EXIT, usageError } from '../io';
import type { CliCommand, CliIO } from '../io';
import { cliToolContext } from '../playbooks';
import { installAgentConfig, thisHook } from '../agent-install';

const MAX_EVENT = 8 * 1024 * 1024;

async function readEvent(io: CliIO): Promise<string> {
  let text = '';
  for await (const chunk of io.stdin) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    if (text.length > MAX_EVENT) throw new Error('the event is larger than 8 MiB');
  }
  return text;
}

function folderOrUndefined(dir: string): string | undefined {
  try {
    return statSync(dir).isDirectory() ? dir : undefined;
  } catch {
    return undefined;
  }
}

export const hookCommand: CliCommand = {
  path: ['hook', 'claude-code'],
  usage: 'lifeline hook claude-code [--playbooks DIR] < EVENT.json',
  summary: 'Answer a Claude Code hook event: deny forbidden commands, add the next step after a failure',
  async run(args, io) {
    let values: { playbooks?: string };
    try {
      ({ values } = parseArgs({ args, options: { playbooks: { type: 'string' } } }));
    } catch (e) {
      return usageError(io, (e as Error).message);
    }
    const log = (line: string) => io.err.write(`lifeline hook: ${line}\n`);
    try {
      const event = parseHookEvent(await readEvent(io));
      if (typeof event === 'string') {
        log(`${event}; passing`);
        return EXIT.ok;
      }
      // The workspace's own playbooks, as the fast path reads them.
      const dir = values.playbooks ?? (event.cwd ? folderOrUndefined(join(event.cwd, WORKSPACE_PLAYBOOKS)) : undefined);
      const ctx = cliToolContext({ ...io, cwd: event.cwd ?? io.cwd }, dir);
      let answer: HookAnswer | undefined;
      if (event.event === 'PreToolUse') answer = preToolUseAnswer(compileForbidden(await ctx.playbooks()), event);
      else if (event.event.startsWith('PostToolUse')) answer = await postToolUseAnswer(ctx, event);
      if (answer) io.out.write(JSON.stringify(answer) + '\n');
    } catch (e) {
      log(`${(e as Error).message?.split('\n')[0] ?? String(e)}; passing`);
    }
    return EXIT.ok;
  },
};

export const hookInstallCommand: CliCommand = {
  path: ['hook', 'install'],
  usage: 'lifeline hook install claude-code [--project|--user] [--yes|--dry-run] [--cwd DIR]',
  summary: "Add Lifeline's hooks to Claude Code's settings (shows the diff, asks first)",
  run: (args, io) => installAgentConfig(io, args, 'hook', ['claude-code'], thisHook()),
};
