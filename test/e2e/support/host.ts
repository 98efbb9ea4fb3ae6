// What the E2E stage (scripts/stages/e2e.mjs) hands each test file: the running code-server
// with the packaged .vsix installed, the Chromium to use, where artefacts go; plus fresh git
// workspaces for tests to open.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface E2eHost {
  /** Base URL of code-server, e.g. http://127.0.0.1:PORT/ */
  url: string;
  /** The same server setup with workspace trust enforced: folders open in Restricted Mode. */
  untrustedUrl: string;
  /** Chromium executable. */
  chromium: string;
  /** Flags Chromium needs on these machines. */
  chromiumArgs: string[];
  /** The .vsix installed into the server. */
  vsix: string;
  /** test-results/e2e: screenshots and logs. */
  resultsDir: string;
  /** The trusted server's XDG_DATA_HOME: where the agent tools' state (vibe-kanban's data folder) is read from. */
  agentData: string;
  /** The trusted server's TMPDIR: vibe-kanban's port file and worktrees folder are under it. */
  agentTemp: string;
}

/** Reads the host from $LIFELINE_E2E (set by the stage); fails clearly when run some other way. */
export function e2eHost(): E2eHost {
  const raw = process.env.LIFELINE_E2E;
  if (!raw) throw new Error('LIFELINE_E2E is not set: run the E2E suite with `npm run test:e2e`');
  return JSON.parse(raw) as E2eHost;
}

function git(cwd: string, args: string[]): void {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.error?.message ?? r.stderr}`);
}

/** A fresh git repository with one commit on `main` and the given files (relative path -> text). */
export function makeWorkspace(files: Record<string, string> = { 'README.md': '# E2E workspace\n' }): string {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-e2e-ws-'));
  git(dir, ['init', '--quiet', '--initial-branch=main']);
  git(dir, ['config', 'user.name', 'Lifeline E2E']);
  git(dir, ['config', 'user.email', 'e2e@lifeline.invalid']);
  git(dir, ['config', 'commit.gpgsign', 'false']);
  for (const [rel, text] of Object.entries(files)) {
    const file = join(dir, ...rel.split('/'));
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
  }
  git(dir, ['add', '-A']);
  git(dir, ['commit', '--quiet', '-m', 'Initial commit']);
  return dir;
}
