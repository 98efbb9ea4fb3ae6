// What a fenced block in a runbook holds — commands to offer, a code snippet, an ASCII decision
// tree, a plain-text numbered procedure or prose — and how shell blocks split into commands:
// one command per line unless brackets, quotes, heredocs, `if/fi`-style blocks or a trailing
// continuation keep lines together. Commands stay verbatim; comment lines become descriptions
// (directly above a command) or notes. Pure.
import type { Command } from '../playbooks/model';
import { parseDecisionTree } from './decision-tree';
import { looksLikeCommand } from './symptoms';

export type Shell = Command['shell'];
export type FenceKind = 'commands' | 'snippet' | 'tree' | 'procedure' | 'output' | 'prose';

const SHELL_LANGS: Record<string, Shell> = {};
for (const l of ['bash', 'sh', 'shell', 'zsh', 'ksh', 'console', 'shell-session', 'shellsession', 'terminal', 'fish', 'bash-session']) SHELL_LANGS[l] = 'bash';
for (const l of ['powershell', 'ps', 'ps1', 'pwsh', 'posh']) SHELL_LANGS[l] = 'powershell';
for (const l of ['cmd', 'bat', 'batch', 'dos']) SHELL_LANGS[l] = 'cmd';
for (const l of ['sql', 'sqlite', 'sqlite3', 'psql', 'mysql', 'postgresql', 'postgres', 'plsql', 'tsql']) SHELL_LANGS[l] = 'sql';

/** Plain text: may hold a procedure or a decision tree, never commands. */
const TEXT_LANGS = new Set(['text', 'txt', 'plaintext', 'plain', 'markdown', 'md', 'ascii', 'none']);
/** What a failure printed. */
const OUTPUT_LANGS = new Set(['output', 'log', 'logs', 'console-output', 'stderr', 'stdout']);
/** Data: shown, never run. */
const DATA_LANGS = new Set(['diff', 'patch', 'json', 'jsonc', 'yaml', 'yml', 'toml', 'ini', 'xml', 'html', 'mermaid', 'csv', 'env', 'properties']);

/** The language word of a fence's info string ("bash", "powershell", ...), lower-cased. */
function fenceLanguage(info: string): string {
  return (info.trim().split(/\s+/)[0] ?? '').replace(/^\{?\.?/, '').replace(/\}$/, '').toLowerCase();
}

export function shellOf(info: string): Shell {
  return SHELL_LANGS[fenceLanguage(info)] ?? 'any';
}

const NUMBERED = /^\s*\d+[.)]\s+\S/;
/** A line drawn only with box or flow-chart characters. */
const DRAWING_LINE = /^[\s|+\-─━│┃┌┐└┘├┤┬┴┼═║╔╗╚╝╠╣╦╩╬<>^v*]+$/;

function isProcedure(content: string): boolean {
  const lines = content.split('\n').filter((l) => l.trim());
  return lines.length > 0 && NUMBERED.test(lines[0]!) && lines.filter((l) => NUMBERED.test(l)).length >= 2;
}

/** The first line reads like an error a tool printed, not like a command. */
const OUTPUT_LINE =
  /^(?:npm ERR!|error\b|fatal\b|panic:|traceback\b|exception\b|warning:|\[(?:error|fatal|warn(?:ing)?)\]|FAILED\b|[\w.$]*(?:Error|Exception)\b\s*[:(]|\S+:\d+(?::\d+)?:\s*(?:error|fatal)\b)/i;

function isOutput(content: string): boolean {
  const first = content.split('\n').find((l) => l.trim())?.trim() ?? '';
  if (!OUTPUT_LINE.test(first)) return false;
  // "npm ERR! ..." starts with a command's name but is plainly its output.
  return !looksLikeCommand(first) || /\bERR!|\b(?:Error|Exception):|^fatal:/.test(first);
}

function isDiagram(content: string): boolean {
  return content.split('\n').some((l) => l.trim() && DRAWING_LINE.test(l) && /[|+─│┌└├═║]/.test(l));
}

export function fenceKind(info: string, content: string): FenceKind {
  const lang = fenceLanguage(info);
  if (SHELL_LANGS[lang]) return 'commands';
  if (OUTPUT_LANGS.has(lang)) return 'output';
  if (DATA_LANGS.has(lang)) return 'prose';
  if (lang === '' || TEXT_LANGS.has(lang)) {
    if (parseDecisionTree(content)) return 'tree';
    if (isProcedure(content)) return 'procedure';
    if (isOutput(content)) return 'output';
    if (lang !== '' || isDiagram(content)) return 'prose';
    return 'commands';
  }
  return 'snippet';
}

export interface SplitCommands {
  commands: Command[];
  /** Comment lines that describe no single command (e.g. "# Example output: ..."), verbatim. */
  notes: string[];
}

interface ScanState {
  /** Open (, { and [ — counted apart, so a `case` pattern's lone ")" cannot close a "{". */
  paren: number;
  brace: number;
  bracket: number;
  keyword: number;
  quote: string | null;
  heredoc: string | null;
}

function isCommentLine(trimmed: string, shell: Shell): boolean {
  if (shell === 'sql') return trimmed.startsWith('--');
  if (shell === 'cmd') return /^(?:rem\b|::)/i.test(trimmed);
  return trimmed.startsWith('#') && !trimmed.startsWith('#!');
}

function commentText(trimmed: string): string {
  return trimmed.replace(/^(?:#+|--|::|rem\b)\s?/i, '').trim();
}

/**
 * Scans one line, updating bracket, quote, heredoc and keyword state. Returns the line's code
 * with quoted text and trailing comments blanked out.
 */
function scanLine(line: string, shell: Shell, st: ScanState): string {
  if (st.heredoc !== null) {
    if (line.trim() === st.heredoc) st.heredoc = null;
    return '';
  }
  let code = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (st.quote) {
      const escaped = st.quote === '"' && i > 0 && (line[i - 1] === '\\' || line[i - 1] === '`');
      if (ch === st.quote && !escaped) st.quote = null;
      code += ' ';
      continue;
    }
    const atWordStart = i === 0 || /\s/.test(line[i - 1]!);
    if (ch === '#' && atWordStart && shell !== 'sql' && shell !== 'cmd') break;
    if (ch === '-' && line[i + 1] === '-' && shell === 'sql') break;
    if (ch === '"' || (ch === "'" && shell !== 'cmd')) {
      st.quote = ch;
      code += ' ';
      continue;
    }
    if (ch === '(') st.paren++;
    else if (ch === ')') st.paren = Math.max(0, st.paren - 1);
    else if (ch === '{') st.brace++;
    else if (ch === '}') st.brace = Math.max(0, st.brace - 1);
    else if (ch === '[') st.bracket++;
    else if (ch === ']') st.bracket = Math.max(0, st.bracket - 1);
    code += ch;
  }
  if (shell === 'bash' || shell === 'any') {
    // Quoted text is blanked in `code`, so a quoted delimiter (<<'EOF') is read from the line.
    const heredoc = /(?<!<)<<-?\s*(\w+)/.exec(code) ?? /(?<!<)<<-?\s*['"](\w+)['"]/.exec(line);
    if (heredoc) st.heredoc = heredoc[1]!;
    const words = code.split(/[\s;&|()]+/).filter(Boolean);
    for (const w of words) {
      if (w === 'then' || w === 'do' || w === 'case') st.keyword++;
      else if (w === 'fi' || w === 'done' || w === 'esac' || w === 'elif') st.keyword = Math.max(0, st.keyword - 1);
    }
  }
  return code;
}

function continues(code: string, shell: Shell): boolean {
  const t = code.trimEnd();
  if (/(?:\||&&|\|\|)$/.test(t)) return true;
  if (shell === 'powershell') return t.endsWith('`');
  if (shell === 'cmd') return t.endsWith('^');
  if (shell === 'sql') return t !== '' && !t.endsWith(';');
  return t.endsWith('\\');
}

/** Lines without trailing blanks, dedented by the first line's indentation. */
function verbatim(lines: string[]): string {
  const indent = lines[0]!.length - lines[0]!.trimStart().length;
  return lines
    .map((l) => (l.slice(0, indent).trim() === '' ? l.slice(indent) : l).trimEnd())
    .join('\n');
}

export function splitCommands(content: string, shell: Shell): SplitCommands {
  const lines = content.replace(/\n$/, '').split('\n');
  const commands: Command[] = [];
  const notes: string[] = [];
  let comments: string[] = [];
  let current: string[] | undefined;
  let description: string[] = [];
  const st: ScanState = { paren: 0, brace: 0, bracket: 0, keyword: 0, quote: null, heredoc: null };
  const open = (): boolean => st.quote !== null || st.heredoc !== null || st.paren + st.brace + st.bracket + st.keyword > 0;
  const flush = (): void => {
    if (!current) return;
    while (current.length > 1 && !current[current.length - 1]!.trim()) current.pop();
    const cmd: Command = { run: verbatim(current), shell };
    // The comment lines right above a command describe it (a blank line ends that bond).
    const text = description.map((l) => commentText(l.trim())).filter(Boolean).join('\n');
    if (text) cmd.description = text;
    commands.push(cmd);
    current = undefined;
    description = [];
    Object.assign(st, { paren: 0, brace: 0, bracket: 0, keyword: 0, quote: null, heredoc: null });
  };
  for (const line of lines) {
    if (current) {
      current.push(line);
      // Blank lines inside a balanced-but-open construct are part of it; a blank line after a
      // finished SQL statement without ';' ends it.
      if (shell === 'sql' && !line.trim() && !open()) {
        current.pop();
        flush();
        continue;
      }
      const code = scanLine(line, shell, st);
      if (!open() && !continues(code, shell)) flush();
      continue;
    }
    const trimmed = line.trim();
    if (!trimmed) {
      notes.push(...comments);
      comments = [];
      continue;
    }
    if (isCommentLine(trimmed, shell)) {
      comments.push(line.trimEnd());
      continue;
    }
    current = [line];
    description = comments;
    comments = [];
    const code = scanLine(line, shell, st);
    if (!open() && !continues(code, shell)) flush();
  }
  flush();
  notes.push(...comments);
  return { commands, notes: dedentNotes(notes) };
}

function dedentNotes(notes: string[]): string[] {
  const indent = Math.min(...notes.map((l) => l.length - l.trimStart().length));
  return Number.isFinite(indent) ? notes.map((l) => l.slice(indent)) : notes;
}

/** A code snippet in a programming language: offered whole, exactly as written. */
export function snippetCommand(content: string): Command | undefined {
  const lines = content.replace(/\n$/, '').split('\n');
  while (lines.length && !lines[0]!.trim()) lines.shift();
  while (lines.length && !lines[lines.length - 1]!.trim()) lines.pop();
  return lines.length ? { run: verbatim(lines), shell: 'any' } : undefined;
}
