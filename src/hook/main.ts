// dist/hook.js: the Claude Code PreToolUse hook's fast path, `node dist/hook.js claude-code`. It
// runs before every Bash call the agent makes, so it loads only the forbidden-command rules: the
// built-ins' from dist/forbidden.json (written by the build) and the workspace's own playbooks'
// (.lifeline/playbooks, parsed by dist/playbook-loader.js only when the folder changed, see
// own-rules.ts). No git, no database, no classifier. The answer is the same function `lifeline check-command`
// uses (src/tools/check-command.ts). PostToolUse fires after every Bash call too: one that
// succeeded passes here at once, a failed one is handed to `lifeline hook claude-code` (the full
// dist/cli.js beside this file), which classifies and counts it. Other events pass.
// A bug of ours must never block the agent: bad input or a broken table passes the command
// (exit 0, no output) with one line on stderr, which Claude Code shows in its debug log.
import { spawnSync } from 'node:child_process';
import { readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compileForbiddenEntries, FORBIDDEN_TABLE, mergeForbiddenEntries, parseForbiddenTable } from '../core/playbooks/forbidden';
import type { ForbiddenEntry } from '../core/playbooks/forbidden';
import { isFailedBash, parseHookEvent, preToolUseAnswer } from '../tools/claude-hook';
import { WORKSPACE_PLAYBOOKS } from '../tools/workspace-playbooks';
import { ownRules } from './own-rules';

export { forbiddenTable } from '../core/playbooks/forbidden';

const MAX_EVENT = 8 * 1024 * 1024;
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

function log(line: string): void {
  process.stderr.write(`lifeline hook: ${line}\n`);
}

function readStdin(): string {
  // Synchronous: one read loop, no event-loop turns, for the start-up budget.
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(65536);
  let total = 0;
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(PAUSE, 0, 0, 2); // a non-blocking pipe with nothing yet: wait, do not spin
        continue;
      }
      if (code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    total += n;
    if (total > MAX_EVENT) throw new Error('the event is larger than 8 MiB');
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function entries(cwd: string | undefined): Promise<ForbiddenEntry[] | undefined> {
  const table = parseForbiddenTable(JSON.parse(readFileSync(join(__dirname, FORBIDDEN_TABLE), 'utf8')));
  if (!table) {
    log(`${FORBIDDEN_TABLE} is not a forbidden-command table; passing`);
    return undefined;
  }
  const dir = cwd ? join(cwd, WORKSPACE_PLAYBOOKS) : undefined;
  if (!dir || !isFolder(dir)) return table.entries;
  const own = await ownRules(dir, async (d) => {
    const { loadPlaybookDir } = await import('../core/playbooks/loader');
    const r = await loadPlaybookDir(d);
    for (const e of r.errors) log(`${e.file}:${e.line}: ${e.message}`);
    return { playbooks: r.playbooks, ok: r.errors.length === 0 };
  });
  return mergeForbiddenEntries(table, own);
}

function isFolder(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] !== 'claude-code') {
    log('usage: node hook.js claude-code < event.json');
    return 0;
  }
  const text = readStdin();
  const event = parseHookEvent(text);
  if (typeof event === 'string') {
    log(`${event}; passing`);
    return 0;
  }
  if (isFailedBash(event)) {
    const r = spawnSync(process.execPath, [join(__dirname, 'cli.js'), 'hook', 'claude-code'], { input: text, stdio: ['pipe', 'pipe', 'inherit'], timeout: 30_000 });
    if (r.error || r.status !== 0) log(`lifeline hook claude-code did not answer (${r.error?.message ?? `exit ${r.status}`}); passing`);
    else process.stdout.write(r.stdout);
    return 0;
  }
  if (event.event !== 'PreToolUse' || event.tool !== 'Bash') return 0;
  const found = await entries(event.cwd);
  if (!found) return 0;
  const answer = preToolUseAnswer(compileForbiddenEntries(found), event);
  if (answer) process.stdout.write(JSON.stringify(answer) + '\n');
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      log(`${(e as Error).message?.split('\n')[0] ?? String(e)}; passing`);
      process.exitCode = 0;
    },
  );
}
