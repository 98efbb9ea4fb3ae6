// Guards for text that comes from files, the database or the command line.

/** True when `s` holds C0 control characters or DEL (tab and newline included). */
export function hasControlChars(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** Drops control characters except tab and newline (messages people typed). */
export function stripControlChars(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c === 0x09 || c === 0x0a || (c >= 0x20 && c !== 0x7f)) out += ch;
  }
  return out;
}
