// Guards for text that comes from files, the database or the command line.

/** Drops control characters except tab and newline (messages people typed). */
export function stripControlChars(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c === 0x09 || c === 0x0a || (c >= 0x20 && c !== 0x7f)) out += ch;
  }
  return out;
}
