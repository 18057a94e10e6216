/**
 * The Events pages, a session's timeline and a recipient's delivery chart in a real browser
 * (Debian's chromium, playwright-core): they render under the strict CSP without a violation,
 * and the chart is an image with an accessible name. With OUTBOUND_SCREENSHOTS=1 it saves the
 * screenshots the README shows.
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import type { AttemptOutcome } from '../../src/types.js';
import { BEGIN, failure, head, newEvent } from '../store/fixtures.js';
import { screenshot } from '../support/browser.js';
import { waitUntil } from '../support/wait.js';
import { signInAsAdmin, useAdminInChromium } from './browser-setup.js';

const MIN = 60_000;

const rig = useAdminInChromium();

/** A deterministic sequence in [0, 1), so that the screenshots do not change between runs. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

const ok = (at: number, latencyMs: number): AttemptOutcome => ({
  at,
  status: 200,
  errorCode: null,
  error: null,
  latencyMs,
  snippet: null,
});

/**
 * A day of history for a paused recipient (nothing is sent while it is paused), written as the
 * lane would have: every event delivered, some after failed attempts; an outage five hours
 * ago and a slow spell in the last hour.
 */
async function seedDay(store: Store, recipientId: number, now: number): Promise<void> {
  const next = random(7);
  for (let t = now - 24 * 60 * MIN; t < now; t += 5 * MIN) {
    const lastHour = t >= now - 60 * MIN;
    const outage = t >= now - 5 * 60 * MIN && t < now - 4.5 * 60 * MIN;
    const count = Math.floor(next() * (lastHour ? 40 : 25)) + 2;
    const { ids } = await store.acceptEvents(
      Array.from({ length: count }, (_, i) => newEvent(BEGIN, { lsid: `load-${t}-${i}` })),
      t,
    );
    let at = t;
    for (const seq of ids) {
      at += Math.floor(next() * (5 * MIN)) / count;
      if (outage || next() < 0.02) {
        await store.recordFailure(recipientId, seq, failure(at, 503), at + 1_000);
        at += outage ? 20_000 : 1_000;
      }
      const slow = lastHour && t >= now - 25 * MIN && t < now - 15 * MIN;
      await store.markDelivered(head(recipientId, seq), ok(at, (slow ? 40 : 3) + next() * 12));
    }
  }
}

describe('events, a session timeline and the delivery chart in chromium', () => {
  it('render under the CSP, link to each other, and the chart has an accessible name', async () => {
    const created = await rig.svc.api('POST', '/api/v1/recipients', {
      name: 'helpdesk',
      url: rig.receiver.url,
      paused: true,
    });
    expect(created.status).toBe(201);
    const recipientId = created.body.id as number;
    await seedDay(rig.svc.service.store, recipientId, Date.now());
    expect(
      (await rig.svc.api('PATCH', `/api/v1/recipients/${recipientId}`, { paused: false })).status,
    ).toBe(200);

    // A support session through the sessions API: transfer, members, surveys, end.
    const call = async (method: string, path: string, body?: unknown) => {
      const answer = await rig.svc.api(method, `/api/v1/sessions${path}`, body);
      expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
      return answer.body;
    };
    const { lsid } = await call('POST', '', { external_key: 'INC-4711' });
    const customer = await call('POST', `/${lsid}/members`, {
      type: 'customer',
      display_name: 'Zoë Müller',
    });
    await call('POST', `/${lsid}/members`, {
      type: 'representative',
      display_name: 'Ann Agent',
      user_id: '12',
      username: 'ann',
    });
    await call('POST', `/${lsid}/owner`, { conference_id: 'team:5', conference_name: 'Tier 2' });
    await call('POST', `/${lsid}/members`, {
      type: 'representative',
      display_name: 'Bob Expert',
      user_id: '31',
      username: 'bob',
    });
    await call('DELETE', `/${lsid}/members/${customer.memberId}`);
    await call('POST', `/${lsid}/end`);
    await call('POST', `/${lsid}/surveys/customer`);
    await call('POST', `/${lsid}/surveys/representative`);
    await waitUntil(
      () => rig.receiver.accepted.some((b) => b.includes('representative_exit_survey_completed')),
      'the session delivered',
    );

    const context = await rig.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await signInAsAdmin(page, rig.svc.url);

    // Events: search by external key, newest first, each row links to its session.
    await page.click('header nav a[href="/admin/events"]');
    await page.fill('#externalKey', 'INC-4711');
    await page.click('button:has-text("Search")');
    await page.waitForURL(/externalKey=INC-4711/);
    const rows = page.locator('table[data-events] tbody tr');
    expect(await rows.count()).toBe(12);
    expect(await rows.first().textContent()).toContain('representative_exit_survey_completed');
    await screenshot(page, 'events-search');

    // The session's timeline, in acceptance order, with its stored state.
    await rows.first().locator(`a:has-text("${lsid}")`).click();
    await page.waitForURL(new RegExp(`/admin/sessions/${lsid}$`));
    const timeline = page.locator('ol[data-timeline] li');
    expect(await timeline.count()).toBe(12);
    expect(await timeline.first().textContent()).toMatch(/Session began/);
    expect(await timeline.last().textContent()).toMatch(/Representative exit survey/);
    await screenshot(page, 'session-timeline');

    // One event: its variables and its delivery, linking to the recipient's page.
    await page
      .locator('ol[data-timeline] li', { hasText: 'Zoë Müller' })
      .first()
      .locator('a')
      .click();
    await page.waitForURL(/\/admin\/events\/\d+$/);
    expect(await page.locator('table[data-variables]').textContent()).toContain('Zoë Müller');
    await page.locator('table[data-event-deliveries] a:has-text("helpdesk")').click();
    await page.waitForURL(new RegExp(`/admin/recipients/${recipientId}$`));

    // The chart: an image with a name and a description, and its numbers behind a summary.
    const hour = page.getByRole('img', { name: /Deliveries and latency, last hour/ });
    const day = page.getByRole('img', { name: /Deliveries and latency, last day/ });
    await hour.waitFor();
    expect(await hour.isVisible()).toBe(true);
    expect(await day.isVisible()).toBe(true);
    expect((await hour.boundingBox())?.height).toBeGreaterThan(100);
    expect(await page.locator('[data-chart="day"] g > title').count()).toBeGreaterThan(90);
    await page.locator('[data-chart="hour"] summary').click();
    expect(await page.locator('table[data-chart-table="hour"]').isVisible()).toBe(true);
    await page.locator('[data-chart="hour"] summary').click();
    await screenshot(page, 'delivery-chart', '.charts');

    // Nothing was refused by the CSP, nothing failed in the page.
    expect(problems).toEqual([]);
    await context.close();
  });
});
