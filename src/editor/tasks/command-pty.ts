// The `lifeline` task's terminal: runs one command with child_process (argv, never a shell
// string; a line that needs a shell goes to the user's shell as ONE argument), shows all its
// output, streams it into the output watch, and warns before running a forbidden command —
// inside the terminal, so no modal dialog is needed (Enter runs it anyway, Esc cancels).
import * as vscode from 'vscode';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { OutputRun, OutputWatch } from '../terminal/output-watch';
import { joinCommandLine, shellArgv, splitCommandLine } from '../../core/shell/command-line';
import { isTestIdentity } from '../../core/testreports/identity';
import type { TestIdentity } from '../../core/testreports/identity';

export interface LifelineTaskDefinition extends vscode.TaskDefinition {
  type: 'lifeline';
  /** A command line, or the program when `args` is given. */
  command: string;
  args?: string[];
  cwd?: string;
  /** Run `command` through the user's shell (as one argument) even when it splits cleanly. */
  useShell?: boolean;
  /** Set by "re-run only this test": the test it re-runs, whose failure a pass clears. */
  rerunOf?: TestIdentity;
}

/** Checks a task definition from tasks.json or a command's arguments before anything runs. */
export function validTaskDefinition(d: vscode.TaskDefinition): LifelineTaskDefinition | string {
  if (typeof d.command !== 'string' || !d.command.trim()) return vscode.l10n.t('a lifeline task needs "command"');
  if (d.args !== undefined && (!Array.isArray(d.args) || d.args.some((a) => typeof a !== 'string'))) return vscode.l10n.t('"args" must be a list of strings');
  if (d.cwd !== undefined && typeof d.cwd !== 'string') return vscode.l10n.t('"cwd" must be a path');
  if (d.useShell !== undefined && typeof d.useShell !== 'boolean') return vscode.l10n.t('"useShell" must be true or false');
  if (d.rerunOf !== undefined && !isTestIdentity(d.rerunOf)) return vscode.l10n.t('"rerunOf" must name a test');
  return d as LifelineTaskDefinition;
}

/** The argv a definition runs. */
export function taskArgv(d: LifelineTaskDefinition, shell: string, windows: boolean): { argv: string[]; viaShell: boolean } | { error: string } {
  if (d.args) return { argv: [d.command, ...d.args], viaShell: false };
  if (!d.useShell) {
    const split = splitCommandLine(d.command, windows);
    if (split.ok) return { argv: split.argv, viaShell: false };
    if (split.reason === 'unclosed-quote') return { error: vscode.l10n.t('the command has an unclosed quote') };
    if (split.reason === 'empty') return { error: vscode.l10n.t('the command is empty') };
  }
  return { argv: shellArgv(shell || (windows ? (process.env.ComSpec ?? 'cmd.exe') : '/bin/sh'), d.command), viaShell: true };
}

export class CommandPty implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private child: ChildProcess | undefined;
  private run: OutputRun | undefined;
  private waitingForConfirm = false;
  private closed = false;

  constructor(
    private readonly definition: LifelineTaskDefinition,
    private readonly cwd: string | undefined,
    private readonly watch: OutputWatch,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async open(): Promise<void> {
    const line = this.definition.args ? joinCommandLine([this.definition.command, ...this.definition.args]) : this.definition.command;
    this.print(`\x1b[2m${vscode.l10n.t('Lifeline runs')}: ${line}\x1b[0m\r\n`);
    const hits = await this.watch.checkCommandLine(line, true, this.cwd);
    if (hits.length) {
      for (const h of hits) this.print(`\x1b[33m${vscode.l10n.t('Warning')}: ${h.reason}\x1b[0m\r\n`);
      this.print(`${vscode.l10n.t('Press Enter to run it anyway, or Escape to cancel.')}\r\n`);
      this.waitingForConfirm = true;
      return;
    }
    this.start(line);
  }

  handleInput(data: string): void {
    if (this.waitingForConfirm) {
      if (data === '\r') {
        this.waitingForConfirm = false;
        this.start(this.definition.args ? joinCommandLine([this.definition.command, ...this.definition.args]) : this.definition.command);
      } else if (data === '\x1b' || data === '\x03') {
        this.waitingForConfirm = false;
        this.print(`${vscode.l10n.t('Cancelled; nothing was run.')}\r\n`);
        this.finishClose(130);
      }
      return;
    }
    if (!this.child) return;
    if (data === '\x03') {
      this.child.kill('SIGINT');
      return;
    }
    // No line discipline here: echo what is typed and pass it on.
    this.print(data.replace(/\r/g, '\r\n'));
    this.child.stdin?.write(data.replace(/\r/g, '\n'));
  }

  close(): void {
    this.child?.kill();
    this.closed = true;
  }

  private start(line: string): void {
    const how = taskArgv(this.definition, vscode.env.shell, process.platform === 'win32');
    if ('error' in how) {
      this.print(`\x1b[31m${how.error}\x1b[0m\r\n`);
      this.finishClose(2);
      return;
    }
    const [program, ...args] = how.argv;
    this.log.info(`lifeline task: ${JSON.stringify(how.argv)}${how.viaShell ? ' (through the user shell)' : ''}`);
    this.run = this.watch.begin({ source: 'task', commandLine: line, ...(this.cwd ? { cwd: vscode.Uri.file(this.cwd) } : {}), ...(this.definition.rerunOf ? { rerunOf: this.definition.rerunOf } : {}) });
    let child: ChildProcess;
    try {
      child = spawn(program!, args, { cwd: this.cwd, env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '1' }, shell: false, windowsHide: true });
    } catch (e) {
      this.print(`\x1b[31m${e instanceof Error ? e.message : String(e)}\x1b[0m\r\n`);
      void this.end(127);
      return;
    }
    this.child = child;
    const onData = (b: Buffer) => {
      const text = b.toString('utf8');
      this.run?.write(text);
      this.print(text.replace(/\r?\n/g, '\r\n'));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('error', (e: NodeJS.ErrnoException) => {
      this.print(`\x1b[31m${e.code === 'ENOENT' ? vscode.l10n.t('{0}: command not found', program!) : e.message}\x1b[0m\r\n`);
      void this.end(127);
    });
    child.on('close', (code, signal) => void this.end(code ?? (signal ? 128 + 2 : 1)));
  }

  private async end(code: number): Promise<void> {
    if (!this.child && !this.run) return this.finishClose(code);
    const run = this.run;
    this.child = undefined;
    this.run = undefined;
    this.print(`\r\n\x1b[2m${vscode.l10n.t('Exit code {0}', code)}\x1b[0m\r\n`);
    try {
      await run?.finish(code);
    } finally {
      this.finishClose(code);
    }
  }

  private finishClose(code: number): void {
    if (this.closed) return;
    this.closed = true;
    this.closeEmitter.fire(code);
  }

  private print(text: string): void {
    this.writeEmitter.fire(text);
  }
}
