/**
 * Debian's chromium driven by playwright-core, for the admin interface's browser tests. The
 * browser is part of those tests: without /usr/bin/chromium they fail (CI installs it, see
 * .ci/run); playwright's own downloads are never used.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install it (apt-get install chromium) to run this test`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Saves docs/screenshots/NAME.png (the page, or one element) when OUTBOUND_SCREENSHOTS=1. */
export async function screenshot(page: Page, name: string, selector?: string): Promise<void> {
  if (process.env.OUTBOUND_SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  if (selector === undefined) await page.screenshot({ path, fullPage: true });
  else await page.locator(selector).screenshot({ path });
}
