// `lifeline fix ACTION_ID [--cwd DIR] [--dry-run] [--yes] [--expect DIGEST] [--discard] [--json] [--message M] [-- TEST...]`:
// shows exactly what the fix-up will do, asks (or takes --yes), applies and journals it. A dry
// run prints the plan's digest; `--yes --expect DIGEST` applies only that plan (another process
// may have changed the rows or the worktree between the two runs).
// Without a terminal and without --yes it refuses (exit 4); refused for safety exit 4; busy
// database exit 5.
import { parseArgs } from 'node:util';
import { parseActionId } from '../../core/fixups/action-id';
import { effectUndoable } from '../../core/fixups/effects';
import { buildRegistry } from '../../core/fixups/engine';
import { openJournal } from '../../core/fixups/journal';
import { defaultSources } from '../../core/fixups/sources';
import { FixupRefused } from '../../core/fixups/types';
import type { ActionTarget, ApplyResult, Preview } from '../../core/fixups/types';
import { EXIT, usageError } from '../io';
import type { CliCommand, CliIO } from '../io';
import { confirm, exitForError, exitForRefusal, formatPreview, showArg, workspaceFrom } from '../fixup-support';
import { previewDigest } from '../../core/fixups/preview-digest';
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

function report(io: CliIO, json: boolean, data: { action: string; preview?: Preview; digest?: string; result?: ApplyResult; error?: string; exitCode: number }): number {
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
    let target: ActionTarget;
    try {
      target = parseActionId(id);
    } catch (e) {
      if (!(e instanceof FixupRefused)) return usageError(io, (e as Error).message);
      const { code, message } = exitForError(e);
      return report(io, json, { action: id, error: message, exitCode: code });
    }
    const params: Record<string, string> = {};
    if (values.message !== undefined) params.message = values.message;
    if (testArgv.length) params.test = JSON.stringify(testArgv);
    if (Object.keys(params).length) target.params = params;

    const ws = await workspaceFrom(io, values.cwd);
    // One clock for preview and apply, so names with a time in them (backup refs) match.
    const started = new Date();
    ws.now = () => started;
    const sources = defaultSources();
    const handler = buildRegistry(sources).get(target.action);
    if (!handler) return report(io, json, { action: id, error: `${target.action} is not available here (its module is not wired in this build)`, exitCode: EXIT.failure });

    let preview: Preview;
    try {
      preview = await handler.preview(ws, target);
    } catch (e) {
      const { code, message } = exitForError(e);
      return report(io, json, { action: id, error: message, exitCode: code });
    }
    const digest = previewDigest(preview);
    if (!json) io.out.write(formatPreview(io, preview));
    if (preview.refusal) return report(io, json, { action: id, preview, digest, error: `refused: ${preview.refusal.reason}`, exitCode: exitForRefusal(preview.refusal.code) });
    if (values['dry-run']) {
      if (!json) io.out.write(`Plan ${digest}: apply exactly this with lifeline fix ${showArg(id)} --yes --expect ${digest}\n`);
      return report(io, json, { action: id, preview, digest, exitCode: EXIT.ok });
    }
    if (values.expect !== undefined && values.expect !== digest) {
      return report(io, json, { action: id, preview, digest, error: `refused: the plan is no longer the one previewed (plan ${digest}, not ${values.expect}); nothing was changed. Review it again`, exitCode: EXIT.refused });
    }
    const d = preview.discards;
    if (d && (d.files.length || d.commits.length) && !values.discard) {
      return report(io, json, { action: id, preview, error: 'refused: this would leave behind the work listed above; pass --discard to confirm exactly that', exitCode: EXIT.refused });
    }
    if (!values.yes) {
      if (!io.stdin.isTTY) return report(io, json, { action: id, preview, error: 'refused: no terminal to confirm on; review the preview (--dry-run), then pass --yes --expect with the plan it prints', exitCode: EXIT.refused });
      if (!(await confirm(io, preview.effect === 'destructive' ? 'Apply this destructive fix-up?' : 'Apply?'))) {
        return report(io, json, { action: id, preview, error: 'not applied (not confirmed)', exitCode: EXIT.refused });
      }
    }
    try {
      const result = await handler.apply(ws, target, {
        discard: Boolean(values.discard),
        confirmed: preview,
        journal: openJournal(ws),
        ...(io.signal ? { signal: io.signal } : {}),
        onProgress: json ? undefined : (line) => io.err.write(`  ${shown(line)}\n`),
      });
      return report(io, json, { action: id, preview, digest, result, exitCode: result.ok ? EXIT.ok : EXIT.failure });
    } catch (e) {
      const { code, message } = exitForError(e);
      return report(io, json, { action: id, preview, error: message, exitCode: code });
    }
  },
};
