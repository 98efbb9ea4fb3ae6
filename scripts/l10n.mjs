#!/usr/bin/env node
// Writes l10n/bundle.l10n.json: every message the extension shows through vscode.l10n, the
// source translators start from (bundle.l10n.<locale>.json beside it are the translations).
// Messages are found with TypeScript's own parser: the string literal passed to `l10n.t(...)`,
// to a localiser parameter named `t`, and the core's wording tables the editor translates.
//   node scripts/l10n.mjs          regenerate
//   node scripts/l10n.mjs --check  exit 1 when the committed bundle is out of date
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(root, 'l10n', 'bundle.l10n.json');
/** Tables of English wording in the core (no `vscode` there), translated where the editor shows them. */
const TABLES = new Set(['CHECK_PROBES', 'FIXUP_ACTIONS']);

function* tsFiles(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* tsFiles(p);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) yield p;
  }
}

const literal = (n) => (n && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) ? n.text : undefined);

export function collectMessages(srcDir = join(root, 'src')) {
  const messages = new Set();
  for (const file of tsFiles(srcDir)) {
    if (relative(srcDir, file).startsWith('webview')) continue; // the page gets its strings from the host
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (n) => {
      if (ts.isCallExpression(n)) {
        const callee = n.expression.getText(source);
        const text = literal(n.arguments[0]);
        if (text !== undefined && (callee === 't' || callee.endsWith('l10n.t'))) messages.add(text);
      }
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && TABLES.has(n.name.text)) {
        let init = n.initializer;
        while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init))) init = init.expression;
        if (init && ts.isObjectLiteralExpression(init)) {
          for (const p of init.properties) if (ts.isPropertyAssignment(p) && literal(p.initializer) !== undefined) messages.add(literal(p.initializer));
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(source);
  }
  return Object.fromEntries([...messages].sort().map((m) => [m, m]));
}

if (process.argv[1] && process.argv[1].endsWith('l10n.mjs')) {
  const text = `${JSON.stringify(collectMessages(), null, 2)}\n`;
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(OUT, 'utf8');
    } catch {
      // missing: out of date
    }
    if (current !== text) {
      console.error('l10n/bundle.l10n.json is out of date: run `node scripts/l10n.mjs`');
      process.exit(1);
    }
  } else {
    mkdirSync(join(root, 'l10n'), { recursive: true });
    writeFileSync(OUT, text);
    console.log(`l10n/bundle.l10n.json: ${Object.keys(JSON.parse(text)).length} messages`);
  }
}
