// `lifeline mcp install claude-code|codex|cursor [--project|--user] [--yes] [--dry-run] [--force]`:
// adds `lifeline mcp` (this CLI, by absolute path) to the client's MCP config.
import type { CliCommand } from '../io';
import { installAgentConfig, thisCli } from '../agent-install';

export const mcpInstallCommand: CliCommand = {
  path: ['mcp', 'install'],
  usage: 'lifeline mcp install claude-code|codex|cursor [--project|--user] [--yes|--dry-run] [--force]',
  summary: "Add Lifeline's MCP server to an agent's config (shows the diff, asks first)",
  run: (args, io) => installAgentConfig(io, args, 'mcp', ['claude-code', 'codex', 'cursor'], thisCli('mcp')),
};
