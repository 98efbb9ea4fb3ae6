// `lifeline fix ACTION_ID [--cwd DIR] [--dry-run] [--yes] [--expect DIGEST] [--discard] [--json] [--message M] [-- TEST...]`:
// shows exactly what the fix-up will do, asks (or takes --yes), applies and journals it. A dry
// run prints the plan's digest; `--yes --expect DIGEST` applies only that plan (another process
// may have changed the rows or the worktree between the two runs).
// Without a terminal and without --yes it refuses (exit 4); refused for safety exit 4; busy
// database exit 5.
import { parseArgs } from 'node:util';
import { effectUndoable } from '../../core/fixups/effects';
import { EXIT, usageError } from '../io';
import type { CliCommand, CliIO } from '../io';
import { confirm, formatPreview } from '../fixup-support';
import { showArg } from '../../core/shell/command-line';
import { isPlan, planFix, previewOutcome, runFix } from '../../tools/fix';
import type { Consent, FixJson } from '../../tools/fix';
import type { ToolContext } from '../../tools/outcome';
import { shown } from '../../core/text/shown';

interface FixValues {
  cwd?: string;
  'dry-run'?: boolean;
  yes?: boolean;
  discard?: boolean;
  json?: boolean;
  message?: string;
  expect?: string;
}

function report(io: CliIO, json: boolean, data: FixJson): number {
  if (json) io.out.write(JSON.stringify(data, null, 2) + '\n');
  else if (data.error) io.err.write(`lifeline: ${shown(data.error)}\n`);
  else if (data.result) {
    io.out.write(`${data.result.ok ? 'Done' : 'Not done'}: ${shown(data.result.message)}\n`);
    for (const line of data.result.output ?? []) io.out.write(`  ${shown(line)}\n`);
    if (data.result.handOff) io.out.write(`Continue with the ${data.result.handOff} playbook.\n`);
    const sha = data.result.values?.['merge-sha'];
    if (sha) io.out.write(`Next: lifeline fix merge.revert:${sha.slice(0, 12)}\n`);
    const id = data.result.journalId;
    if (id) io.out.write(data.preview && effectUndoable(data.preview.effect) ? `Journal entry ${id} (undo: lifeline undo ${id}).\n` : `Journal entry ${id} (this cannot be undone).\n`);
  }
  return data.exitCode;
}

export const fixCommand: CliCommand = {
  path: ['fix'],
  usage: 'lifeline fix ACTION_ID [--cwd DIR] [--dry-run] [--yes] [--expect DIGEST] [--discard] [--json] [--message M] [-- TEST COMMAND]',
  summary: 'Preview and apply one fix-up (ids come from lifeline diagnose)',
  async run(args, io) {
    const dash = args.indexOf('--');
    const own = dash < 0 ? args : args.slice(0, dash);
    const testArgv = dash < 0 ? [] : args.slice(dash + 1);
    let values: FixValues;
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({
        args: own,
        allowPositionals: true,
        options: {
          cwd: { type: 'string' },
          'dry-run': { type: 'boolean' },
          yes: { type: 'boolean', short: 'y' },
          discard: { type: 'boolean' },
          json: { type: 'boolean' },
          message: { type: 'string', short: 'm' },
          expect: { type: 'string' },
        },
      }));
    } catch (e) {
      return usageError(io, (e as Error).message);
    }
    if (positionals.length !== 1) return usageError(io, 'fix takes one ACTION_ID (see lifeline diagnose)');
    const id = positionals[0]!;
    const json = Boolean(values.json);
    const params: Record<string, string> = {};
    if (values.message !== undefined) params.message = values.message;
    if (testArgv.length) params.test = JSON.stringify(testArgv);
    const ctx: ToolContext = { cwd: io.cwd, ...(io.signal ? { signal: io.signal } : {}), playbooks: () => Promise.resolve([]) };
    const input = { action: id, ...(values.cwd !== undefined ? { cwd: values.cwd } : {}), ...(Object.keys(params).length ? { params } : {}) };
    const plan = await planFix(ctx, input);
    if (!isPlan(plan)) return report(io, json, plan.data);
    if (!json) io.out.write(formatPreview(io, plan.preview));
    if (values['dry-run']) {
      const outcome = previewOutcome(plan);
      if (!json && !outcome.error) io.out.write(`Plan ${plan.digest}: apply exactly this with lifeline fix ${showArg(id)} --yes --expect ${plan.digest}\n`);
      return report(io, json, outcome.data);
    }
    // A person at this terminal, or --yes (with --expect binding it to a reviewed plan).
    const consent: Consent = async (p) => {
      const d = p.preview.discards;
      if (d && (d.files.length || d.commits.length) && !values.discard) return { yes: false, error: 'refused: this would leave behind the work listed above; pass --discard to confirm exactly that', exitCode: EXIT.refused };
      if (values.yes) return { yes: true, discard: Boolean(values.discard) };
      if (!io.stdin.isTTY) return { yes: false, error: 'refused: no terminal to confirm on; review the preview (--dry-run), then pass --yes --expect with the plan it prints', exitCode: EXIT.refused };
      if (!(await confirm(io, p.preview.effect === 'destructive' ? 'Apply this destructive fix-up?' : 'Apply?'))) return { yes: false, error: 'not applied (not confirmed)', exitCode: EXIT.refused };
      return { yes: true, discard: Boolean(values.discard) };
    };
    const outcome = await runFix(ctx, input, consent, {
      plan,
      ...(values.expect !== undefined ? { previewId: values.expect } : {}),
      recheck: false,
      ...(json ? {} : { onProgress: (line: string) => io.err.write(`  ${shown(line)}\n`) }),
    });
    return report(io, json, outcome.data);
  },
};
