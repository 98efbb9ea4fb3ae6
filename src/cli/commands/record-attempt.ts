// `lifeline record-attempt [FILE|-] [--fingerprint FP] [--exit-code N] [--cwd DIR] [--json]`:
// counts one failure for this workspace; the third identical one says to change approach.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { recordAttemptTool } from '../../tools/attempts';
import { paint, usageError } from '../io';
import type { CliCommand, CliIO } from '../io';
import { cliToolContext } from '../playbooks';
import { shown, shownLines } from '../../core/text/shown';

/** The most output read for one attempt: the failure lines are near the end, and it is counted, not kept. */
const MAX_TEXT = 4 * 1024 * 1024;

async function readInput(io: CliIO, file: string): Promise<string> {
  if (file !== '-') return (await readFile(file)).subarray(0, MAX_TEXT).toString('utf8');
  let text = '';
  for await (const chunk of io.stdin) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    if (text.length > MAX_TEXT) text = text.slice(-MAX_TEXT);
  }
  return text;
}

export const recordAttempt: CliCommand = {
  path: ['record-attempt'],
  usage: 'lifeline record-attempt [FILE|-] [--fingerprint FP] [--exit-code N] [--cwd DIR] [--json] [--playbooks DIR]',
  summary: 'Count a failed attempt in this workspace; the third identical failure says to change approach',
  async run(args, io) {
    let values: { json?: boolean; playbooks?: string; fingerprint?: string; cwd?: string; 'exit-code'?: string };
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { json: { type: 'boolean' }, playbooks: { type: 'string' }, fingerprint: { type: 'string' }, cwd: { type: 'string' }, 'exit-code': { type: 'string' } },
      }));
    } catch (e) {
      return usageError(io, (e as Error).message);
    }
    if (positionals.length > 1) return usageError(io, 'record-attempt takes one FILE (or - for standard input)');
    const exitText = values['exit-code'];
    if (exitText !== undefined && !/^-?\d{1,10}$/.test(exitText)) return usageError(io, '--exit-code must be a whole number');
    let text: string | undefined;
    if (values.fingerprint === undefined) {
      const file = positionals[0] ?? '-';
      if (file === '-' && io.stdin.isTTY) return usageError(io, 'nothing to record: give a FILE, pipe the failing output in, or pass --fingerprint');
      try {
        text = await readInput(io, file);
      } catch (e) {
        return usageError(io, `cannot read ${file === '-' ? 'standard input' : file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    } else if (positionals.length) return usageError(io, 'give the output or --fingerprint, not both');
    const { data, exitCode } = await recordAttemptTool(cliToolContext(io, values.playbooks), {
      ...(text !== undefined ? { text } : { fingerprint: values.fingerprint! }),
      ...(exitText !== undefined ? { exitCode: Number(exitText) } : {}),
      ...(values.cwd !== undefined ? { cwd: values.cwd } : {}),
    });
    if (values.json) io.out.write(JSON.stringify(data, null, 2) + '\n');
    else {
      const head = data.escalate ? paint(io, 31, 'Change approach.') : paint(io, 32, 'Retry.');
      io.out.write(`${head} Attempt ${data.count} of ${data.strikes} for ${shown(data.fingerprint)}\n${shownLines(data.next_step)}\n`);
    }
    return exitCode;
  },
};
