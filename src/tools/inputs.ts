// What each agent-facing tool accepts, once: MCP registers these schemas, the VS Code Language
// Model Tools validate with them (VS Code does not check a tool's input against its schema) and
// package.json's `languageModelTools` carries their JSON Schema (a unit test keeps it equal).
import * as z from 'zod';
import { SYMPTOM_SOURCES } from '../core/playbooks/model';
import type { ToolName } from './catalog';

const MiB = 1024 * 1024;

/** Each tool's input, as one object that refuses unknown keys (a model's `confirm: true` is an error, not ignored). */
export const TOOL_SCHEMAS = {
  lifeline_classify: z.strictObject({
    text: z.string().max(16 * MiB).describe('The failure output: build, test, terminal or agent log text'),
    source: z.enum(SYMPTOM_SOURCES).optional().describe('Where the text comes from, when known'),
  }),
  lifeline_guide: z.strictObject({
    playbook: z.string().max(200).optional().describe('A playbook id (lifeline_classify names it as the scenario)'),
    scenario: z.string().max(200).optional().describe("A classification's scenario: the playbook of that id"),
    subject: z.string().max(1000).optional().describe('What the guide is about: a workstream id, a worktree path'),
    answers: z.array(z.string().max(2000)).max(200).optional().describe('Moves so far, as the previous answer\'s `next` list spells them'),
  }),
  lifeline_check_command: z.strictObject({
    command: z.string().max(MiB).describe('The shell command line about to run'),
    cwd: z.string().max(4096).optional().describe('The folder it runs in'),
  }),
  lifeline_record_attempt: z.strictObject({
    text: z.string().max(16 * MiB).optional().describe('The failing output'),
    fingerprint: z.string().max(1000).optional().describe('A fingerprint from an earlier answer, instead of the text'),
  }),
  lifeline_diagnose: z.strictObject({}),
  lifeline_journal: z.strictObject({}),
  lifeline_preview_fix: z.strictObject({ action: z.string().min(1).max(4096).describe('An action id from lifeline_diagnose') }),
  lifeline_fix: z.strictObject({
    action: z.string().min(1).max(4096).describe('An action id from lifeline_diagnose'),
    previewId: z.string().regex(/^[0-9a-f]{16}$/).optional().describe('The previewId lifeline_preview_fix returned: a plan that changed since is refused'),
  }),
  lifeline_undo: z.strictObject({ entry: z.string().regex(/^\d{8}T\d{9}Z-[0-9a-f]{6}$/).optional().describe('A journal entry id (lifeline_journal); the latest when absent') }),
} as const satisfies Record<ToolName, z.ZodType>;

export type ToolInput<N extends ToolName> = z.infer<(typeof TOOL_SCHEMAS)[N]>;

/** `input` checked against tool `name`'s shape (unknown keys refused), or one line saying what is wrong. */
export function parseToolInput<N extends ToolName>(name: N, input: unknown): { ok: true; value: ToolInput<N> } | { ok: false; error: string } {
  const r = (TOOL_SCHEMAS[name] as z.ZodType).safeParse(input ?? {});
  if (r.success) return { ok: true, value: r.data as unknown as ToolInput<N> };
  const issue = r.error.issues[0]!;
  const at = issue.path.length ? `${issue.path.join('.')}: ` : '';
  return { ok: false, error: `invalid input for ${name}: ${at}${issue.message}` };
}

/** The JSON Schema package.json declares for tool `name`. */
export function toolInputJsonSchema(name: ToolName): Record<string, unknown> {
  const { $schema: _drop, ...schema } = z.toJSONSchema(TOOL_SCHEMAS[name]) as Record<string, unknown>;
  return schema;
}
