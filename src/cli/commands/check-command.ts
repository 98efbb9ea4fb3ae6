// `lifeline check-command COMMAND... [--cwd DIR] [--json] [--playbooks DIR]`: does a playbook
// forbid this command line (or would it force-remove a worktree holding uncommitted work, read
// from DIR, where the command would run), and why. Exit 0 allowed, 4 forbidden (refused for safety).
import { parseArgs } from 'node:util';
import { checkCommandTool } from '../../tools/check-command';
import { paint, usageError } from '../io';
import type { CliCommand } from '../io';
import { cliToolContext } from '../playbooks';
import { shown } from '../../core/text/shown';

export const checkCommand: CliCommand = {
  path: ['check-command'],
  usage: 'lifeline check-command [--cwd DIR] [--json] [--playbooks DIR] [--] COMMAND...',
  summary: 'Say whether a playbook forbids a command line, and why',
  async run(args, io) {
    let values: { json?: boolean; playbooks?: string; cwd?: string };
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, playbooks: { type: 'string' }, cwd: { type: 'string' } } }));
    } catch (e) {
      return usageError(io, (e as Error).message);
    }
    // Several words are one command line, as a shell would have run them.
    const command = positionals.join(' ');
    if (!command.trim()) return usageError(io, 'check-command takes the COMMAND to check');
    const { data, exitCode } = await checkCommandTool(cliToolContext(io, values.playbooks), { command, ...(values.cwd !== undefined ? { cwd: values.cwd } : {}) });
    if (values.json) io.out.write(JSON.stringify(data, null, 2) + '\n');
    else if (!data.forbidden) io.out.write('No playbook forbids this command.\n');
    else for (const r of data.rules) io.out.write(`${paint(io, 31, 'Forbidden')} by ${shown(r.playbook)}: ${shown(r.reason)}\n`);
    return exitCode;
  },
};
