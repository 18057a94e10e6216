/**
 * What the admin interface's browser tests share: chromium, a service with an administrator
 * and a receiver to deliver to, started once per file because launching chromium takes seconds.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { quickPasswordHash } from '../support/password.js';
import { TestReceiver } from '../support/receiver.js';
import { startService, type TestService } from '../support/service.js';
import { PASSWORD } from './client.js';

export interface AdminInChromium {
  browser: Browser;
  svc: TestService;
  receiver: TestReceiver;
}

/** Starts them before the file's tests and stops them after; filled in by then. */
export function useAdminInChromium(): AdminInChromium {
  const rig = {} as AdminInChromium;
  beforeAll(async () => {
    rig.browser = await launchChromium();
    rig.svc = await startService({ sweepIntervalMs: 200 });
    rig.receiver = await TestReceiver.start();
    await rig.svc.service.store.admin.createUser(
      'admin',
      await quickPasswordHash(PASSWORD),
      Date.now(),
    );
  });
  afterAll(async () => {
    await rig.browser?.close();
    await rig.svc?.stop();
    await rig.receiver?.close();
  });
  return rig;
}

/** Signs the page in as the administrator through the sign-in form. */
export async function signInAsAdmin(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('#username', 'admin');
  await page.fill('#password', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/admin\/recipients$/);
}
