// `lifeline mcp [--cwd DIR] [--playbooks DIR]`: serves Lifeline's tools to a terminal agent over
// MCP on stdio (src/mcp/server.ts). stdout belongs to the protocol: anything else that would
// print there goes to stderr.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { usageError } from '../io';
import type { CliCommand } from '../io';
import { cliToolContext } from '../playbooks';
import { isTrusted } from '../../tools/trust';
import { findRepositoryRoot } from '../../core/git/repository';

export const mcpCommand: CliCommand = {
  path: ['mcp'],
  usage: 'lifeline mcp [--cwd DIR] [--playbooks DIR]',
  summary: "Serve Lifeline's tools to an agent over MCP (stdio)",
  async run(args, io) {
    let values: { cwd?: string; playbooks?: string };
    try {
      ({ values } = parseArgs({ args, options: { cwd: { type: 'string' }, playbooks: { type: 'string' } } }));
    } catch (e) {
      return usageError(io, (e as Error).message);
    }
    const dir = resolve(io.cwd, values.cwd ?? '.');
    const log = (line: string) => io.err.write(`lifeline mcp: ${line}\n`);
    // A stray console.log from any module would corrupt the protocol stream.
    console.log = console.info = console.debug = (...a: unknown[]) => log(a.map(String).join(' '));
    const root = await findRepositoryRoot(dir).catch(() => dir);
    const trusted = await isTrusted(root);
    const { createServer } = await import('../../mcp/server');
    const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
    const server = createServer({ ctx: { ...cliToolContext({ ...io, cwd: dir }, values.playbooks) }, trusted, version: '0.1.0', log });
    log(`serving ${root} (${trusted ? 'trusted' : 'not on the trust list: read-only tools only'})`);
    const closed = new Promise<void>((res) => {
      server.server.onclose = () => res();
    });
    await server.connect(new StdioServerTransport());
    await closed;
    return 0;
  },
};
