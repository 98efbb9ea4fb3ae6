// The parts of the panel that come from the guide's subject: choosing what the guide is about,
// typing the values a command or fix-up still needs, a destructive step's acknowledgement, and
// the end's "what is left". The host decides all of it; these only render and send requests.
import { button, h } from './dom';
import type { CurrentView } from './protocol';
import type { RenderContext } from './render';

type Missing = NonNullable<Extract<CurrentView, { kind: 'step' }>['commands'][number]['missing']>;

/** The subject choice: one button per finding, then "all of them, one by one". */
export function subjectChoice(ctx: RenderContext, c: Extract<CurrentView, { kind: 'subject' }>): (Node | null)[] {
  const t = ctx.strings;
  return [
    c.problem ? h('p', { class: 'error', role: 'alert' }, c.problem) : null,
    h('p', { id: 'subject-q' }, c.question),
    h(
      'div',
      { class: 'buttons options subjects', role: 'group', 'aria-labelledby': 'subject-q' },
      ...c.options.map((o, i) => {
        const b = button(o.id, `subject-${i}`, () => ctx.send({ type: 'chooseSubject', id: o.id }), { primary: i === 0, describedBy: `subject-${i}-d` });
        return h('div', { class: 'subject-option' }, b, h('p', { class: 'muted', id: `subject-${i}-d` }, o.label));
      }),
      c.options.length > 1 ? button(t.allOneByOne, 'subject-all', () => ctx.send({ type: 'chooseSubject', id: null })) : null,
    ),
  ];
}

/** Inputs for values still missing; each is sent to the host, which fills the commands itself. */
export function valueInputs(ctx: RenderContext, missing: Missing, keyPrefix: string): HTMLElement | null {
  if (!missing.length) return null;
  const t = ctx.strings;
  return h(
    'div',
    { class: 'inputs' },
    ...missing.map((m) => {
      const id = `${keyPrefix}-${m.name}`;
      const input = h('input', { type: 'text', id, 'data-key': `input-${id}`, ...(m.example ? { placeholder: m.example } : {}), 'aria-describedby': `${id}-note` });
      const use = button(t.useValue, `provide-${id}`, () => {
        if (input.value.trim()) ctx.send({ type: 'provide', name: m.name, value: input.value });
      });
      input.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' && input.value.trim()) ctx.send({ type: 'provide', name: m.name, value: input.value });
      });
      return h('p', { class: 'input' }, h('label', { for: id }, `${t.needsValue} ${m.label}`), ' ', input, ' ', use);
    }),
    h('p', { class: 'muted', id: `${keyPrefix}-${missing[0]!.name}-note` }, t.fillFirst),
  );
}

/** Marks a button unavailable until its precondition holds (main.ts keeps it so while idle). */
export function block(b: HTMLButtonElement): HTMLButtonElement {
  b.setAttribute('aria-disabled', 'true');
  b.dataset.blocked = 'true';
  return b;
}

/** The "Done" of a step whose commands can destroy work: acknowledged, or skipped. */
export function destructiveStepButtons(ctx: RenderContext, nodeId: string): (Node | null)[] {
  const t = ctx.strings;
  const check = h('input', { type: 'checkbox', id: 'acknowledge', 'data-key': 'acknowledge' });
  check.checked = ctx.discardChecked;
  check.addEventListener('change', () => ctx.setDiscard(check.checked));
  const done = button(t.done, 'continue', () => ctx.send({ type: 'continue', nodeId, acknowledge: true }), { primary: true, describedBy: 'destructive-note' });
  if (!ctx.discardChecked) block(done);
  return [
    h('p', { class: 'error', id: 'destructive-note' }, t.destructiveStep),
    h('p', { class: 'discard' }, check, ' ', h('label', { for: 'acknowledge' }, t.acknowledgeStep)),
    h('div', { class: 'buttons' }, done, button(t.skipStep, 'skip', () => ctx.send({ type: 'skip', nodeId }))),
  ];
}

/** The end: the outcome, verified against a fresh diagnosis, and what is left with its guide. */
export function endScreen(ctx: RenderContext, c: Extract<CurrentView, { kind: 'ended' }>): (Node | null)[] {
  const t = ctx.strings;
  const remaining = c.remaining;
  const intended = remaining?.filter((r) => r.intended) ?? [];
  const mine = remaining?.filter((r) => r.mine && !r.intended) ?? [];
  const others = remaining?.filter((r) => !r.mine && !r.intended) ?? [];
  // "Resolved" only when the diagnosis agrees: nothing left of what this guide handled.
  const headline = c.outcome === 'escalate' ? t.escalate : remaining && mine.length === 0 ? t.resolved : remaining ? (c.summary ?? '') : t.resolved;
  const tone = c.outcome === 'resolved' && mine.length === 0 ? 'resolved' : 'escalate';
  const item = (r: NonNullable<typeof remaining>[number], i: number) =>
    h(
      'li',
      {},
      h('span', {}, r.detail),
      ' ',
      button(r.guideTitle ? `${t.openIt}: ${r.guideTitle}` : t.openIt, `remaining-${i}`, () => ctx.send({ type: 'openGuide', playbookId: r.playbookId, subject: r.subject })),
    );
  // When the headline is the count of what is left, it is said once.
  const saysSummary = remaining !== undefined && headline === (c.summary ?? '');
  return [
    h('p', { class: `outcome-${tone}`, role: 'status', ...(saysSummary ? { id: 'remaining-summary' } : {}) }, headline),
    c.reason ? h('p', {}, c.reason) : null,
    saysSummary ? null : remaining ? h('p', { class: 'summary', id: 'remaining-summary' }, c.summary ?? '') : h('p', { class: 'muted' }, t.notVerified),
    mine.length ? h('ul', { class: 'remaining mine', 'aria-labelledby': 'remaining-summary' }, ...mine.map((r, i) => item(r, i))) : null,
    // What the guide meant to leave (ws-15 marked failed, for the orchestrator's retry), said as such.
    intended.length ? h('h3', {}, t.leftAsIntended) : null,
    intended.length ? h('ul', { class: 'remaining intended' }, ...intended.map((r) => h('li', {}, h('span', {}, r.detail)))) : null,
    others.length ? h('h3', {}, t.elsewhere) : null,
    others.length ? h('ul', { class: 'remaining others' }, ...others.map((r, i) => item(r, mine.length + i))) : null,
  ];
}
