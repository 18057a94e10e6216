/**
 * Reports → Support sessions in a real browser (Debian's chromium, playwright-core), at a
 * laptop's width and a phone's (390 px): the search by each filter, the pages of results, a
 * session's whole report beside its events and their deliveries. A chat message carrying
 * markup stays text: no script runs, no element is added, the page after it is whole. With
 * OUTBOUND_SCREENSHOTS=1 it saves the screenshots the README shows.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../support/browser.js';
import { waitUntil } from '../support/wait.js';
import { signInAsAdmin, useAdminInChromium } from './browser-setup.js';
import { reportState, seedSession } from './reports-fixtures.js';

const rig = useAdminInChromium();
const MIN = 60_000;

const ATTACK =
  '<script>window.__xss=1</script></textarea><img id="injected" src=x onerror="window.__xss=2"><!-- still text';
const UNCARRIABLE = 'NUL\u0000 SOH\u0001 lone\ud800 FFFF\uffff end';

/** How far the page is wider than the viewport (a string: tests have no DOM types). */
const EXCESS = 'document.documentElement.scrollWidth - window.innerWidth';

async function seed(): Promise<string> {
  const { store } = rig.svc.service;
  // Sixty older sessions, one every minute, for the pages of results.
  const t0 = Date.now() - 3 * 60 * MIN;
  for (let i = 0; i < 60; i++) {
    await seedSession(
      store,
      {
        lsid: `old-${String(i).padStart(2, '0')}`,
        externalKey: `CASE-${1000 + i}`,
        customer: i % 2 === 0 ? 'Øyvind Berg' : 'Chloé Bernard',
        rep: { display_name: 'Bob Expert', username: 'bob', user_id: '31' },
        ended: true,
      },
      t0 + i * MIN,
    );
  }

  // The session under test: started through the sessions API, so that its events are sent to
  // a recipient; its report state then put in place as the rules would leave it.
  const created = await rig.svc.api('POST', '/api/v1/recipients', {
    name: 'helpdesk',
    url: rig.receiver.url,
  });
  expect(created.status).toBe(201);
  const started = await rig.svc.api('POST', '/api/v1/sessions', {
    external_key: 'INC-4711-CUSTOMER-ESCALATION',
  });
  expect(started.status).toBe(201);
  const lsid = started.body.lsid as string;
  await waitUntil(
    () => rig.receiver.accepted.some((b) => b.includes('support_conference_owner_changed')),
    'the session delivered',
  );
  const state = reportState({
    lsid,
    externalKey: 'INC-4711-CUSTOMER-ESCALATION',
    customer: 'Zoë Müller-Lüdenscheidt',
    rep: { display_name: 'Ann Agent', username: 'ann.agent@support.example.com', user_id: '12' },
    chat: [ATTACK, UNCARRIABLE, 'A very long line '.repeat(30)],
    ended: true,
    startedAt: Math.floor(Date.now() / 1000) - 600,
  });
  await store.changeSession(lsid, () => ({ state, events: [], result: undefined }), Date.now());
  return lsid;
}

describe('Reports → Support sessions in chromium', () => {
  it('searches, pages, and shows a whole report as text, at 1280 and 390 px', async () => {
    const lsid = await seed();
    const problems: string[] = [];
    const watch = (page: Page, width: number) => {
      page.on('pageerror', (error) => problems.push(`${width}: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`${width}: ${message.text()}`);
      });
    };

    // A laptop: from the navigation to the list, each filter, the next page.
    {
      const context = await rig.browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      watch(page, 1280);
      await signInAsAdmin(page, rig.svc.url);
      await page.click('header nav a[href="/admin/reports/sessions"]');
      await page.waitForURL(/\/admin\/reports\/sessions$/);
      const rows = page.locator('table[data-sessions] tbody tr');
      expect(await rows.count()).toBe(50);
      expect(await rows.first().getAttribute('data-lsid')).toBe(lsid);
      expect(await page.evaluate(EXCESS)).toBeLessThanOrEqual(0);
      await screenshot(page, 'reports-sessions');

      await page.click('a:has-text("Older sessions")');
      await page.waitForURL(/before=\d+/);
      expect(await rows.count()).toBe(11);
      expect(await rows.last().getAttribute('data-lsid')).toBe('old-00');
      expect(await page.locator('a:has-text("Older sessions")').count()).toBe(0);

      const search = async (fields: Record<string, string>) => {
        await page.goto(`${rig.svc.url}/admin/reports/sessions`);
        for (const [id, value] of Object.entries(fields)) await page.fill(`#${id}`, value);
        await page.click('button:has-text("Search")');
        await page.waitForLoadState();
        return rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-lsid')));
      };
      expect(await search({ rep: 'ANN.AGENT' })).toEqual([lsid]);
      expect(await search({ customer: 'lüdenscheidt' })).toEqual([lsid]);
      expect(await search({ externalKey: 'INC-4711-CUSTOMER-ESCALATION' })).toEqual([lsid]);
      expect(await search({ externalKey: 'CASE-105*' })).toEqual([
        'old-59',
        'old-58',
        'old-57',
        'old-56',
        'old-55',
        'old-54',
        'old-53',
        'old-52',
        'old-51',
        'old-50',
      ]);
      const first = new Date(Date.now() - 3 * 60 * MIN).toISOString().slice(0, 16);
      const fourth = await search({ rep: 'bob', customer: 'chloé', to: `${first}:00` });
      expect(fourth.every((l) => l === 'old-01' || l === 'old-03' || l === 'old-00')).toBe(true);
      await page.goto(`${rig.svc.url}/admin/reports/sessions/${lsid}`);
      expect(await page.evaluate(EXCESS), 'the report at 1280 px').toBeLessThanOrEqual(0);
      await screenshot(page, 'session-report');
      await context.close();
    }

    // A phone: the list and the report fit, the report shows everything, as text.
    {
      const context = await rig.browser.newContext({ viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      watch(page, 390);
      await signInAsAdmin(page, rig.svc.url);
      await page.goto(`${rig.svc.url}/admin/reports/sessions?customer=Zo%C3%AB`);
      expect(await page.evaluate(EXCESS), 'the list at 390 px').toBeLessThanOrEqual(0);
      await screenshot(page, 'reports-sessions-390');
      await page.click(`table[data-sessions] a:has-text("${lsid}")`);
      await page.waitForURL(new RegExp(`/admin/reports/sessions/${lsid}$`));

      const chat = page.locator('ol[data-chat] li .typed');
      expect(await chat.count()).toBe(4);
      expect(await chat.nth(0).textContent()).toBe(ATTACK);
      expect(await chat.nth(1).textContent()).toBe('NULU+0000 SOHU+0001 loneU+D800 FFFFU+FFFF end');
      expect(await page.evaluate('window.__xss')).toBeUndefined();
      expect(await page.locator('#injected').count()).toBe(0);
      expect(await page.title()).toBe(`Session ${lsid} · Outbound`);

      // Everything the report holds, after the chat.
      const field = (name: string) => page.locator(`dd[data-field="${name}"]`).textContent();
      expect(await field('externalKey')).toBe('INC-4711-CUSTOMER-ESCALATION');
      expect(await field('duration')).toMatch(/^\d\d:\d\d:\d\d$/);
      expect(await field('primaryCustomer')).toContain('Zoë Müller-Lüdenscheidt');
      expect(await field('primaryRep')).toContain('Ann Agent');
      const customer = page.locator('table[data-customers] tr[data-gsnumber="1"]');
      expect(await customer.textContent()).toContain('Müller & Söhne GmbH');
      expect(await customer.textContent()).toContain('Printer offline');
      expect(await customer.locator('td[data-label="Seconds involved"]').textContent()).toBe('299');
      const rep = page.locator('table[data-representatives] tr[data-gsnumber="2"]');
      expect(await rep.locator('td[data-label="Seconds involved"]').textContent()).toBe('280');
      expect(await page.locator('ol[data-notes]').textContent()).toContain('Driver v2 → v3');
      expect(await page.locator('table[data-files]').textContent()).toContain('driver-v3.exe');
      expect(await page.locator('table[data-survey="customer"]').textContent()).toContain(
        'Quick & <friendly>',
      );
      expect(await page.locator('table[data-attributes]').textContent()).toContain('printers');
      // Its events as sent, with their delivery to the recipient.
      const timeline = page.locator('ol[data-timeline] li');
      expect(await timeline.count()).toBe(2);
      await waitUntil(async () => {
        await page.reload();
        return (await timeline.first().textContent())?.includes('helpdesk: delivered') === true;
      }, 'the delivery shown');
      expect(await page.evaluate(EXCESS), 'the report at 390 px').toBeLessThanOrEqual(0);
      await page.locator('details.panel summary').click();
      expect(await page.locator('table[data-details] tbody tr').count()).toBe(11);
      expect(await page.evaluate(EXCESS), 'the details at 390 px').toBeLessThanOrEqual(0);
      await screenshot(page, 'session-report-390');
      // The session's state and timeline page links here, and back.
      await page.click('a:has-text("The session\'s state and timeline")');
      await page.waitForURL(new RegExp(`/admin/sessions/${lsid}$`));
      await page.click('a:has-text("Its whole report")');
      await page.waitForURL(new RegExp(`/admin/reports/sessions/${lsid}$`));
      await context.close();
    }
    expect(problems).toEqual([]);
  });
});
