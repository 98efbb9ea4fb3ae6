// A runbook's `<placeholders>` in commands ("kill <PID>", "docker logs <container name>") become
// the playbook's `{{name}}` inputs, so the guide asks for the value and puts the command in a
// terminal filled in, instead of offering text that cannot run. Pure.
import type { Command, PlaybookInputField } from '../playbooks/model';

/** `<PID>`, `<container name>`, `<ws-id>`: a letter first, words, spaces and dashes; no file redirection. */
const ANGLE = /<([A-Za-z][A-Za-z0-9 _-]{0,40})>/g;

function nameOf(words: string): string {
  return words
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^(\d)/, 'n$1');
}

function labelOf(words: string): string {
  const w = words.trim().replace(/[_-]+/g, ' ');
  // "PID" stays as written; "container name" gets a capital.
  return w === w.toUpperCase() ? w : w.charAt(0).toUpperCase() + w.slice(1);
}

/** The commands with `<words>` written as `{{words}}`, and the inputs they need (each once, in order). */
export function commandInputs(commands: Command[], inputs: PlaybookInputField[]): Command[] {
  return commands.map((c) => {
    // SQL and PowerShell use `<` for comparisons and redirection; only plain shell words are placeholders.
    if (c.shell === 'sql') return c;
    const run = c.run.replace(ANGLE, (whole, words: string) => {
      const name = nameOf(words);
      if (!/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(name)) return whole;
      if (!inputs.some((i) => i.name === name)) inputs.push({ name, label: labelOf(words) });
      return `{{${name}}}`;
    });
    return run === c.run ? c : { ...c, run };
  });
}
