import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NO_VSCODE = { name: 'vscode', message: 'Only src/editor and src/extension.ts may import vscode.' };

/** A relative import whose path passes through one of `folders` (e.g. `../git/scan`, `../../editor/x`). */
function through(folders, message) {
  return { regex: `^\\.{1,2}/(?:\\.\\./)*(?:core/)?(?:${folders.join('|')})(?:/|$)`, message };
}

const OUTER = ['tools', 'cli', 'editor', 'mcp', 'webview'];

/**
 * Who may import what. ESLint applies only the last block that sets a rule for a file, so each
 * narrower layer lists everything its wider one forbids as well.
 */
export const layers = [
  { files: ['src/cli/**/*.ts', 'src/mcp/**/*.ts', 'src/webview/**/*.ts'], patterns: [through(['editor'], 'Only the editor and src/extension.ts import src/editor.')] },
  { files: ['src/mcp/**/*.ts'], patterns: [through(['cli', 'editor', 'webview'], 'The MCP server uses src/tools, never the CLI or the editor.')] },
  { files: ['src/tools/**/*.ts'], patterns: [through(['cli', 'editor', 'mcp', 'webview'], 'src/tools is shared by the CLI and the MCP server: it never imports either, nor the editor.')] },
  { files: ['src/core/**/*.ts'], patterns: [through(OUTER, 'The core (engine included) never imports the tools, the CLI, the MCP server, the editor or the webview.')] },
  { files: ['src/core/git/**/*.ts'], patterns: [through(['database', 'engine', 'decisions', ...OUTER], 'core/git imports only the kernel (core/fixups) and leaf helpers, never the database or the engine.')] },
  { files: ['src/core/database/**/*.ts'], patterns: [through(['git', 'engine', 'decisions', ...OUTER], 'core/database imports only the kernel (core/fixups) and leaf helpers, never git or the engine.')] },
  {
    // The kernel is the contract: the playbook model and leaf helpers, nothing that implements or calls it.
    files: ['src/core/fixups/**/*.ts'],
    patterns: [{ regex: '^\\.\\./(?!playbooks/model$|shell/|text/)', message: 'core/fixups (the kernel) imports only ./, ../playbooks/model, ../shell and ../text: git, the database and the engine build on it.' }],
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', 'test-results/**', '.vscode-test/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  // Layers import only inward (each folder's README says what it owns and may import):
  //   core/fixups (kernel) <- core/git, core/database <- core/engine <- src/tools <- src/cli, src/mcp
  // and src/editor beside them. Every layer outside src/editor also keeps the `vscode` ban.
  // test/unit/layers.test.ts proves a forbidden import fails the lint.
  ...layers.map(({ files, patterns }) => ({
    files,
    rules: { 'no-restricted-imports': ['error', { paths: [NO_VSCODE], patterns }] },
  })),
  {
    files: ['src/cli/**/*.ts', 'scripts/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
  },
);
