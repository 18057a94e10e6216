/**
 * The admin interface in a real browser: Debian's chromium driven by playwright-core. The
 * browser is part of the test: when /usr/bin/chromium is missing the test fails (CI installs
 * it, see .ci/run). With OUTBOUND_SCREENSHOTS=1 it also saves the screenshots the README shows.
 */
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../support/browser.js';
import { waitUntil } from '../support/wait.js';
import { useAdminInChromium } from './browser-setup.js';
import { PASSWORD } from './client.js';

const rig = useAdminInChromium();

/** Waits until the element's text matches, as the page shows it (no reload). */
async function shows(locator: Locator, pattern: RegExp, timeoutMs = 20_000): Promise<void> {
  let last = '';
  await waitUntil(
    async () => {
      last = (await locator.textContent()) ?? '';
      return pattern.test(last);
    },
    `${pattern} (last seen: "${last}")`,
    timeoutMs,
    100,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last seen: "${last}"`);
  });
}

const sendEvent = async (lsid: string) => {
  const answer = await rig.svc.api('POST', '/api/v1/events', {
    event: 'support_conference_begin',
    lsid,
  });
  expect(answer.status).toBe(202);
};

describe('admin interface in chromium', () => {
  it('signs in, adds a recipient, follows its deliveries live, sets aside and replays', async () => {
    const context = await rig.browser.newContext({ viewport: { width: 1440, height: 800 } });
    const page = await context.newPage();
    // The destructive actions ask first.
    page.on('dialog', (dialog) => void dialog.accept());
    const scriptErrors: string[] = [];
    page.on('pageerror', (error) => scriptErrors.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400 && !response.url().includes('/login'))
        scriptErrors.push(`${response.status()} ${response.url()}`);
    });

    // Without a session: the sign-in page.
    await page.goto(`${rig.svc.url}/admin/recipients`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await screenshot(page, 'login');
    await page.fill('#username', 'admin');
    await page.fill('#password', 'wrong password!');
    await page.click('button[type=submit]');
    await shows(page.locator('.alert'), /Wrong user name or password/);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/admin\/recipients$/);

    // A recipient pointing at the loopback receiver.
    await page.click('text=Add HTTP recipient');
    await page.fill('#name', 'tickets');
    await page.fill('#url', rig.receiver.url);
    await page.fill('#retryIntervalSeconds', '1');
    await page.fill('#headers', 'X-Team: blue');
    await screenshot(page, 'recipient-form');
    await page.click('button:has-text("Save")');
    await page.waitForURL(/\/admin\/recipients\/\d+\?notice=created$/);
    await shows(page.locator('.notice'), /The recipient was added/);
    const [recipient] = await rig.svc.service.store.listRecipients();
    expect(recipient).toMatchObject({ name: 'tickets', url: rig.receiver.url, events: 'all' });

    // Two more, so that the table shows the other states: paused (queues, sends nothing) and
    // disabled (queued nothing).
    for (const [name, extra] of [
      ['crm', { paused: true, events: ['support_conference_begin', 'support_conference_end'] }],
      ['archive', { enabled: false }],
    ] as const) {
      const answer = await rig.svc.api('POST', '/api/v1/recipients', {
        name,
        url: `https://${name}.example.com/outbound?outbound_event_token=t0k3n`,
        ...extra,
      });
      expect(answer.status).toBe(201);
    }

    // The table, kept live by the stream: no reload from here on (the marker would go).
    await page.goto(`${rig.svc.url}/admin/recipients`);
    await page.evaluate('window.__noReload = true');
    const row = page.locator(`tr[data-recipient-id="${recipient!.id}"]`);
    const status = row.locator('[data-field="status"]');
    const queued = row.locator('[data-field="queued"]');
    await shows(page.locator('[data-live]'), /live/);
    await sendEvent('e2e-1');
    await waitUntil(() => rig.receiver.accepted.length === 1, 'the first event at the receiver');
    expect(rig.receiver.accepted[0]).toContain('lsid=e2e-1');
    // Relative, the exact time on hover.
    await shows(row.locator('[data-field="lastSuccess"] time'), /^(just now|\d+ s ago)$/);
    expect(await row.locator('[data-field="lastSuccess"] time').getAttribute('title')).toMatch(
      / UTC$/,
    );
    await shows(status, /^OK$/);

    // The receiver goes down: the status turns to retrying, the queue grows.
    await rig.receiver.down();
    await sendEvent('e2e-2');
    await shows(status, /^Retrying/);
    await shows(queued, /^1$/);
    await shows(row.locator('[data-field="lastError"]'), /.+/);
    await screenshot(page, 'recipients');

    // Back up: the queue drains to 0.
    await rig.receiver.up();
    await shows(queued, /^0$/, 30_000);
    await shows(status, /^OK$/);
    await shows(row.locator('[data-field="rate"]'), /^[\d.]+\/min$/);
    expect(rig.receiver.accepted.at(-1)).toContain('lsid=e2e-2');
    expect(await page.evaluate('window.__noReload')).toBe(true);

    // Down again: set the head aside, then replay it once the receiver is back.
    await rig.receiver.down();
    await sendEvent('e2e-3');
    await shows(status, /^Retrying/);
    await row.locator('[data-field="name"] a').click();
    await page.waitForURL(/\/admin\/recipients\/\d+$/);
    await shows(page.locator('table[data-deliveries="pending"]'), /e2e-3/);
    await page.click('button:has-text("Set head aside")');
    await shows(page.locator('.notice'), /set aside as failed/);
    await shows(page.locator('table[data-deliveries="failed"]'), /support_conference_begin/);
    await shows(page.locator('[data-field="queued"]'), /^0$/);
    await rig.receiver.up();
    await page.click('button:has-text("Replay failed")');
    await shows(page.locator('.notice'), /queued again/);
    await waitUntil(
      () => rig.receiver.accepted.some((body) => body.includes('lsid=e2e-3')),
      'the replayed event at the receiver',
    );
    await page.reload();
    await shows(page.locator('body'), /No failed event\./);
    await shows(page.locator('table[data-deliveries="delivered"]'), /e2e-3/);
    await screenshot(page, 'recipient');

    // API tokens: shown once.
    await page.click('text=API tokens');
    await page.fill('#name', 'helpdesk');
    await page.click('button:has-text("Create token")');
    const token = (await page.locator('[data-new-token]').textContent()) ?? '';
    expect(token).toMatch(/^obt_/);
    await screenshot(page, 'tokens');

    // Every change is in the audit log.
    await page.click('text=Audit log');
    const log = (await page.locator('table[data-audit]').textContent()) ?? '';
    for (const action of [
      'recipient.create',
      'recipient.set-aside',
      'recipient.replay',
      'token.create',
    ])
      expect(log).toContain(action);
    await screenshot(page, 'audit');

    // Sign out: the pages are closed again.
    await page.click('button:has-text("Sign out")');
    await page.waitForURL(/\/login\?signedOut=1$/);
    await page.goto(`${rig.svc.url}/admin/audit`);
    expect(new URL(page.url()).pathname).toBe('/login');

    expect(scriptErrors).toEqual([]);
    await context.close();
  });
});
