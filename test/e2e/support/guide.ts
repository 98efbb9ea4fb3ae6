// Driving the recovery guide (the webview) as a user would, for the walk tests: read where it
// stands, press Done, pick an option, pick the subject, run or skip a fix-up, undo; and read the
// end screen's "what is left". Selectors are src/webview/render*.ts's data-key attributes.
import * as assert from 'node:assert/strict';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { screenshot, webviewFrame } from './workbench';

export class Guide {
  readonly frame: FrameLocator;
  private shots = 0;

  constructor(
    readonly page: Page,
    /** Prefix of this walk's screenshots. */
    readonly name: string,
  ) {
    this.frame = webviewFrame(page);
  }

  /** The current step's section. */
  get current(): Locator {
    return this.frame.locator('section.current');
  }

  /** Waits until the guide stands at a step whose title matches and that waits for the user. */
  async at(title: RegExp, timeoutMs = 45_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      const cls = (await this.current.getAttribute('class', { timeout: 5_000 }).catch(() => null)) ?? '';
      last = ((await this.frame.locator('#now-h').textContent({ timeout: 5_000 }).catch(() => null)) ?? '').trim();
      const working = /kind-(checking|previewing|applying|verifying|finding-subjects)\b/.test(cls);
      if (!working && title.test(last) && !(await this.busy())) return;
      await this.page.waitForTimeout(200);
    }
    await this.shot('unexpected');
    assert.fail(`the guide stands at "${last}", not at ${String(title)}`);
  }

  /** The kind of the current step: step, subject, ask, choice, confirm, ended, ... */
  async kind(): Promise<string> {
    const cls = (await this.current.getAttribute('class')) ?? '';
    return /kind-([\w-]+)/.exec(cls)?.[1] ?? '';
  }

  private async busy(): Promise<boolean> {
    return ((await this.frame.locator('body').getAttribute('class', { timeout: 2_000 }).catch(() => '')) ?? '').includes('busy');
  }

  /** Clicks the current step's control with this data-key. */
  async press(key: string): Promise<void> {
    const b = this.current.locator(`[data-key="${key}"]`).first();
    await b.waitFor({ state: 'visible', timeout: 15_000 });
    await b.click();
  }

  /** "Done — next step" on a plain step. */
  async done(): Promise<void> {
    await this.press('continue');
    await this.settle();
  }

  /** Picks the question's option whose label matches. */
  async choose(label: RegExp): Promise<void> {
    const b = this.current.locator('.options button', { hasText: label }).first();
    await b.waitFor({ state: 'visible', timeout: 15_000 });
    await b.click();
    await this.settle();
  }

  /** Picks what the guide is about (the subject choice's button of that id). */
  async subject(id: string): Promise<void> {
    const b = this.current.locator('.subjects button', { hasText: new RegExp(`^${id}$`) }).first();
    await b.waitFor({ state: 'visible', timeout: 30_000 });
    await b.click();
    await this.settle();
  }

  /** Types a value the current step or fix-up still needs (its input field) and hands it over with Enter. */
  async provide(name: string, value: string): Promise<void> {
    const input = this.current.locator(`input[id$="-${name}"]`).first();
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(value);
    await input.press('Enter');
    await this.settle();
  }

  /** Answers a check the guide could not answer itself. */
  async answer(yes: boolean): Promise<void> {
    await this.press(yes ? 'yes' : 'no');
    await this.settle();
  }

  /** The fix-up's preview is shown with this effect (read-only, reversible, irreversible, destructive). */
  async expectPreview(effect: string): Promise<void> {
    const badge = this.current.locator('.effect-badge').first();
    await badge.waitFor({ state: 'visible', timeout: 45_000 });
    assert.equal(await badge.getAttribute('data-effect'), effect, `the preview's effect (${(await badge.textContent()) ?? ''})`);
  }

  /** Runs the previewed fix-up (ticking "discard exactly these" when asked to) and waits for the guide to move on. */
  async run(options: { discard?: boolean } = {}): Promise<void> {
    const before = await this.title();
    if (options.discard) {
      const check = this.current.locator('#discard');
      await check.waitFor({ state: 'visible', timeout: 15_000 });
      await check.check();
    }
    await this.press('confirm');
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if ((await this.title()) !== before && !(await this.working())) return;
      const failure = this.current.locator('.error[role="alert"]');
      if (await failure.count()) {
        await this.shot('fixup-failed');
        assert.fail(`the fix-up "${before}" failed: ${(await failure.first().textContent()) ?? ''}`);
      }
      await this.page.waitForTimeout(250);
    }
    assert.fail(`the fix-up "${before}" did not finish`);
  }

  /** "Skip this fix-up" (or "Skip this step" on a destructive step). */
  async skip(): Promise<void> {
    const key = (await this.current.locator('[data-key="skip-fixup"]').count()) ? 'skip-fixup' : 'skip';
    await this.press(key);
    await this.settle();
  }

  /** Undo of the fix-up whose title matches, in the "Fix-ups run" list; answers VS Code's confirmation. */
  async undo(title: RegExp): Promise<void> {
    const item = this.frame.locator('ol.actions li', { hasText: title }).first();
    await item.locator('button', { hasText: /^Undo$/ }).click();
    await this.settle();
    // Either the page undoes at once or VS Code asks first; both end with the entry marked undone.
    await item.getByText(/undone/).first().waitFor({ state: 'visible', timeout: 45_000 });
  }

  /** The current step's heading, without "Now: ". */
  async title(): Promise<string> {
    return ((await this.frame.locator('#now-h').textContent({ timeout: 10_000 }).catch(() => '')) ?? '').replace(/^Now:\s*/, '').trim();
  }

  /** The commands the current step offers, as shown. */
  async commands(): Promise<string[]> {
    return (await this.current.locator('pre.command').allTextContents()).map((c) => c.trim());
  }

  /** What the end screen lists as left (mine and elsewhere), one detail line each. */
  async remaining(): Promise<string[]> {
    return (await this.current.locator('ul.remaining li > span:first-child').allTextContents()).map((s) => s.trim());
  }

  /** The outline's line for the node whose title matches. */
  mapLine(title: RegExp): Locator {
    return this.frame.locator('ol.outline li', { hasText: title }).first();
  }

  async shot(what: string): Promise<string> {
    this.shots++;
    return screenshot(this.page, `walk-${this.name}-${String(this.shots).padStart(2, '0')}-${what}`);
  }

  private async working(): Promise<boolean> {
    const cls = (await this.current.getAttribute('class', { timeout: 5_000 }).catch(() => '')) ?? '';
    return /kind-(checking|previewing|applying|verifying|finding-subjects)\b/.test(cls) || (await this.busy());
  }

  /** Waits until the page has the host's answer (no request in flight, nothing being worked on). */
  private async settle(): Promise<void> {
    const deadline = Date.now() + 45_000;
    await this.page.waitForTimeout(150);
    while (Date.now() < deadline && (await this.working())) await this.page.waitForTimeout(150);
    const alert = this.frame.locator('#alert:not([hidden])');
    if (await alert.count()) {
      await this.shot('alert');
      assert.fail(`the guide refused: ${(await alert.first().textContent()) ?? ''}`);
    }
  }
}
