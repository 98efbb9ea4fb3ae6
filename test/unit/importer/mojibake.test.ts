// Mojibake repair: text mangled the way real tools mangle it (UTF-8 bytes decoded as
// Windows-1252 or Mac Roman by the platform's own decoders) comes back as written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mangle } from './helpers';
import { decodeWindows1252, repairMojibake } from '../../../src/core/importer/mojibake';
import { blankFrontMatter, readSourceText } from '../../../src/core/importer/source-text';

// Every byte of these survives cp1252 (none is 0x81, 0x8D, 0x8F, 0x90 or 0x9D).
const clean = '## 🔄 Symptoms — ├─ YES → Step 3 … ✅ done 🚫 ‘quoted’ ≥ 80%';

test('UTF-8 read as Windows-1252 decodes back to the original', () => {
  const broken = mangle(clean, 'cp1252');
  assert.match(broken, /ðŸ”„ Symptoms â€” â”œâ”€ YES â†’/);
  const r = repairMojibake(broken);
  assert.equal(r.text, clean);
  assert.equal(r.stripped, 0);
  assert.ok(r.repaired >= 10, `repaired ${r.repaired}`);
});

test('UTF-8 read as Mac Roman decodes back to the original', () => {
  const broken = mangle(clean, 'mac_roman');
  assert.match(broken, /‚îú‚îÄ YES ‚Üí/);
  assert.equal(repairMojibake(broken).text, clean);
});

test('a sequence that lost a byte (cp1252 has no 0x8D) is dropped, the rest repaired', () => {
  // 🔍 is F0 9F 94 8D: its last byte does not survive cp1252.
  const broken = mangle('🔍 Prompt — missing ❌ x', 'cp1252');
  assert.equal(broken, 'ðŸ” Prompt â€” missing âŒ x');
  const r = repairMojibake(broken);
  assert.equal(r.text, ' Prompt — missing  x');
  assert.equal(r.stripped, 2);
});

test('a no-break space that became a plain space is not guessed back: the sequence is dropped', () => {
  // ⚠️ is E2 9A A0 EF B8 8F; cp1252 turns A0 into a no-break space that editors flatten, and loses 8F.
  const broken = mangle('⚠️ Warning — read this', 'cp1252').replace(/\u00a0/g, ' ');
  assert.equal(broken, 'âš ï¸ Warning â€” read this');
  // The same shape as "” ≥" with the quote's last byte lost; reading the space as A0 would give "†≥".
  assert.equal(repairMojibake(broken).text, '  Warning — read this');
  assert.equal(repairMojibake(mangle('“a” ≥ 5', 'cp1252')).text, '“a ≥ 5');
});

test('Windows-1252 bytes decode to their characters (not Latin-1 control codes)', () => {
  assert.equal(decodeWindows1252(Uint8Array.from([0x93, 0x68, 0x69, 0x94, 0x20, 0x96, 0x20, 0x80, 0xe9])), '“hi” – €é');
});

test('without one clean decode nothing is touched: a lone broken shape is not evidence', () => {
  assert.equal(repairMojibake('âš ï¸ Warning').text, 'âš ï¸ Warning');
});

test('ordinary accented text and typography are left alone', () => {
  for (const text of ['café naïve façade Grüße señor', 'em — dash “quotes” ‘single’ … €5', 'plain ASCII only', 'Ça va? À bientôt. Øresund, Ålesund']) {
    const r = repairMojibake(text);
    assert.equal(r.text, text);
    assert.equal(r.repaired + r.stripped, 0);
  }
});

test('a runbook mangled twice is repaired in two passes', () => {
  // Chosen so that no byte is lost on either trip through cp1252.
  const clean = '## Café → Step 2 ≥ 3';
  const twice = mangle(mangle(clean, 'cp1252'), 'cp1252');
  assert.notEqual(repairMojibake(twice).text, clean);
  const r = readSourceText(new TextEncoder().encode(twice));
  assert.equal(r.text, clean);
});

test('front matter is blanked (line count kept), other leading rules are not', () => {
  assert.equal(blankFrontMatter('---\ntitle: Runbook\ntags: [a]\n---\n# Title\n'), '\n\n\n\n# Title\n');
  assert.equal(blankFrontMatter('---\n\n# Title\n\n---\n'), '---\n\n# Title\n\n---\n');
});
