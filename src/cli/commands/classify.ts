// `lifeline classify [FILE|-] [--json]`: which known failure does this output show?
// Streams the input (any size) through the symptom engine; exit 0 matched, 3 none, 2 bad input.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { compileMatcher } from '../../core/matching/matcher';
import type { Matcher } from '../../core/matching/matcher';
import { SymptomStream } from '../../core/matching/stream';
import type { ScanResult } from '../../core/matching/stream';
import { partsFor, scanFileParallel } from '../parallel-scan';
import { classifyScanned } from '../../tools/classify';
import type { Classification } from '../../core/classification/classifier';
import { SYMPTOM_SOURCES } from '../../core/playbooks/model';
import type { SymptomSource } from '../../core/playbooks/model';
import { loadPlaybooks } from '../playbooks';
import { paint, usageError } from '../io';
import type { CliCommand, CliIO } from '../io';
import { shown, shownLines } from '../../core/text/shown';

/** Read size: with the default 64 KiB, a big log spends much of its time in read round trips. */
const READ_CHUNK = 1024 * 1024;

/** A large regular file on several threads, anything else streamed on this one. */
async function scan(matcher: Matcher, file: string, io: CliIO, source: SymptomSource | undefined): Promise<ScanResult> {
  if (file !== '-') {
    const { size, isFile } = await stat(file).then((s) => ({ size: s.size, isFile: s.isFile() }));
    const parts = isFile ? partsFor(size) : 1;
    if (parts > 1) return scanFileParallel(matcher, file, size, parts, source);
  }
  const stream = new SymptomStream(matcher, { source });
  const input = file === '-' ? io.stdin : createReadStream(file, { highWaterMark: READ_CHUNK });
  for await (const chunk of input) stream.write(chunk as Uint8Array | string);
  stream.end();
  return stream;
}

export const classify: CliCommand = {
  path: ['classify'],
  usage: 'lifeline classify [FILE|-] [--json] [--source terminal|test-output|log] [--exit-code N] [--playbooks DIR]',
  summary: 'Name the failure in some output (a file, or standard input) and how to recover',
  async run(args, io) {
    let values: { json?: boolean; source?: string; playbooks?: string; 'exit-code'?: string };
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { json: { type: 'boolean' }, source: { type: 'string' }, playbooks: { type: 'string' }, 'exit-code': { type: 'string' } },
      }));
    } catch (e) {
      return usageError(io, (e as Error).message);
    }
    if (positionals.length > 1) return usageError(io, 'classify takes one FILE (or - for standard input)');
    const source = values.source as SymptomSource | undefined;
    if (source && !SYMPTOM_SOURCES.includes(source)) return usageError(io, `--source must be one of ${SYMPTOM_SOURCES.join(', ')}`);
    const exitText = values['exit-code'];
    if (exitText !== undefined && !/^-?\d{1,10}$/.test(exitText)) return usageError(io, '--exit-code must be a whole number (the exit code of the command that printed the output)');
    const exitCode = exitText === undefined ? undefined : Number(exitText);
    const file = positionals[0] ?? '-';
    if (file === '-' && io.stdin.isTTY) return usageError(io, 'nothing to classify: give a FILE or pipe output into `lifeline classify -`');

    const loaded = await loadPlaybooks(io, values.playbooks);
    if (typeof loaded === 'number') return loaded;
    const matcher = compileMatcher(loaded);
    let scanned: ScanResult;
    try {
      scanned = await scan(matcher, file, io, source);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return usageError(io, `cannot read ${file === '-' ? 'standard input' : file}: ${code ?? (e as Error).message}`);
    }
    const { data: result, exitCode: code } = classifyScanned(loaded, scanned, exitCode);
    io.out.write(values.json ? JSON.stringify(result, null, 2) + '\n' : describe(io, result));
    return code;
  },
};

function describe(io: CliIO, r: Classification): string {
  if (!r.scenario && r.failed) {
    const lines = [
      `${paint(io, 1, 'Failed, but no playbook recognises how')} ${paint(io, 2, `(${r.failure_type})`)}`,
      ...r.evidence.slice(0, 3).map((e) => `  ${paint(io, 33, `line ${e.line}:`)} ${e.text.trim()}`),
      '',
      r.human_instructions ?? '',
    ];
    if (r.guide) lines.push('', paint(io, 2, `Open the triage guide: "Lifeline: Recover from Failure" in VS Code, or \`lifeline playbooks list\` (${r.guide}).`));
    return lines.join('\n') + '\n';
  }
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
