// What happens to a command's output, wherever it ran (a terminal with shell integration, or a
// `lifeline` task): streamed into the symptom engine with bounded memory, read for test
// results when it ends, recorded as a noticed failure, and passed to the notifier. Command
// lines are checked against the playbooks' forbidden lists before anything else.
import { isAbsolute, join, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { FailureClassifier, ForbiddenHit, OutputStream } from '../../core/classification/failure-classifier';
import type { Detections } from '../detections';
import type { Notifier } from '../notifier';
import type { TestResults } from '../testing/test-results';
import type { TestIdentity } from '../../core/testreports/identity';
import type { WorkspaceFixups } from '../../core/engine/workspace-fixups';
import { splitCommandLine } from '../../core/shell/command-line';
import { TRIAGE_GUIDE } from '../../core/classification/classifier';
import { failureTypeLabel } from '../failure-type-label';

/** Output kept for reading test results: the last 2 MB of a run. */
const KEEP_CHARS = 2 * 1024 * 1024;

export interface RunInfo {
  source: 'terminal' | 'task';
  commandLine: string;
  cwd?: vscode.Uri;
  /** The run re-runs this one test (a quick fix): if it passes, that test's failure clears. */
  rerunOf?: TestIdentity;
}

export interface OutputRun {
  write(chunk: string): void;
  /** The command ended; classify, read test results, notify. Resolves when that is done. */
  finish(exitCode: number | undefined): Promise<void>;
}

export interface OutputWatchDeps {
  classifier(): Promise<FailureClassifier>;
  fixups(): Promise<WorkspaceFixups>;
  testResults: TestResults;
  detections: Detections;
  notifier: Notifier;
  log: vscode.LogOutputChannel;
}

export class OutputWatch {
  /** Runs that finished, newest last (tests wait on it). */
  readonly finished: { commandLine: string; exitCode: number | undefined; scenario: string | undefined }[] = [];
  private readonly finishedEmitter = new vscode.EventEmitter<OutputWatch['finished'][number]>();
  readonly onDidFinish = this.finishedEmitter.event;

  constructor(private readonly deps: OutputWatchDeps) {}

  dispose(): void {
    this.finishedEmitter.dispose();
  }

  begin(info: RunInfo): OutputRun {
    let stream: OutputStream | undefined;
    const early: string[] = [];
    let kept: string[] = [];
    let keptChars = 0;
    const ready = this.deps.classifier().then((c) => {
      stream = c.stream(info.source === 'task' ? 'terminal' : 'terminal');
      for (const chunk of early.splice(0)) stream.write(chunk);
    });
    return {
      write: (chunk) => {
        if (stream) stream.write(chunk);
        else early.push(chunk);
        kept.push(chunk);
        keptChars += chunk.length;
        if (keptChars > KEEP_CHARS * 2) {
          const text = kept.join('').slice(-KEEP_CHARS);
          kept = [text];
          keptChars = text.length;
        }
      },
      finish: async (exitCode) => {
        await ready;
        const c = stream!.end(exitCode);
        const text = kept.join('').slice(-KEEP_CHARS);
        kept = [];
        let testFailures = 0;
        try {
          testFailures = await this.deps.testResults.ingestOutput(text, info.commandLine, info.cwd, info.rerunOf);
        } catch (e) {
          this.deps.log.error(`reading test output: ${e instanceof Error ? e.message : String(e)}`);
        }
        let scenario: string | undefined;
        if (c?.kind === 'known') {
          scenario = c.scenario;
          const { detection } = this.deps.detections.add({
            scenario: c.scenario,
            title: c.title,
            fingerprint: c.fingerprint,
            source: info.source,
            evidence: c.evidence,
            at: new Date(),
            commandLine: info.commandLine,
            ...(exitCode !== undefined ? { exitCode } : {}),
            confidence: c.confidence,
          });
          this.deps.notifier.failure(detection);
        } else if (c?.kind === 'unrecognised' && exitCode !== 0 && exitCode !== 130 && testFailures === 0) {
          // It failed (a non-zero exit, a traceback, a FAIL summary) and nothing known matched:
          // say so with the failure type and offer the triage guide. Exit 0 is a run that
          // recovered (a retried traceback); 130 is Ctrl+C; failing tests are in the Test view.
          scenario = c.guide ?? TRIAGE_GUIDE;
          const program = firstWord(info.commandLine) || vscode.l10n.t('A command');
          const kind = failureTypeLabel(c.failureType);
          const { detection } = this.deps.detections.add({
            scenario,
            title:
              exitCode !== undefined
                ? vscode.l10n.t('Unrecognised {0}: {1} exited with code {2}', kind, program, exitCode)
                : vscode.l10n.t('Unrecognised {0} in {1}', kind, program),
            fingerprint: `triage|${c.failureType}|${program}|${exitCode ?? ''}`,
            source: info.source,
            evidence: c.evidence.length ? c.evidence : lastLines(text, 5).map((t) => ({ text: t, source: info.source })),
            at: new Date(),
            commandLine: info.commandLine,
            ...(exitCode !== undefined ? { exitCode } : {}),
            failureType: c.failureType,
          });
          this.deps.notifier.failure(detection);
        }
        const record = { commandLine: info.commandLine, exitCode, scenario };
        this.finished.push(record);
        if (this.finished.length > 200) this.finished.shift();
        this.deps.log.info(`${info.source} command finished (exit ${exitCode ?? '?'}): ${scenario ?? 'no known failure'}`);
        this.finishedEmitter.fire(record);
      },
    };
  }

  /**
   * Warnings for a command line: what the playbooks forbid, and `git worktree remove --force`
   * on a worktree that holds uncommitted work. Returns what it warned about.
   */
  /** `cwd`: where the command runs (a relative worktree path is resolved from there). */
  async checkCommandLine(commandLine: string, warn = true, cwd?: string): Promise<ForbiddenHit[]> {
    const hits = [...(await this.deps.classifier()).forbidden(commandLine)];
    const named = forcedWorktreeRemoval(commandLine);
    // Relative to `git -C DIR` when given (itself relative to where the command runs).
    const base = named?.dir !== undefined ? (cwd ? resolve(cwd, named.dir) : named.dir) : cwd;
    const forced = named && base && !isAbsolute(named.path) ? resolve(base, named.path) : named?.path;
    if (forced) {
      try {
        const r = await (await this.deps.fixups()).probe('worktree.dirty', forced);
        if (r.answer === 'yes') {
          hits.push({
            scenario: 'worktree-corruption',
            title: vscode.l10n.t('Git worktree corruption'),
            reason: vscode.l10n.t('{0} has uncommitted work{1}; --force deletes it. Save it first (Stuck Workstreams: Save Work in Progress).', forced, r.detail ? ` (${r.detail})` : ''),
          });
        }
      } catch (e) {
        this.deps.log.warn(`checking ${forced} before a forced removal: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (hits.length && warn) this.deps.notifier.forbidden(commandLine, hits);
    return hits;
  }
}

/**
 * The worktree path of `git [-C DIR] [opts] worktree remove --force|-f PATH`, if that is the
 * command, with the folder `-C` names (git resolves PATH from there).
 */
export function forcedWorktreeRemoval(commandLine: string): { path: string; dir?: string } | undefined {
  const split = splitCommandLine(commandLine.replace(/\s*(?:&&|;|\|\|).*$/, ''), process.platform === 'win32');
  if (!split.ok) return undefined;
  const a = split.argv;
  const git = a.findIndex((x) => /(?:^|[\\/])git(?:\.exe)?$/.test(x));
  if (git < 0) return undefined;
  const rest = a.slice(git + 1);
  const wt = rest.indexOf('worktree');
  if (wt < 0 || rest[wt + 1] !== 'remove') return undefined;
  const args = rest.slice(wt + 2);
  if (!args.some((x) => x === '--force' || x === '-f' || x === '-ff')) return undefined;
  const path = args.filter((x) => !x.startsWith('-')).at(-1);
  if (path === undefined) return undefined;
  // Several -C options compose, as in git.
  let dir: string | undefined;
  for (let i = 0; i < wt; i++) if (rest[i] === '-C' && rest[i + 1] !== undefined) dir = dir === undefined || isAbsolute(rest[i + 1]!) ? rest[i + 1]! : join(dir, rest[i + 1]!);
  return dir === undefined ? { path } : { path, dir };
}

function firstWord(commandLine: string): string {
  return commandLine.trim().split(/\s+/)[0]?.split(/[\\/]/).pop() ?? '';
}

function lastLines(text: string, n: number): string[] {
  return text
    .replace(/\r/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-n)
    .map((l) => l.slice(0, 4_000));
}
