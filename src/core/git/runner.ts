// Runs git through simple-git with argv only: every call has a timeout and honours an
// AbortSignal, and a caller can accept particular non-zero exit codes (merge conflicts,
// `merge-base --is-ancestor`) instead of treating them as failures.
//
// Every call runs nothing the repository configures: a folder nobody trusted (a cloned or
// unpacked `.git/config`) must not get code run by looking at it (Restricted Mode, agents on
// fresh clones). Command-line `-c` settings beat every config file, so each call turns off
// the programs git would otherwise start from config: the fsmonitor hook, hooks, clean/smudge
// filters (by name, listed from config), external diff and textconv, signing and signature
// checks, editors, credential helpers and network transports, automatic gc/maintenance.
// Custom merge drivers (merge.<name>.driver) cannot be switched off this way; they run only in
// the merge and revert fix-ups, which the user confirms in a trusted workspace.
import { devNull } from 'node:os';
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

/** Settings that keep every call from starting a program the repository's config names. */
export const LOCKED_DOWN_CONFIG: readonly string[] = [
  'core.fsmonitor=false',
  // No hook can exist under the null device (a file, not a folder) on any platform.
  `core.hooksPath=${devNull}`,
  'core.editor=:',
  'sequence.editor=:',
  'core.askPass=',
  'credential.helper=',
  'protocol.allow=never',
  'commit.gpgSign=false',
  'tag.gpgSign=false',
  'log.showSignature=false',
  'merge.verifySignatures=false',
  'gc.auto=0',
  'maintenance.auto=false',
];

/** Subcommands that can print diffs, which take the flags that keep external diff and textconv off. */
const DIFF_COMMANDS = new Set(['diff', 'log', 'show']);

/**
 * `-c` settings that switch off the clean/smudge filters named in `names` (config keys). A
 * driver name with `=` (or a control character) cannot be written as a `-c` key, so a config
 * holding one is refused rather than run.
 */
export function filterOverrides(names: readonly string[]): string[] {
  const drivers = new Set<string>();
  for (const n of names) {
    const m = /^filter\.([\s\S]+)\.(?:clean|smudge|process|required)$/i.exec(n);
    if (!m) continue;
    // eslint-disable-next-line no-control-regex -- control characters are what is refused
    if (/[=\u0000-\u001f\u007f]/.test(m[1]!)) throw new GitError(`refused: the repository's config names a filter ("${JSON.stringify(m[1]).slice(1, -1)}") git cannot be told to skip`, [], undefined);
    drivers.add(m[1]!);
  }
  return [...drivers].flatMap((d) => ['clean=', 'smudge=', 'process=', 'required=false'].map((v) => `filter.${d}.${v}`));
}

/**
 * simple-git refuses `-c` for these settings, because naming a program there runs it; ours
 * switch the programs off. Allowed for the runner's own settings only: a caller's argv may not
 * configure git at all (lockedDown refuses it), so the guard still holds for everything else.
 */
const UNSAFE_BUT_OURS = {
  allowUnsafeFsMonitor: true,
  allowUnsafeHooksPath: true,
  allowUnsafeEditor: true,
  allowUnsafeAskPass: true,
  allowUnsafeCredentialHelper: true,
  allowUnsafeProtocolOverride: true,
  allowUnsafeFilter: true,
} as const;

/** Global options that would configure git (or point it at other programs). */
const CONFIGURING_OPTIONS = /^(?:-c|--config-env(?:=|$)|--exec-path(?:=|$)|-C$|--git-dir(?:=|$)|--work-tree(?:=|$))/;

/** argv with the locked-down settings in front and diff safety flags after the subcommand. */
function lockedDown(args: readonly string[], filters: readonly string[]): string[] {
  const out = [...LOCKED_DOWN_CONFIG, ...filters].flatMap((c) => ['-c', c]);
  const sub = args.findIndex((a) => !a.startsWith('-'));
  const globals = sub < 0 ? args : args.slice(0, sub);
  const configuring = globals.find((a) => CONFIGURING_OPTIONS.test(a));
  if (configuring !== undefined) throw new GitError(`refused: git option ${configuring} is not passed through the runner`, args, undefined);
  if (sub >= 0 && DIFF_COMMANDS.has(args[sub]!)) return [...out, ...args.slice(0, sub + 1), '--no-ext-diff', '--no-textconv', ...args.slice(sub + 1)];
  return [...out, ...args];
}

function firstLine(text: string): string {
  const line = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  return line ?? '';
}

/**
 * Commands that read only refs, commits and config, never a file's content through a filter:
 * they need no filter overrides, so they start without the config lookup (a git process less
 * before each of them, on the way every diagnosis opens the workspace).
 */
const FILTER_FREE = new Set(['rev-parse', 'for-each-ref', 'rev-list', 'show-ref', 'merge-base', 'symbolic-ref', 'config']);

function readsNoFiles(args: readonly string[]): boolean {
  return FILTER_FREE.has(args[0] ?? '') || (args[0] === 'worktree' && args[1] === 'list');
}

/** How long the filter names read from a directory's config are reused. */
const FILTER_NAMES_TTL_MS = 2000;

export class GitRunner {
  constructor(
    readonly cwd: string,
    readonly signal?: AbortSignal,
    readonly timeoutMs = DEFAULT_GIT_TIMEOUT_MS,
    /** Filter overrides per directory, shared with the runners `at()` makes. */
    private readonly filterCache = new Map<string, { at: number; overrides: Promise<string[]> }>(),
  ) {}

  /** A runner for another directory sharing this one's signal and timeout. */
  at(cwd: string): GitRunner {
    return new GitRunner(cwd, this.signal, this.timeoutMs, this.filterCache);
  }

  /**
   * The overrides for the filters the config seen from `dir` defines (worktrees can have
   * their own config). Reading config runs nothing; a directory git cannot read has none.
   */
  private filtersFor(dir: string): Promise<string[]> {
    const hit = this.filterCache.get(dir);
    if (hit && Date.now() - hit.at < FILTER_NAMES_TTL_MS) return hit.overrides;
    const overrides = this.exec(['config', '--null', '--name-only', '--get-regexp', '^filter\\.'], { cwd: dir, okExit: [1] }, [])
      .then(
        (r) => filterOverrides(r.stdout.split('\0')),
        // A directory git cannot read config in has no filters to switch off.
        () => [],
      );
    this.filterCache.set(dir, { at: Date.now(), overrides });
    return overrides;
  }

  async run(args: readonly string[], options: RunOptions = {}): Promise<GitResult> {
    if (this.signal?.aborted) throw new GitError('cancelled', args, undefined);
    const filters = readsNoFiles(args) ? [] : await this.filtersFor(options.cwd ?? this.cwd);
    return this.exec(args, options, filters);
  }

  private async exec(args: readonly string[], options: RunOptions, filters: readonly string[]): Promise<GitResult> {
    let exitCode = 0;
    let stderr = '';
    const ok = options.okExit ?? [];
    const git = simpleGit({
      baseDir: options.cwd ?? this.cwd,
      trimmed: false,
      maxConcurrentProcesses: 1,
      unsafe: UNSAFE_BUT_OURS,
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
      const stdout = await git.raw(lockedDown(args, filters));
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
