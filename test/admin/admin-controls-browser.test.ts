/**
 * The admin interface's newer controls in a real browser (Debian's chromium, playwright-core),
 * under the pages' strict CSP: the edit form's Show, the add form's Generate, the pending
 * queue's pages, the events list's status filter and Retry failed; and the pages they are on
 * hold no saved secret in their HTML and fit a phone's width. With OUTBOUND_SCREENSHOTS=1 it
 * saves the screenshots the README shows.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../support/browser.js';
import { signInAsAdmin, useAdminInChromium } from './browser-setup.js';

const rig = useAdminInChromium();

const TOKEN = 'T0k3n-d0-n0t-sh0w';
const PASSWORD = 'pa55-d0-n0t-sh0w';

/** Fails naming the page when its HTML, as served or as the browser has it, holds a secret. */
async function expectNoSecret(page: Page, where: string): Promise<void> {
  const served = (await (await page.request.get(page.url())).text()) ?? '';
  const rendered = await page.content();
  for (const [what, text] of [
    ['served', served],
    ['rendered', rendered],
  ] as const)
    for (const secret of [TOKEN, PASSWORD])
      expect(text.replaceAll('&amp;', '&'), `${where} (${what}) shows ${secret}`).not.toContain(
        secret,
      );
}

const fits = (page: Page) =>
  page.evaluate('document.documentElement.scrollWidth <= window.innerWidth') as Promise<boolean>;

describe('the admin controls in chromium', () => {
  it('Generate, Show, the pending pages, the status filter and Retry failed', async () => {
    const { store } = rig.svc.service;
    const context = await rig.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await signInAsAdmin(page, rig.svc.url);

    // Add: Generate fills in a Standard Webhooks secret, saved as typed and then shown masked.
    await page.goto(`${rig.svc.url}/admin/recipients/new`);
    await page.fill('#name', 'tickets');
    const url = `http://hooks:${PASSWORD}@127.0.0.1:9/in?team=blue&outbound_event_token=${TOKEN}`;
    await page.fill('#url', url);
    await page.click('button[data-generate-secret]');
    const secret = await page.inputValue('#secret');
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    await page.click('button[data-generate-secret]');
    expect(await page.inputValue('#secret')).not.toBe(secret);
    const generated = await page.inputValue('#secret');
    await page.click('button:has-text("Save")');
    await page.waitForURL(/\/admin\/recipients\/\d+\?notice=created$/);
    const recipient = await store.findRecipientByName('tickets');
    expect(recipient).toMatchObject({ url, secret: generated });
    const id = recipient!.id;

    // The list, the page and the audit log: masked, in the HTML as served and as shown.
    for (const path of ['/admin/recipients', `/admin/recipients/${id}`, '/admin/audit']) {
      await page.goto(`${rig.svc.url}${path}`);
      await expectNoSecret(page, path);
    }
    await page.goto(`${rig.svc.url}/admin/recipients`);
    await expect
      .poll(() => page.locator(`tr[data-recipient-id="${id}"] [data-field="url"]`).textContent())
      .toBe('http://hooks:•••@127.0.0.1:9/in?team=blue&outbound_event_token=•••');
    const edit = await page.goto(`${rig.svc.url}/admin/recipients/${id}/edit`);
    expect(edit?.status()).toBe(200);
    await expectNoSecret(page, 'the edit form');
    expect(await page.inputValue('#url')).toContain('outbound_event_token=•••');
    expect(await page.inputValue('#secret')).toBe('');
    expect(await page.getAttribute('#secret', 'placeholder')).toBe(`whsec_…${generated.slice(-4)}`);

    // Saved untouched: the URL is kept.
    await page.fill('#timeoutSeconds', '7');
    await page.click('button:has-text("Save")');
    await page.waitForURL(/notice=saved$/);
    expect(await store.getRecipient(id)).toMatchObject({ url, timeoutMs: 7000 });

    // Show: the URL in full, for editing.
    await page.goto(`${rig.svc.url}/admin/recipients/${id}/edit`);
    await page.click('a[data-show-url]');
    await page.waitForURL(/show=url/);
    expect(await page.inputValue('#url')).toBe(url);
    expect(await page.locator('a[data-show-url]').count()).toBe(0);
    const changed = url.replace(TOKEN, `${TOKEN}-2`);
    await page.fill('#url', changed);
    await page.click('button:has-text("Save")');
    await page.waitForURL(/notice=saved$/);
    expect((await store.getRecipient(id))?.url).toBe(changed);

    // Sixty events for a paused copy: the queue a page of 50 at a time, with the total.
    expect((await rig.svc.api('PATCH', `/api/v1/recipients/${id}`, { paused: true })).status).toBe(
      200,
    );
    for (let i = 1; i <= 60; i++) {
      const answer = await rig.svc.api('POST', '/api/v1/events', {
        event: 'support_conference_end',
        lsid: `queued-${i}`,
      });
      expect(answer.status).toBe(202);
    }
    await page.goto(`${rig.svc.url}/admin/recipients/${id}`);
    const pending = page.locator('table[data-deliveries="pending"] tbody tr');
    expect(await pending.count()).toBe(50);
    expect(await page.locator('[data-pending-total]').textContent()).toBe('1–50 of 60 pending');
    expect(await pending.first().locator('[data-next-attempt]').textContent()).toBe('paused');
    expect(await pending.nth(1).locator('[data-next-attempt]').textContent()).toBe(
      'after the head',
    );
    const accepted = pending.first().locator('td[data-label="Accepted"] time');
    expect(await accepted.textContent()).toMatch(/^(just now|\d+ s ago)$/);
    expect(await accepted.getAttribute('title')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    // Kept current in an open page, from its datetime.
    await page.evaluate(
      `document.querySelector('table[data-deliveries="pending"] td[data-label="Accepted"] time').setAttribute('datetime', new Date(Date.now() - 600000).toISOString())`,
    );
    await expect.poll(() => accepted.textContent(), { timeout: 15_000 }).toBe('10 min ago');
    await page.click('a[rel="next"]');
    await page.waitForURL(/after=\d+&offset=50/);
    expect(await pending.count()).toBe(10);
    expect(await page.locator('[data-pending-total]').textContent()).toBe('51–60 of 60 pending');
    expect(await pending.first().textContent()).toContain('queued-51');
    expect(await page.locator('a[rel="next"]').count()).toBe(0);
    await screenshot(page, 'recipient-queue', 'section[data-pending]');

    // Two of them set aside: the events list's filter finds them, Retry failed queues them
    // again, and only them.
    const queue = await store.listDeliveries(id, { state: 'pending', limit: 100 });
    const aside = [queue[3]!.seq, queue[7]!.seq];
    for (const seq of aside) expect(await store.setAside(id, seq, Date.now())).toBe(true);
    await page.goto(`${rig.svc.url}/admin/events`);
    await page.selectOption('#status', 'failed');
    await page.click('button:has-text("Search")');
    await page.waitForURL(/status=failed/);
    const rows = page.locator('table[data-events] tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.locator('[data-status]').allTextContents()).toEqual(['1 failed', '1 failed']);
    await screenshot(page, 'events-failed');

    // These pages on a phone: none wider than the screen.
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    for (const [name, path] of [
      ['', '/admin/recipients/new'],
      ['', `/admin/recipients/${id}/edit`],
      ['', `/admin/recipients/${id}`],
      ['recipient-queue-390', `/admin/recipients/${id}?after=${queue[49]!.seq}&offset=50`],
      ['events-failed-390', '/admin/events?status=failed'],
    ] as const) {
      await phone.goto(`${rig.svc.url}${path}`);
      expect(await fits(phone), `${path} at 390 px`).toBe(true);
      if (name === 'recipient-queue-390') await screenshot(phone, name, 'section[data-pending]');
      else if (name !== '') await screenshot(phone, name);
    }
    await phone.close();

    await page.click('form[data-retry-failed] button');
    await page.waitForURL(/notice=retried/);
    expect(await page.locator('.notice').textContent()).toBe(
      '2 failed deliveries were queued again, at their original place.',
    );
    expect(await store.listDeliveries(id, { state: 'failed', limit: 10 })).toEqual([]);
    const after = await store.listDeliveries(id, { state: 'pending', limit: 100 });
    expect(after.map((d) => d.seq)).toEqual(queue.map((d) => d.seq));
    const [entry] = await store.admin.listAudit(1);
    expect(entry).toMatchObject({ action: 'recipient.replay', actor: 'admin' });
    expect(entry!.after).toEqual({ seqs: aside, replayed: 2, via: 'events list' });

    expect(problems).toEqual([]);
    await context.close();
  });
});
