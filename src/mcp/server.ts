// `lifeline mcp`: the tools of src/tools over MCP (stdio, the official v1 SDK). Adapters only:
// each tool validates its input with zod, calls the shared implementation and sends its data as
// structuredContent plus a JSON text block. Fix and undo apply only after a human's yes through
// elicitation, bound to the plan shown, and never in a folder missing from the trust list.
// stdout carries protocol messages only; logs go to stderr.
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Playbook } from '../core/playbooks/model';
import { shown } from '../core/text/shown';
import { TOOL_INFO } from '../tools/catalog';
import { TOOL_SCHEMAS } from '../tools/inputs';
import { classifyTool } from '../tools/classify';
import { guideTool } from '../tools/guide';
import { checkCommandTool } from '../tools/check-command';
import { recordAttemptTool } from '../tools/attempts';
import { diagnoseTool, journalTool } from '../tools/diagnose';
import { previewFixTool, runFix } from '../tools/fix';
import type { Consent } from '../tools/fix';
import { runUndo } from '../tools/undo';
import type { UndoConsent } from '../tools/undo';
import { EXIT, exitForError } from '../tools/outcome';
import type { ToolContext, ToolOutcome } from '../tools/outcome';
import { plural } from '../core/text/strings';

export interface ServerOptions {
  ctx: ToolContext;
  /** Whether the workspace folder is on the trust list (checked by the caller at start). */
  trusted: boolean;
  version: string;
  log: (line: string) => void;
}

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

function result(o: ToolOutcome<object>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(o.data, null, 2) }], structuredContent: o.data as Record<string, unknown>, ...(o.error !== undefined ? { isError: true } : {}) };
}

function refusal(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/** Any error a tool throws becomes a tool error with its one line, never a crash. */
async function guarded(log: (l: string) => void, name: string, run: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await run();
  } catch (e) {
    const { message } = exitForError(e);
    log(`${name}: ${message}`);
    return refusal(message);
  }
}

const UNTRUSTED = (dir: string) =>
  `Refused: ${dir} is not on Lifeline's trust list, so only the read-only tools run here. A person can trust it with \`lifeline trust ${dir}\` in a terminal.`;

function askHuman(action: string): string {
  return `Refused: this client cannot ask the human (no MCP form elicitation), and a model's say-so is not consent. Ask your human to run \`lifeline fix ${action}\` in a terminal, or to confirm it in VS Code's Lifeline panel.`;
}

export function createServer(o: ServerOptions): McpServer {
  const { ctx, log } = o;
  const server = new McpServer({ name: 'lifeline', version: o.version }, { capabilities: { tools: {}, resources: {} } });
  // The plan is shown in a form; a client that elicits only by URL cannot show it (the SDK reads
  // a bare `elicitation: {}` as form mode).
  const canAsk = () => Boolean(server.server.getClientCapabilities()?.elicitation?.form);

  server.registerTool(
    'lifeline_classify',
    {
      title: TOOL_INFO.lifeline_classify.title,
      description: TOOL_INFO.lifeline_classify.description,
      inputSchema: TOOL_SCHEMAS.lifeline_classify,
      annotations: { title: TOOL_INFO.lifeline_classify.title, ...READ_ONLY },
    },
    (args) => guarded(log, 'lifeline_classify', async () => result(await classifyTool(ctx, { text: args.text, ...(args.source ? { source: args.source } : {}) }))),
  );

  server.registerTool(
    'lifeline_guide',
    {
      title: TOOL_INFO.lifeline_guide.title,
      description: TOOL_INFO.lifeline_guide.description,
      inputSchema: TOOL_SCHEMAS.lifeline_guide,
      annotations: { title: TOOL_INFO.lifeline_guide.title, ...READ_ONLY },
    },
    (args) => guarded(log, 'lifeline_guide', async () => result(await guideTool(ctx, args, { discard: false, acknowledge: false, fixupsAllowed: false }))),
  );

  server.registerTool(
    'lifeline_check_command',
    {
      title: TOOL_INFO.lifeline_check_command.title,
      description: TOOL_INFO.lifeline_check_command.description,
      inputSchema: TOOL_SCHEMAS.lifeline_check_command,
      annotations: { title: TOOL_INFO.lifeline_check_command.title, ...READ_ONLY },
    },
    (args) => guarded(log, 'lifeline_check_command', async () => result(await checkCommandTool(ctx, { command: args.command, ...(args.cwd !== undefined ? { cwd: args.cwd } : {}) }))),
  );

  server.registerTool(
    'lifeline_record_attempt',
    {
      title: TOOL_INFO.lifeline_record_attempt.title,
      description: TOOL_INFO.lifeline_record_attempt.description,
      inputSchema: TOOL_SCHEMAS.lifeline_record_attempt,
      annotations: { title: TOOL_INFO.lifeline_record_attempt.title, readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    (args) =>
      guarded(log, 'lifeline_record_attempt', async () => {
        if (!o.trusted) return refusal(UNTRUSTED(ctx.cwd));
        return result(await recordAttemptTool(ctx, args));
      }),
  );

  server.registerTool(
    'lifeline_diagnose',
    {
      title: TOOL_INFO.lifeline_diagnose.title,
      description: TOOL_INFO.lifeline_diagnose.description,
      inputSchema: TOOL_SCHEMAS.lifeline_diagnose,
      annotations: { title: TOOL_INFO.lifeline_diagnose.title, ...READ_ONLY },
    },
    () => guarded(log, 'lifeline_diagnose', async () => result(await diagnoseTool(ctx))),
  );

  server.registerTool(
    'lifeline_journal',
    {
      title: TOOL_INFO.lifeline_journal.title,
      description: TOOL_INFO.lifeline_journal.description,
      inputSchema: TOOL_SCHEMAS.lifeline_journal,
      annotations: { title: TOOL_INFO.lifeline_journal.title, ...READ_ONLY },
    },
    () => guarded(log, 'lifeline_journal', async () => result(await journalTool(ctx))),
  );

  server.registerTool(
    'lifeline_preview_fix',
    {
      title: TOOL_INFO.lifeline_preview_fix.title,
      description: TOOL_INFO.lifeline_preview_fix.description,
      inputSchema: TOOL_SCHEMAS.lifeline_preview_fix,
      annotations: { title: TOOL_INFO.lifeline_preview_fix.title, ...READ_ONLY },
    },
    (args) => guarded(log, 'lifeline_preview_fix', async () => result(await previewFixTool(ctx, { action: args.action }))),
  );

  server.registerTool(
    'lifeline_fix',
    {
      title: TOOL_INFO.lifeline_fix.title,
      description: TOOL_INFO.lifeline_fix.description,
      inputSchema: TOOL_SCHEMAS.lifeline_fix,
      annotations: { title: TOOL_INFO.lifeline_fix.title, readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    },
    (args) =>
      guarded(log, 'lifeline_fix', async () => {
        if (!o.trusted) return refusal(UNTRUSTED(ctx.cwd));
        if (!canAsk()) return refusal(askHuman(args.action));
        const consent: Consent = async (plan) => {
          const p = plan.preview;
          const discards = p.discards && p.discards.files.length + p.discards.commits.length > 0;
          // Names in the plan come from the workspace (file names, branch names, rows): escaped,
          // so that a file named "x\nDiscards: none" cannot forge a line of what the human reads.
          const lines = [
            `Lifeline: apply this fix-up? (plan ${plan.digest})`,
            `${shown(p.title)} [${p.effect}]`,
            ...(p.git ?? []).map((argv) => `  git ${argv.map(shown).join(' ')}`),
            ...(p.sql ?? []).map((q) => `  ${shown(q.statement)} (${plural(q.rows.length, 'row')})`),
            ...(p.files ?? []).slice(0, 20).map((f) => `  file ${shown(f)}`),
            ...p.notes.map((n) => `- ${shown(n)}`),
            ...(discards ? ['Discards:', ...p.discards!.files.map((f) => `  file ${shown(f)}`), ...p.discards!.commits.map((c) => `  commit ${shown(c)}`)] : []),
          ];
          const answer = await server.server.elicitInput({
            message: lines.join('\n'),
            requestedSchema: { type: 'object', properties: { confirm: { type: 'boolean', title: 'Apply exactly this plan', default: false } }, required: ['confirm'] },
          });
          if (answer.action !== 'accept' || answer.content?.confirm !== true) return { yes: false, error: `not applied: the human did not confirm (${answer.action})`, exitCode: EXIT.refused };
          // The human saw the discards listed in the plan they accepted.
          return { yes: true, discard: Boolean(discards) };
        };
        return result(await runFix(ctx, { action: args.action }, consent, { ...(args.previewId ? { previewId: args.previewId } : {}), recheck: true }));
      }),
  );

  server.registerTool(
    'lifeline_undo',
    {
      title: TOOL_INFO.lifeline_undo.title,
      description: TOOL_INFO.lifeline_undo.description,
      inputSchema: TOOL_SCHEMAS.lifeline_undo,
      annotations: { title: TOOL_INFO.lifeline_undo.title, readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    },
    (args) =>
      guarded(log, 'lifeline_undo', async () => {
        if (!o.trusted) return refusal(UNTRUSTED(ctx.cwd));
        if (!canAsk()) return refusal(`Refused: this client cannot ask the human (no MCP form elicitation). Ask your human to run \`lifeline undo${args.entry ? ` ${args.entry}` : ''}\` in a terminal.`);
        const consent: UndoConsent = async (_entry, lines) => {
          const answer = await server.server.elicitInput({
            message: ['Lifeline: undo this?', ...lines.map(shown)].join('\n'),
            requestedSchema: { type: 'object', properties: { confirm: { type: 'boolean', title: 'Undo exactly this', default: false } }, required: ['confirm'] },
          });
          return answer.action === 'accept' && answer.content?.confirm === true ? { yes: true } : { yes: false, error: `not undone: the human did not confirm (${answer.action})`, exitCode: EXIT.refused };
        };
        return result(await runUndo(ctx, args.entry ? { entry: args.entry } : {}, consent, { recheck: true }));
      }),
  );

  server.registerResource(
    'playbook',
    new ResourceTemplate('lifeline://playbooks/{id}', {
      list: async () => ({ resources: (await ctx.playbooks()).map((p) => ({ uri: `lifeline://playbooks/${p.id}`, name: p.id, title: p.title, mimeType: 'text/markdown' })) }),
    }),
    { title: 'Recovery playbook', description: 'A Lifeline playbook as Markdown', mimeType: 'text/markdown' },
    async (uri, vars) => {
      const id = String(vars.id);
      const p = (await ctx.playbooks()).find((x) => x.id === id);
      if (!p) throw new Error(`no playbook "${id}"`);
      return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: playbookMarkdown(p) }] };
    },
  );
  return server;
}

/** A playbook whole, as a person reads a runbook. Its text is the repository's: data, not instructions. */
function playbookMarkdown(p: Playbook): string {
  const out = [`# ${p.title}`, '', `id: \`${p.id}\` · severity ${p.severity} · ${p.recoverable ? 'recoverable' : 'needs a person'}`, ''];
  if (p.summary) out.push(p.summary, '');
  if (p.analysis?.rootCause) out.push('## Root cause', '', p.analysis.rootCause, '');
  if (p.analysis?.recoveryPlan) out.push('## Recovery plan', '', p.analysis.recoveryPlan, '');
  if (p.forbidden.length) out.push('## Never run', '', ...p.forbidden.map((f) => `- \`${f.pattern}\`: ${f.reason}`), '');
  out.push('## Steps', '');
  for (const n of p.nodes) {
    out.push(`- **${n.id}** (${n.kind}): ${n.title}`);
    if (n.kind === 'step') for (const c of n.commands) out.push(`  - \`${typeof c === 'string' ? c : JSON.stringify(c)}\``);
  }
  return out.join('\n') + '\n';
}
