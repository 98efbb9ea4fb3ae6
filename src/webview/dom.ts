// Building DOM without HTML strings: every text goes in through textContent, so nothing the
// host sends (evidence lines, command output, playbook text) can become markup.
type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | boolean | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

/** A real button: focusable, Enter/Space work, announced as a button. */
export function button(label: string, key: string, onClick: () => void, options: { primary?: boolean; describedBy?: string; link?: boolean; label?: string } = {}): HTMLButtonElement {
  const b = h('button', {
    type: 'button',
    class: options.link ? 'link' : options.primary ? 'primary' : 'secondary',
    'data-key': key,
    'aria-describedby': options.describedBy,
    'aria-label': options.label,
  }, label);
  b.addEventListener('click', () => {
    // aria-disabled rather than disabled: a disabled button drops keyboard focus.
    if (b.getAttribute('aria-disabled') === 'true') return;
    onClick();
  });
  return b;
}

/**
 * Playbook prose marks code with `backticks` and stress with **asterisks**: shown as <code> and
 * <strong> (built as elements, never parsed as HTML), so the reader sees no literal Markdown.
 */
export function prose(text: string): (Node | string)[] {
  const out: (Node | string)[] = [];
  const re = /`([^`\n]+)`|\*\*([^*\n]+)\*\*/g;
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > at) out.push(text.slice(at, m.index));
    out.push(m[1] !== undefined ? h('code', {}, m[1]) : h('strong', {}, m[2]));
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}
