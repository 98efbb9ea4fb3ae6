// The text of a new playbook ("Lifeline: New Playbook"): a working playbook that loads as it is,
// with a comment on every field saying what it is for and what it may hold, so a person writes
// their first playbook by changing it rather than by reading the schema. Pure.
import { FAILURE_TYPES } from './model';

/** A playbook id from a title: lower-case words joined by "-" ("" when no letters survive). */
export function playbookId(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

/** A YAML string for `text` on one line (quoted only when plain YAML would read it otherwise). */
function scalar(text: string): string {
  return /^[\w][\w ,()/.-]*$/.test(text) && !/:\s|\s#|^(?:yes|no|true|false|null|~|on|off)$/i.test(text) ? text : JSON.stringify(text);
}

export function playbookTemplate(id: string, title: string): string {
  return `# A Lifeline playbook: the failure it recognises, what it is, and the steps that recover from it.
# Lifeline checks this file as you type (Problems view); "Lifeline: Preview Guide" shows the guide.

# The format version. Always 1.
lifeline: 1
# Unique name: lower-case words joined by "-". Other playbooks and the CLI refer to it.
id: ${id}
# What the failure is, in a few words. The guide's title.
title: ${scalar(title)}
# Optional: one or two sentences shown with the guide.
summary: What happened and what this guide does about it.
# Groups the playbook in "Recover from Failure" (e.g. database, git, tests, network).
category: general
# How bad it is: 1 trivial, 2 minor, 3 major (stop and fix), 4 critical (roll back), 5 catastrophic.
severity: 3
# The kind of failure: ${FAILURE_TYPES.join(', ')}.
failureType: error
# Can it be recovered without a person? true or false, and why.
recoverable: true
recoverableReason: Restarting the service is safe and loses nothing.
# Optional: where this playbook came from (a runbook, an incident).
# source: our on-call runbook

# How Lifeline recognises the failure in terminal output, test output and logs. Each pattern is a
# JavaScript regular expression matched against one line (case-insensitive unless caseSensitive:
# true). weight (1-100) says how specific it is: the most specific playbook wins.
symptoms:
  - pattern: 'ERROR: service is not responding'
    weight: 50
    # Optional: where it shows (terminal, test-output, log), a pattern that rules a line out,
    # and what the symptom means. (A symptom with probe: NAME is answered from the workspace.)
    # sources: [terminal, log]
    # unless: 'retrying'
    # description: The health check's own message

# Optional: what causes it, one line each.
rootCauses:
  - The service stopped after running out of memory.

# Optional: commands never to run while recovering; Lifeline warns before one runs in a terminal.
forbidden:
  - pattern: 'rm\\s+-rf\\s+data/'
    reason: It deletes the data the service needs to start.

# Optional: what the classifier reports for this failure (lifeline classify --json).
# analysis:
#   rootCause: The service ran out of memory.
#   recoveryPlan: Restart it, then raise its memory limit.
#   humanInstructions: Check the memory graph before restarting twice.
#   suggestedActions: [restart the service]
#   escalationReason: It keeps stopping after a restart.

# Optional: what the guide is about (workstream, worktree, branch, test or log-line); Lifeline
# then fills {{ws-id}}, {{branch}}, {{worktree}}... from the one the user picks.
# subject:
#   kind: workstream
#   findings: [failed-workstream]
#   status: [running]
#   none: resolved
#   ask: true

# Optional: values the user types for {{placeholders}} in commands (the guide asks for them).
inputs:
  - name: service
    label: The service that stopped
    example: api

# The steps: a graph of nodes, starting with the first (or with start: ID).
# kind is one of:
#   step      instructions and commands; next: the node after it
#   check     a workspace check (probe) that answers yes or no by itself; yes: / no: the next nodes
#   question  options the user picks, each with a label and next
#   action    a built-in fix-up Lifeline previews, runs when you confirm, and can undo
#   end       outcome: resolved or escalate
# A check looks like:
#   - id: db-busy
#     kind: check
#     title: Is the database in use?
#     probe: db.in-use
#     yes: wait
#     no: checkpoint
#     unknown: ask-someone   # optional: where to go when it cannot tell
# An action looks like:
#   - id: checkpoint
#     kind: action
#     title: Checkpoint the write-ahead log
#     action: db.checkpoint
#     params: {}             # optional: e.g. message for workstream.mark-failed
#     next: resolved
#     onFailure: escalate    # optional: where to go when it fails
#     skip: escalate         # optional: where "Skip it" leads
# A step whose commands can destroy work says destructive: true.
# start: look               # optional: the first node, when it is not the first in the list
nodes:
  - id: look
    kind: step
    title: See whether the service runs
    # Optional: Markdown shown with the step.
    body: The service should answer within a second.
    # Commands the guide offers for a terminal; shell is any, bash, powershell, cmd or sql.
    commands:
      - run: systemctl status {{service}}
        shell: bash
        # description: Shows whether it runs and its last log lines
    next: running

  - id: running
    kind: question
    title: Is it running?
    options:
      - label: 'Yes, but it does not answer'
        next: escalate
      - label: 'No, it stopped'
        next: restart

  - id: restart
    kind: step
    title: Start it again
    commands:
      - run: systemctl restart {{service}}
        shell: bash
    next: resolved

  - id: resolved
    kind: end
    title: The service runs again
    outcome: resolved

  - id: escalate
    kind: end
    title: Hand it to the service's owner
    body: Say what failed, what you tried, and what the service printed.
    outcome: escalate
`;
}
