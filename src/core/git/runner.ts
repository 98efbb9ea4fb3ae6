// Runs git through simple-git with argv only: every call has a timeout and honours an
// AbortSignal, and a caller can accept particular non-zero exit codes (merge conflicts,
// `merge-base --is-ancestor`) instead of treating them as failures.
import { simpleGit } from 'simple-git';

export const DEFAULT_GIT_TIMEOUT_MS = 60_000;

export interface GitResult {
  stdout: string;
  exitCode: number;
  /** stderr when the exit code was accepted (git writes its conflict notes there). */
  stderr: string;
}

export interface RunOptions {
  /** Working directory; the runner's directory when absent. */
  cwd?: string;
  /** Exit codes besides 0 that are answers, not errors. */
  okExit?: readonly number[];
  /** Kill git when it prints nothing for this long. */
  timeoutMs?: number;
}

/** A git failure: one line for the user, with the exit code and the argv. */
export class GitError extends Error {
  constructor(
    message: string,
    readonly args: readonly string[],
    readonly exitCode: number | undefined,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

function firstLine(text: string): string {
  const line = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  return line ?? '';
}

export class GitRunner {
  constructor(
    readonly cwd: string,
    readonly signal?: AbortSignal,
    readonly timeoutMs = DEFAULT_GIT_TIMEOUT_MS,
  ) {}

  /** A runner for another directory sharing this one's signal and timeout. */
  at(cwd: string): GitRunner {
    return new GitRunner(cwd, this.signal, this.timeoutMs);
  }

  async run(args: readonly string[], options: RunOptions = {}): Promise<GitResult> {
    if (this.signal?.aborted) throw new GitError('cancelled', args, undefined);
    let exitCode = 0;
    let stderr = '';
    const ok = options.okExit ?? [];
    const git = simpleGit({
      baseDir: options.cwd ?? this.cwd,
      trimmed: false,
      maxConcurrentProcesses: 1,
      timeout: { block: options.timeoutMs ?? this.timeoutMs },
      ...(this.signal ? { abort: this.signal } : {}),
      errors(error, result) {
        exitCode = result.exitCode;
        stderr = Buffer.concat(result.stdErr).toString('utf8');
        if (error instanceof Error) return error;
        if (result.exitCode === 0 || ok.includes(result.exitCode)) return undefined;
        return Buffer.concat([...result.stdErr, ...result.stdOut]);
      },
    });
    try {
      const stdout = await git.raw([...args]);
      return { stdout, exitCode, stderr };
    } catch (e) {
      if (this.signal?.aborted) throw new GitError('cancelled', args, undefined);
      const text = e instanceof Error ? e.message : String(e);
      const ms = options.timeoutMs ?? this.timeoutMs;
      if (/block timeout reached/.test(text)) {
        throw new GitError(`git ${args[0] ?? ''} printed nothing for ${Math.round(ms / 1000)} s and was stopped`, args, undefined);
      }
      const line = firstLine(text) || `git ${args[0] ?? ''} failed`;
      throw new GitError(line, args, exitCode || undefined);
    }
  }

  /** stdout of a call that must succeed. */
  async out(args: readonly string[], options: RunOptions = {}): Promise<string> {
    return (await this.run(args, options)).stdout;
  }
}
