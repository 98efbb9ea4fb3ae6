// Launches the headless Chromium that drives the code-server workbench (playwright-core over
// Debian's /usr/bin/chromium, with the flags verified on these machines).
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
]);

/**
 * @param {string} executablePath
 * @param {{headless?: boolean}} [o]
 */
export async function launchBrowser(executablePath, o = {}) {
  try {
    return await chromium.launch({ executablePath, headless: o.headless ?? true, args: [...CHROMIUM_ARGS] });
  } catch (e) {
    const first = String(e instanceof Error ? e.message : e).split('\n')[0];
    throw new Error(`could not launch Chromium at ${executablePath}: ${first} — run \`node scripts/host/setup.mjs\` or set LIFELINE_CHROMIUM`, { cause: e });
  }
}

/** A page sized like a laptop screen, so screenshots are readable. */
export async function newWorkbenchPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  return context.newPage();
}
