// The exit codes every tool's outcome carries (and the CLI exits with), as the README lists them.
// Import-free, so light bundles (the hook's fast path) can use them.
export const EXIT = { ok: 0, failure: 1, usage: 2, noMatch: 3, refused: 4, busy: 5 } as const;
