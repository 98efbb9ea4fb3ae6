// The `claude-squad` source: the sessions claude-squad lists in `~/.claude-squad/state.json` for
// this repository (the file is global: filtered by each instance's path), as workstreams whose
// owner is the tmux session claude-squad runs them in. A session the file calls Running or
// Loading whose tmux session is gone is a ghost run (after a reboot `cs` exits with `error
// capturing pane content`, claude-squad#216), offered claude-squad.pause; a session whose tmux
// state cannot be told gets nothing, and a live one's worktree gets nothing destructive.
import { actionRef } from '../fixups/action-id';
import { displayPath, isInside, realPathNearest, samePath } from '../fixups/contain';
import { isWorkstreamId } from '../fixups/names';
import { SCENARIO_FOR } from '../fixups/scenarios';
import type { Finding, WorkspaceContext } from '../fixups/types';
import type { Workstream } from '../fixups/workstream';
import type { GitScan } from '../git/scan';
import { pauseHandler } from './claude-squad-pause';
import { SQUAD_STATUS, instanceOfRepo, readSquadState, squadPaths, squadTmuxName, tmuxSessionState } from './claude-squad-state';
import type { Liveness } from './claude-squad-state';
import { emptyRead } from './tool-source';
import type { ToolRead, ToolSource } from './tool-source';

function time(v: string | null): Date | null {
  if (v === null) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Null when claude-squad has no state file, or lists no session of this repository. */
export async function readClaudeSquad(ws: WorkspaceContext, git: GitScan): Promise<ToolRead | null> {
  const paths = squadPaths(ws.env);
  const state = await readSquadState(paths.state);
  if (state === null) return null;
  if ('note' in state) return { ...emptyRead('claude-squad'), note: state.note };
  const mine = state.instances.filter((i) => instanceOfRepo(i, ws.root));
  if (mine.length === 0) return null;
  const env = ws.env ?? process.env;
  // One tmux call per session, all at once.
  const live: Liveness[] = await Promise.all(mine.map((i) => tmuxSessionState(squadTmuxName(i.title), env)));
  const read = emptyRead('claude-squad');
  const worktrees = realPathNearest(paths.worktrees);
  mine.forEach((i, n) => {
    const session = squadTmuxName(i.title);
    const status = i.status === null ? 'unknown' : (SQUAD_STATUS[i.status] ?? `status ${i.status}`);
    const display = i.worktreePath ? displayPath(ws.root, i.worktreePath) : null;
    const listed = i.worktreePath ? git.worktrees.find((f) => !f.worktree.main && samePath(realPathNearest(f.worktree.path), realPathNearest(i.worktreePath!))) : undefined;
    const workstream: Workstream = {
      id: i.title,
      title: i.title,
      status,
      agent: i.program,
      branch: i.branchName ?? i.branch,
      worktree: listed?.display ?? display,
      startedAt: time(i.createdAt),
      updatedAt: time(i.updatedAt),
      error: null,
      owner: { tmuxSession: session },
      source: 'claude-squad',
    };
    read.workstreams.push(workstream);
    const subject = listed?.display ?? display;
    const l = live[n]!;
    if (subject) {
      read.subjects.add(subject);
      if (l.state !== 'gone') read.live.add(subject);
    }
    if (i.status !== 0 && i.status !== 2) return;
    const facts = { branch: workstream.branch, agent: i.program, tmuxSession: session, ownerAlive: l.state === 'unknown' ? null : l.state === 'alive', worktree: subject };
    if (l.state === 'alive') return;
    const push = (f: Omit<Finding, 'id' | 'source' | 'scenario' | 'kind' | 'subject'>) =>
      read.findings.push({ id: `ghost-run:${i.title}`, kind: 'ghost-run', subject: i.title, source: 'claude-squad', scenario: SCENARIO_FOR['ghost-run'], ...f });
    if (l.state === 'unknown') {
      push({ detail: `claude-squad session ${i.title} is ${status}, but whether its tmux session ${session} is alive cannot be told (tmux could not be asked: ${l.why}); nothing is offered until it can.`, actions: [], facts });
      return;
    }
    const why = !isWorkstreamId(i.title)
      ? 'its title is not a plain name Lifeline acts on'
      : !listed || !listed.exists
        ? 'its worktree is not a worktree git lists with its folder'
        : !isInside(worktrees, realPathNearest(listed.worktree.path))
          ? `its worktree is not under ${paths.worktrees}`
          : null;
    push({
      detail: `claude-squad session ${i.title} is ${status} but its tmux session ${session} is gone (after a reboot claude-squad exits with \`error capturing pane content\`). ${why ? `No fix-up is offered: ${why}.` : 'Pausing it as claude-squad does keeps the work: commit, remove the worktree, keep the branch.'}`,
      actions: why ? [] : [actionRef('claude-squad.pause', i.title)],
      facts,
    });
  });
  return read;
}

export const claudeSquadSource: ToolSource = {
  id: 'claude-squad',
  read: readClaudeSquad,
  handlers: [pauseHandler],
};
