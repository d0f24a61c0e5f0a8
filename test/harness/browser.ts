/**
 * Where the browser tests find Chromium (Debian's package; playwright-core downloads nothing),
 * and whether a missing one fails the run (REQUIRE_BROWSER=1, as CI sets) or only skips the
 * browser tests, said loudly at the end of the run.
 */
import fs from 'node:fs';
import path from 'node:path';

import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const browserAvailable = (): boolean => fs.existsSync(CHROMIUM);

export const BROWSER_INSTALL_HINT =
  'Install Chromium (Debian/Ubuntu: `apt-get update && apt-get install -y chromium`), ' +
  'or set CHROMIUM_PATH to a Chromium or Chrome binary.';

export const BROWSER_SKIPPED_BANNER =
  `\n*** THE WEB APP'S BROWSER TESTS WERE SKIPPED: no Chromium at ${CHROMIUM}. ***\n` +
  `*** ${BROWSER_INSTALL_HINT} ***\n\n`;

const SHOTS = path.resolve(import.meta.dirname, '../../test-artifacts/screenshots');

/** Debian's Chromium, headless, without its background traffic; the screenshots' folder made. */
export async function launchChromium(): Promise<Browser> {
  fs.mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A page in a context of its own that records console errors, uncaught exceptions and failed requests (there should be none). */
export async function openPage(browser: Browser, width = 1280) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  // Which request failed (the console says only "Failed to load resource").
  page.on('response', (response) => {
    if (response.status() >= 400)
      problems.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  return { context, page, problems };
}

/**
 * Screenshots at 1280 and 375 px into test-artifacts/screenshots; at 375 nothing may be wider
 * than the screen (wide tables scroll inside their own box), and the elements that stick out
 * are named if something is.
 */
export async function screenshots(page: Page, name: string): Promise<void> {
  const original = page.viewportSize() ?? { width: 1280, height: 900 };
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
  }
  const overflowing = await page.evaluate(`[...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .filter((e) => !e.closest('.table-scroll'))
    .slice(0, 5)
    .map((e) => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '') + ' ' + (e.textContent ?? '').slice(0, 40))`);
  expect(overflowing, `${name} is wider than 375 px`).toEqual([]);
  await page.setViewportSize(original);
}
