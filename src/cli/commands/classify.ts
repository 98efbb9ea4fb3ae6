// `lifeline classify [FILE|-] [--json]`: which known failure does this output show?
// Streams the input (any size) through the symptom engine; exit 0 matched, 3 none, 2 bad input.
import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { compileMatcher } from '../../core/matching/matcher';
import { SymptomStream } from '../../core/matching/stream';
import { classifyStream } from '../../core/classification/classifier';
import type { Classification } from '../../core/classification/classifier';
import { SYMPTOM_SOURCES } from '../../core/playbooks/model';
import type { SymptomSource } from '../../core/playbooks/model';
import { loadPlaybooks } from '../playbooks';
import { EXIT, paint, usageError } from '../io';
import type { CliCommand, CliIO } from '../io';
import { shown, shownLines } from '../../core/text/shown';

export const classify: CliCommand = {
  path: ['classify'],
  usage: 'lifeline classify [FILE|-] [--json] [--source terminal|test-output|log] [--playbooks DIR]',
  summary: 'Name the failure in some output (a file, or standard input) and how to recover',
  async run(args, io) {
    let values: { json?: boolean; source?: string; playbooks?: string };
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { json: { type: 'boolean' }, source: { type: 'string' }, playbooks: { type: 'string' } },
      }));
    } catch (e) {
      return usageError(io, (e as Error).message);
    }
    if (positionals.length > 1) return usageError(io, 'classify takes one FILE (or - for standard input)');
    const source = values.source as SymptomSource | undefined;
    if (source && !SYMPTOM_SOURCES.includes(source)) return usageError(io, `--source must be one of ${SYMPTOM_SOURCES.join(', ')}`);
    const file = positionals[0] ?? '-';
    if (file === '-' && io.stdin.isTTY) return usageError(io, 'nothing to classify: give a FILE or pipe output into `lifeline classify -`');

    const loaded = await loadPlaybooks(io, values.playbooks);
    if (typeof loaded === 'number') return loaded;
    const stream = new SymptomStream(compileMatcher(loaded), { source });
    try {
      const input = file === '-' ? io.stdin : createReadStream(file);
      for await (const chunk of input) stream.write(chunk as Uint8Array | string);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return usageError(io, `cannot read ${file === '-' ? 'standard input' : file}: ${code ?? (e as Error).message}`);
    }
    stream.end();
    const result = classifyStream(loaded, stream);
    io.out.write(values.json ? JSON.stringify(result, null, 2) + '\n' : describe(io, result));
    return result.scenario ? EXIT.ok : EXIT.noMatch;
  },
};

function describe(io: CliIO, r: Classification): string {
  if (!r.scenario) return 'No known failure recognised.\n';
  const lines = [
    `${paint(io, 1, shown(r.title ?? r.scenario))} ${paint(io, 2, `(${r.scenario}, severity ${r.severity}, ${r.failure_type}, confidence ${r.confidence})`)}`,
    '',
    ...r.evidence.slice(0, 3).map((e) => `  ${paint(io, 33, `line ${e.line}:`)} ${shown(e.text.trim())}`),
    '',
    `${paint(io, 1, 'Root cause:')} ${shownLines(r.root_cause ?? '')}`,
    r.recoverable
      ? `${paint(io, 32, 'Recoverable.')} ${shownLines(r.recovery_plan ?? '')}`
      : `${paint(io, 31, 'Needs a person:')} ${shownLines(r.escalation_reason ?? '')}\n${shownLines(r.human_instructions ?? '')}`,
  ];
  if (r.suggested_actions.length) lines.push('', paint(io, 1, 'Suggested:'), ...r.suggested_actions.map((a) => `  - ${shown(a)}`));
  lines.push('', paint(io, 2, `Open the guide in VS Code: "Lifeline: Recover from Failure", or see \`lifeline playbooks list\`.`));
  return lines.join('\n') + '\n';
}
