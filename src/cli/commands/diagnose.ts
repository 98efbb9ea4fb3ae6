// `lifeline diagnose [--cwd DIR] [--json]`: every finding in the workspace with the fix-ups
// that apply. JSON: {"findings":[{"id","kind","subject","source","scenario","detail","actions":[...]}]};
// "source" names whose state it was found in: "orchestration-db", "git", "workstream-specs".
import { parseArgs } from 'node:util';
import { diagnoseJson, diagnoseReport, warmSources } from '../../tools/diagnose';
import { EXIT, paint, usageError } from '../io';
import type { CliCommand } from '../io';
import { workspaceFrom } from '../fixup-support';
import { shown } from '../../core/text/shown';
import { plural } from '../../core/text/strings';

export const diagnoseCommand: CliCommand = {
  path: ['diagnose'],
  usage: 'lifeline diagnose [--cwd DIR] [--json] [--timings]',
  summary: 'Find stuck or failed workstreams, broken worktrees, dependency cycles and database trouble',
  async run(args, io) {
    let values: { cwd?: string; json?: boolean; timings?: boolean };
    try {
      ({ values } = parseArgs({ args, options: { cwd: { type: 'string' }, json: { type: 'boolean' }, timings: { type: 'boolean' } } }));
    } catch (e) {
      return usageError(io, (e as Error).message);
    }
    warmSources();
    const ws = await workspaceFrom(io, values.cwd);
    const report = await diagnoseReport(ws);
    if (values.json) {
      io.out.write(JSON.stringify(diagnoseJson(report, values.timings), null, 2) + '\n');
      return EXIT.ok;
    }
    const scope = `${plural(report.worktrees.length, 'worktree')}; database ${report.databaseWired ? (report.rows ? plural(report.rows.length, 'row') : 'not readable') : 'not checked (not wired in this build)'}`;
    if (report.findings.length === 0) io.out.write(`No problems found (${scope}).\n`);
    for (const f of report.findings) {
      io.out.write(`${paint(io, 1, `[${f.kind}]`)} ${shown(f.subject)}  ${paint(io, 2, `playbook: ${shown(f.scenario)}`)}\n  ${shown(f.detail)}\n`);
      for (const a of f.actions) io.out.write(`  ${a.effect === 'destructive' ? paint(io, 33, '!') : '>'} lifeline fix ${shown(a.id)}   ${paint(io, 2, shown(a.title))}\n`);
    }
    if (report.findings.length) io.out.write(`\n${plural(report.findings.length, 'finding')} (${scope}).\n`);
    // A tool whose state could not be read: one line, not a finding.
    for (const t of report.tools) if (t.note) io.out.write(`${paint(io, 2, 'note:')} ${shown(t.note)}\n`);
    if (values.timings) io.out.write(`timings ms: ${JSON.stringify(report.timings)}\n`);
    return EXIT.ok;
  },
};
