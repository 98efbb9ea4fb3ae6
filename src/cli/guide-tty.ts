// `lifeline guide` on a terminal: the session's current node as text, numbered options, one line
// of input per decision. The input is a line source, so tests drive the real loop with scripted
// lines. Every decision goes through the session; this only asks and prints.
import { createInterface } from 'node:readline';
import type { RecoverySession } from '../core/decisions/session';
import { SessionError } from '../core/decisions/session';
import { CHECK_PROBES } from '../core/playbooks/model';
import { fillCommand, missingActionInputs, readable } from '../core/decisions/fill';
import type { MissingInput } from '../core/decisions/fill';
import { EXIT, paint } from './io';
import type { CliIO } from './io';
import { formatPreview } from './fixup-support';
import { shown, shownLines } from '../core/text/shown';
import { plural } from '../core/text/strings';

/** Lines typed by the user, one at a time; null once the input ends. */
export interface LineSource {
  next(): Promise<string | null>;
}

export function lineReader(input: NodeJS.ReadableStream): LineSource {
  const rl = createInterface({ input, terminal: false });
  const lines: string[] = [];
  const waiting: ((l: string | null) => void)[] = [];
  let closed = false;
  rl.on('line', (l) => {
    const w = waiting.shift();
    if (w) w(l);
    else lines.push(l);
  });
  rl.on('close', () => {
    closed = true;
    for (const w of waiting.splice(0)) w(null);
  });
  return {
    next: () => {
      if (lines.length) return Promise.resolve(lines.shift()!);
      if (closed) return Promise.resolve(null);
      return new Promise((res) => waiting.push(res));
    },
  };
}

interface Choice {
  label: string;
  run: () => Promise<unknown>;
}

export async function interactiveGuide(s: RecoverySession, io: CliIO, input: LineSource, flags: { discard: boolean }): Promise<number> {
  // Titles, details and messages come from playbooks, the database and git: each is one line,
  // shown with line breaks and control characters escaped (a newline in a name must not forge
  // a line), and only then coloured (`color`) or prefixed with a mark of our own. A step's body
  // may span lines (sayLines).
  const say = (line = '', color?: number, mark = '') => io.out.write(`${mark}${color === undefined ? shown(line) : paint(io, color, shown(line))}\n`);
  const sayLines = (text: string) => io.out.write(`${shownLines(text)}\n`);
  const ask = async (question: string): Promise<string | null> => {
    io.out.write(shown(question));
    const l = await input.next();
    return l === null ? null : l.trim();
  };
  let printed = 0;
  for (;;) {
    const st = s.state;
    for (const e of st.path.slice(printed)) {
      const r = e.result;
      const how = r.type === 'check' ? `${r.answer}${r.detail ? `: ${r.detail}` : ''}` : r.type === 'choice' ? r.label : r.type === 'action' ? `${r.ok ? 'done' : 'failed'}: ${r.message}` : r.type === 'declined' ? (r.reason === 'skipped' ? 'skipped' : 'not run') : 'done';
      say(`${e.title} — ${how}`, undefined, `${paint(io, 2, '✔')} `);
    }
    printed = st.path.length;
    const node = s.currentNode;
    const p = st.pending;
    const title = p.kind === 'subject' ? `Which ${s.playbook.subject?.kind ?? 'subject'} is this guide about?` : readable(s.playbook, st, node.title);
    if (p.kind === 'ended') {
      say(`${p.outcome === 'resolved' ? 'End' : 'Escalate'}: ${title}`, 1);
      if (p.remaining) {
        const mine = p.remaining.filter((r) => r.mine);
        say(mine.length ? `${plural(mine.length, 'problem')} ${mine.length === 1 ? 'remains' : 'remain'} about what this guide handled:` : 'Nothing is left of what this guide handled.');
        for (const r of mine) say(`  - ${r.detail}  (lifeline guide ${r.scenario} --subject ${r.subject})`);
        const others = p.remaining.length - mine.length;
        if (others) say(`${plural(others, 'other problem')} in the workspace: lifeline diagnose`);
      }
      return EXIT.ok;
    }
    say();
    say(`Now: ${title}`, 1);
    if (node.body && p.kind !== 'subject') sayLines(readable(s.playbook, st, node.body));
    const choices: Choice[] = [];
    const id = node.id;
    if (p.kind === 'subject') {
      if (p.problem) say(p.problem);
      p.options.forEach((o) => choices.push({ label: `${o.id} — ${o.label}`, run: () => s.chooseSubject(o.id) }));
      if (p.options.length > 1) choices.push({ label: 'All of them, one by one', run: () => s.chooseSubject(null) });
    } else if (p.kind === 'step' && node.kind === 'step') {
      const commands = node.commands.map((_c, i) => fillCommand(s.playbook, st, node, i)!);
      for (const c of commands) io.out.write(`  $ ${shownLines(c.run)}${c.missing.length ? paint(io, 33, `   (needs: ${shown(c.missing.map((m) => m.label).join(', '))})`) : ''}\n`);
      if (await typeValues(s, [...new Map(commands.flatMap((c) => c.missing).map((m) => [m.name, m])).values()], ask, say)) continue;
      if (node.destructive) {
        say('These commands can destroy work (uncommitted changes). Done counts only if you ran them knowingly.', 33);
        choices.push({ label: 'I ran it and accept what it discards', run: () => s.continueStep(id, { acknowledge: true }) }, { label: 'Skip — I did not run it', run: () => s.skipStep(id) });
      } else {
        choices.push({ label: 'Done — next step', run: () => s.continueStep(id) }, { label: 'Skip it', run: () => s.skipStep(id) });
      }
    } else if (p.kind === 'ask' && node.kind === 'check') {
      say(CHECK_PROBES[p.probe]);
      if (p.detail) say(p.detail, 2);
      choices.push({ label: 'Yes', run: () => s.answer(id, 'yes') }, { label: 'No', run: () => s.answer(id, 'no') }, { label: 'Check again', run: () => s.recheck(id) });
    } else if (p.kind === 'choice' && node.kind === 'question') {
      node.options.forEach((o, i) => choices.push({ label: readable(s.playbook, st, o.label), run: () => s.choose(id, i) }));
    } else if (p.kind === 'confirm' && node.kind === 'action') {
      if (p.failure) say(`The last attempt did not work: ${p.failure.message}`, 31);
      if (p.declined) say('Not run: nothing was changed.');
      const skipOrDecline = { label: node.skip ? 'Skip it' : "Don't run it", run: () => s.decline(id) };
      if (p.blocked) {
        say(`Cannot run now: ${p.blocked.reason}`, 31);
        if (p.blocked.code === 'input' && (await typeValues(s, missingActionInputs(s.playbook, st, node), ask, say))) continue;
        choices.push({ label: 'Check again', run: () => s.recheck(id) }, skipOrDecline);
      } else if (p.preview) {
        io.out.write(formatPreview(io, p.preview));
        const d = p.preview.discards;
        const discards = d ? d.files.length + d.commits.length : 0;
        if (!p.preview.refusal) {
          choices.push({
            label: 'Run it',
            run: async () => {
              let discard = flags.discard;
              if (discards && !discard) discard = (await ask(`It would lose the ${plural(discards, 'item')} listed above. Type "discard" to accept exactly that: `)) === 'discard';
              if (discards && !discard) return say('Not run.');
              const r = await s.confirm(id, { discard, onProgress: (l) => say(`  ${l}`) });
              say(`${r.ok ? 'Done' : 'Not done'}: ${r.message}`);
            },
          });
        }
        choices.push(skipOrDecline, { label: 'Preview again', run: () => s.recheck(id) });
      }
    }
    choices.forEach((c, i) => say(`  ${i + 1}) ${c.label}`));
    const line = await ask(`Choose 1-${choices.length}, b to go back, q to stop: `);
    if (line === null || line === 'q') {
      say('Stopped; nothing more was run.');
      return EXIT.ok;
    }
    try {
      if (line === 'b') await s.back();
      else {
        const pick = /^\d+$/.test(line) ? choices[Number(line) - 1] : undefined;
        if (!pick) say('Pick one of the numbers shown.');
        else await pick.run();
      }
    } catch (e) {
      if (!(e instanceof SessionError)) throw e;
      say(e.message, 31);
    }
  }
}

/** Asks for each missing value and hands it to the session; true when the view must be redrawn. */
async function typeValues(s: RecoverySession, missing: MissingInput[], ask: (q: string) => Promise<string | null>, say: (l: string) => void): Promise<boolean> {
  let typed = false;
  for (const m of missing) {
    const v = await ask(`${m.label}${m.example ? ` (e.g. ${m.example})` : ''}, or Enter to leave it blank: `);
    if (!v) continue;
    try {
      await s.provide(m.name, v);
      typed = true;
    } catch (e) {
      if (!(e instanceof SessionError)) throw e;
      say(e.message);
    }
  }
  return typed;
}
