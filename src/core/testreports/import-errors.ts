// The module an import error names, so the editor can say which one is missing. Lifeline never
// installs it (seed 000: a missing dependency is for a person to add deliberately).
const PATTERNS: RegExp[] = [
  /ModuleNotFoundError: No module named ['"]([^'"]+)['"]/,
  /ImportError: No module named ['"]?([\w.]+)['"]?/,
  /ImportError: cannot import name ['"]?[\w.]+['"]? from ['"]([\w.]+)['"]/,
  /Cannot find module ['"]([^'"]+)['"]/,
  /Failed to (?:resolve|load url) (?:import )?["']([^"']+)["']/,
  /Error: Cannot find package ['"]([^'"]+)['"]/,
  /cannot find package "([^"]+)"/,
  /no required module provides package ([^\s;:]+)/,
];

export function missingModule(text: string): string | undefined {
  for (const re of PATTERNS) {
    const m = re.exec(text);
    if (m?.[1]) return m[1];
  }
  return undefined;
}
