// `lifeline preflight [--cwd DIR] [--json] [--min-free-gb N]`: seed 001's checklist before agents
// are launched, one line per check. Exit 0 when clear, 1 with each blocker and its guide, so a
// launch script, CI or a session-start hook can gate on it. JSON: {"clear", "checks":[{"id","ok",
// "line","scenario"?,"findingIds"?}]}.
import { parseArgs } from 'node:util';
import { preflight } from '../../core/engine/preflight';
import type { PreflightCheck } from '../../core/engine/preflight';
import { minFreeGbProblem } from '../../core/engine/config-file';
import { defaultSources } from '../../core/engine/sources';
import { EXIT, paint, usageError } from '../io';
import type { CliIO, CliCommand } from '../io';
import { workspaceFrom } from '../fixup-support';
import { shown } from '../../core/text/shown';

/** One check as a line: plain ASCII markers, so a log or a CI grep reads it as a terminal does. */
export function checkLine(io: CliIO, c: PreflightCheck): string {
  if (c.ok) return `${paint(io, 32, 'ok')}       ${shown(c.line)}`;
  const guide = c.scenario ? `  ${paint(io, 2, `(guide: lifeline guide ${shown(c.scenario)})`)}` : '';
  return `${paint(io, 31, 'BLOCKER')}  ${shown(c.line)}${guide}`;
}

export const preflightCommand: CliCommand = {
  path: ['preflight'],
  usage: 'lifeline preflight [--cwd DIR] [--json] [--min-free-gb N]',
  summary: 'Check the workspace before launching agents (specs, main checkout, disk, worktrees, ghost runs, database); exit 1 on a blocker',
  async run(args, io) {
    let values: { cwd?: string; json?: boolean; 'min-free-gb'?: string };
    try {
      ({ values } = parseArgs({ args, options: { cwd: { type: 'string' }, json: { type: 'boolean' }, 'min-free-gb': { type: 'string' } } }));
    } catch (e) {
      return usageError(io, (e as Error).message);
    }
    let minFreeGb: number | undefined;
    if (values['min-free-gb'] !== undefined) {
      const raw = values['min-free-gb'].trim();
      // Number('') is 0 and Number('0x10') is 16: only plain decimals are a threshold.
      minFreeGb = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
      const problem = minFreeGbProblem(minFreeGb);
      if (problem) return usageError(io, `--min-free-gb ${problem} (got ${JSON.stringify(values['min-free-gb'])})`);
    }
    const ws = await workspaceFrom(io, values.cwd);
    const report = await preflight(ws, defaultSources(), minFreeGb === undefined ? {} : { minFreeGb });
    if (values.json) {
      io.out.write(JSON.stringify({ clear: report.clear, checks: report.checks }, null, 2) + '\n');
    } else {
      for (const c of report.checks) io.out.write(`${checkLine(io, c)}\n`);
      const blockers = report.checks.filter((c) => !c.ok).length;
      io.out.write(blockers ? `\n${blockers === 1 ? '1 blocker: fix it' : `${blockers} blockers: fix them`} before launching agents.\n` : '\nClear: nothing holds the launch.\n');
    }
    return report.clear ? EXIT.ok : EXIT.failure;
  },
};
