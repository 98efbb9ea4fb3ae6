// What the extension weighs: the production bundles by when they load, and the packed .vsix.
// Goals: the JavaScript the extension host loads for the editor features (the activation bundle
// plus the features bundle loaded at first use) <= 400 KB; the .vsix <= 2 MB. The bundles
// loaded only by some workspaces, the webview page (a browser context) and the CLI are listed
// apart.
//   node scripts/bench/size.mjs   (after `node esbuild.mjs --production`; npm run bench does it)
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../host/setup.mjs';
import { packageVsix } from '../package.mjs';

const KB = 1000;
const size = (f) => statSync(join(repoRoot, 'dist', f)).size;
const kb = (n) => `${(n / KB).toFixed(1)} KB`;
const row = (label, value, note = '') => console.log(`${label.padEnd(46)} ${value.padStart(10)}${note ? `   ${note}` : ''}`);

const activation = size('extension.js');
const features = size('features.js');
row('dist/extension.js (at activation)', kb(activation));
row('dist/features.js (at first use)', kb(features));
row('  editor total in the extension host', kb(activation + features), `goal <= 400 KB: ${activation + features <= 400 * KB ? 'within goal' : 'OVER GOAL'}`);
row('dist/junit.js (workspaces with JUnit reports)', kb(size('junit.js')));
row('dist/playbook-loader.js (own YAML playbooks)', kb(size('playbook-loader.js')));
row('dist/webview.js (the guide page, browser)', kb(size('webview.js')));
row('dist/cli.js (the lifeline CLI: diagnose, fix, undo, journal, preflight)', kb(size('cli.js')));
row('dist/cli-full.js (every other command and help, loaded by them)', kb(size('cli-full.js')));
row('dist/hook.js (the Claude Code PreToolUse hook)', kb(size('hook.js')));
const vsix = statSync(packageVsix()).size;
row('.vsix', kb(vsix), `goal <= 2 MB: ${vsix <= 2_000 * KB ? 'within goal' : 'OVER GOAL'}`);
