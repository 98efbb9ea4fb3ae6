// Properties of every built-in playbook, walked by the real session with random answers: every
// walk (loops bounded) reaches an end node or can still reach one; every fix-up gets its subject
// (from the bound subject or a declared input) and is never blocked for lack of one; every
// command placeholder is filled by the subject or declared as an input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import fc from 'fast-check';
import { RecoverySession } from '../../../src/core/decisions/session';
import type { SessionDeps } from '../../../src/core/decisions/session';
import type { Subject } from '../../../src/core/decisions/state';
import { fillCommand } from '../../../src/core/decisions/fill';
import { successors } from '../../../src/core/playbooks/graph';
import { loadPlaybookDir } from '../../../src/core/playbooks/loader';
import { ACTION_SUBJECT } from '../../../src/core/playbooks/model';
import type { Playbook, SubjectKind } from '../../../src/core/playbooks/model';
import { isSubjectPlaceholder, placeholderProblems, placeholdersIn } from '../../../src/core/playbooks/placeholders';

const PLAYBOOKS = join(__dirname, '..', '..', '..', 'playbooks');

/** What a subject of each kind can bind (src/core/fixups/subjects.ts), besides main-branch. */
const BINDS: Record<SubjectKind, string[]> = {
  workstream: ['ws-id', 'agent-id', 'branch', 'worktree', 'pid', 'status'],
  worktree: ['ws-id', 'agent-id', 'branch', 'worktree', 'pid', 'status'],
  branch: ['branch'],
  test: ['test'],
  'log-line': ['log-line'],
};

function fakeSubject(kind: SubjectKind, n: number): Subject {
  const values: Record<string, string> = { 'main-branch': 'main' };
  const all: Record<string, string> = { 'ws-id': `ws-${n}`, 'agent-id': `agent-${n}`, branch: `ws/ws-${n}/agent-${n}`, worktree: `.worktrees/agent-${n}-ws-${n}`, pid: String(4000 + n), status: 'running', test: `tests/test_${n}.py::test_it`, 'log-line': `line ${n}` };
  for (const k of BINDS[kind]) values[k] = all[k]!;
  return { id: kind === 'workstream' ? `ws-${n}` : `${kind}-${n}`, kind, label: `subject ${n}`, values };
}

/** Nodes from which an end node can be reached. */
function canEnd(p: Playbook): Set<string> {
  const ok = new Set(p.nodes.filter((n) => n.kind === 'end').map((n) => n.id));
  for (let changed = true; changed; ) {
    changed = false;
    for (const n of p.nodes) if (!ok.has(n.id) && successors(n).some((s) => ok.has(s))) changed = ok.add(n.id) && true;
  }
  return ok;
}

let all: Playbook[] | undefined;
async function builtIns(): Promise<Playbook[]> {
  all ??= (await loadPlaybookDir(PLAYBOOKS)).playbooks;
  assert.ok(all.length >= 40);
  return all;
}

test('every node of every built-in playbook can still reach an end (no trap, however loops go)', async () => {
  for (const p of await builtIns()) {
    const ok = canEnd(p);
    for (const n of p.nodes) assert.ok(ok.has(n.id), `${p.id}: from "${n.id}" no end node can be reached`);
  }
});

test('every command placeholder is filled by the subject or declared as an input; lint has nothing to say', async () => {
  for (const p of await builtIns()) {
    assert.deepEqual(placeholderProblems(p), [], p.id);
    const declared = new Set(p.inputs.map((i) => i.name));
    const bindable = new Set(['main-branch', ...(p.subject ? BINDS[p.subject.kind] : [])]);
    for (const n of p.nodes) {
      const texts = n.kind === 'step' ? n.commands.map((c) => c.run) : n.kind === 'action' ? Object.values(n.params ?? {}) : [];
      for (const name of texts.flatMap(placeholdersIn)) {
        assert.ok(declared.has(name) || bindable.has(name), `${p.id}/${n.id}: {{${name}}} is neither bound by a ${p.subject?.kind ?? 'missing'} subject nor declared`);
        if (!declared.has(name)) assert.ok(isSubjectPlaceholder(name));
      }
    }
  }
});

test('random walks through every built-in playbook with the real session: they end, and no fix-up lacks its subject', async () => {
  const playbooks = await builtIns();
  const r = await fc.check(
    fc.asyncProperty(fc.constantFrom(...playbooks), fc.array(fc.nat({ max: 1_000 }), { minLength: 120, maxLength: 120 }), fc.nat({ max: 3 }), (p, decisions, subjectCount) =>
      walk(p, decisions, subjectCount).catch((e: unknown) => {
        // fast-check reports the counterexample; this keeps the reason in the message.
        throw new Error(`${p.id} (${subjectCount} subjects): ${e instanceof Error ? e.message : String(e)}`);
      }),
    ),
    { numRuns: 400 },
  );
  // The reason, not only the (long) counterexample: node's runner does not print an error's cause.
  if (r.failed) assert.fail(`${r.errorInstance instanceof Error ? r.errorInstance.message : String(r.errorInstance)} (seed ${r.seed}, after ${r.numRuns} walks)`);
});

async function walk(p: Playbook, decisions: number[], subjectCount: number): Promise<void> {
      let i = 0;
      const pick = (n: number) => decisions[i++ % decisions.length]! % n;
      const kind = p.subject?.kind ?? 'workstream';
      const pool = Array.from({ length: subjectCount }, (_x, k) => fakeSubject(kind, k + 1));
      const deps: SessionDeps = {
        fixupsAllowed: true,
        probe: async () => ({ answer: (['yes', 'no', 'unknown'] as const)[pick(3)]! }),
        subjects: async () => pool,
        bind: async (_spec, id) => pool.find((s) => s.id === id),
        remaining: async () => [],
        preview: async (target) => ({ title: target.action, notes: [], destructive: false, effect: 'reversible' }),
        apply: async () => (pick(4) === 0 ? { ok: false, message: 'did not work' } : { ok: true, message: 'done', journalId: `j${i}` }),
      };
      const s = RecoverySession.start(p, deps, { id: 'walk' });
      await s.advance();
      // Give every declared input a value up front: what is left must come from the subject.
      for (const input of p.inputs) await s.provide(input.name, `v-${input.name}`);
      for (let move = 0; move < 60; move++) {
        const st = s.state;
        const pending = st.pending;
        const node = s.currentNode;
        if (pending.kind === 'ended') {
          assert.equal(node.kind, 'end', `${p.id}: ended away from an end node (${pending.reason ?? ''})`);
          return;
        }
        switch (pending.kind) {
          case 'subject':
            if (pending.options.length === 0) {
              // Nothing to be about, and the playbook has no subject-free start: it says so, and that is the end.
              assert.ok(pool.length === 0 && p.subject?.none === undefined && pending.problem, `${p.id}: no subject offered`);
              return;
            }
            await s.chooseSubject(pick(2) === 0 ? null : pending.options[pick(pending.options.length)]!.id);
            break;
          case 'step':
            if (node.kind === 'step') {
              for (let c = 0; c < node.commands.length; c++) assert.deepEqual(fillCommand(p, st, node, c)!.missing, [], `${p.id}/${node.id}: command ${c} has a blank`);
            }
            if (pick(3) === 0) await s.skipStep(node.id);
            else await s.continueStep(node.id, { acknowledge: true });
            break;
          case 'ask':
            await s.answer(node.id, pick(2) === 0 ? 'yes' : 'no');
            break;
          case 'choice':
            await s.choose(node.id, pick(node.kind === 'question' ? node.options.length : 1));
            break;
          case 'confirm': {
            assert.ok(node.kind === 'action');
            // A guide about a subject that finds none starts about nothing; only its `none` path is meant for that.
            const aboutNothing = p.subject !== undefined && pool.length === 0;
            if (!aboutNothing || p.subject?.none !== undefined) assert.equal(pending.blocked, undefined, `${p.id}/${node.id}: blocked: ${pending.blocked?.reason}`);
            if (pending.blocked) return; // says why in a sentence; the user closes the guide
            if (ACTION_SUBJECT[node.action]) assert.ok(pending.target.subject, `${p.id}/${node.id}: ${node.action} has no subject`);
            if (pick(3) === 0) {
              const before = s.state.path.length;
              await s.decline(node.id);
              // Without a skip edge declining stays put (not escalation); the user then runs it after all.
              if (!node.skip) {
                assert.equal(s.state.path.length, before);
                assert.equal(s.state.pending.kind === 'confirm' && s.state.pending.declined, true);
                await s.confirm(node.id);
              }
            } else {
              await s.confirm(node.id);
            }
            break;
          }
          default:
            assert.fail(`${p.id}: the session rests in a transient state ${pending.kind}`);
        }
      }
      // Bounded: a long loop is fine as long as an end is still reachable from here.
      assert.ok(canEnd(p).has(s.state.current), `${p.id}: stuck at ${s.state.current}`);
}
