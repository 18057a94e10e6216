/**
 * Every admin page at a phone's width (390 × 844) and a laptop's (1280 × 800) in a real browser
 * (Debian's chromium, playwright-core): no page is wider than the viewport, the navigation
 * folds into a menu on the phone, and the sign-in box keeps its width. With
 * OUTBOUND_SCREENSHOTS=1 it saves the screenshots the README shows (the phone's as
 * NAME-390.png).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { randomToken, sha256 } from '../../src/admin/tokens.js';
import { screenshot } from '../support/browser.js';
import { signInAsAdmin, useAdminInChromium } from './browser-setup.js';

const MIN = 60_000;
const WIDTHS = [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
];
/** Pages whose wide screenshot another browser test takes (at 1440 px, in a livelier state). */
const WIDE_SHOT_ELSEWHERE = new Set([
  'login',
  'recipients',
  'recipient-form',
  'recipient',
  'events-search',
  'session-timeline',
  'tokens',
  'audit',
]);

const rig = useAdminInChromium();

interface Seeded {
  recipientId: number;
  lsid: string;
  eventId: number;
  setupPath: string;
}

/**
 * What makes the pages as wide as they get: a recipient with a long URL and every kind of
 * delivery (delivered, pending with errors, set aside), a session with long names, an email
 * recipient, audit entries, a setup link.
 */
async function seed(): Promise<Seeded> {
  const { store } = rig.svc.service;
  const created = await rig.svc.api('POST', '/api/v1/recipients', {
    name: 'helpdesk-ticketing-production',
    url: `${rig.receiver.url}/hooks/outbound/support-events?outbound_event_token=9f2c1e7b4d&appliance_id=rescue-eu-west-1`,
    paused: true,
    events: ['support_conference_begin', 'support_conference_member_added'],
  });
  expect(created.status).toBe(201);
  const recipientId = created.body.id as number;
  const patched = await rig.svc.api('PATCH', `/api/v1/recipients/${recipientId}`, {
    events: 'all',
  });
  expect(patched.status).toBe(200);

  const call = async (method: string, path: string, body?: unknown) => {
    const answer = await rig.svc.api(method, `/api/v1/sessions${path}`, body);
    expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
    return answer.body;
  };
  const { lsid } = await call('POST', '', { external_key: 'INC-4711-CUSTOMER-ESCALATION' });
  await call('POST', `/${lsid}/members`, {
    type: 'customer',
    display_name: 'Zoë Müller-Lüdenscheidt',
  });
  await call('POST', `/${lsid}/members`, {
    type: 'representative',
    display_name: 'Ann Agent',
    user_id: '12',
    username: 'ann.agent@support.example.com',
  });
  await call('POST', `/${lsid}/owner`, {
    conference_id: 'team:5',
    conference_name: 'Tier 2 escalations',
  });
  await call('POST', `/${lsid}/end`);
  await call('POST', `/${lsid}/surveys/customer`);

  // Delivered, failing and set aside, as the lane would have left them.
  const pending = await store.listDeliveries(recipientId, { state: 'pending', limit: 50 });
  expect(pending.length).toBeGreaterThanOrEqual(5);
  const now = Date.now();
  const [first, second, third, fourth] = pending.sort((a, b) => a.seq - b.seq);
  for (const [i, d] of [first!, second!].entries())
    await store.markDelivered(
      { recipientId, seq: d.seq, attempts: 0 },
      {
        at: now - (10 - i) * MIN,
        status: 200,
        errorCode: null,
        error: null,
        latencyMs: 4 + i,
        snippet: null,
      },
    );
  const refused = {
    status: 503,
    errorCode: 'HTTP_STATUS',
    error:
      'HTTP 503 Service Unavailable: upstream connect error or disconnect/reset before headers. reset reason: connection failure',
    latencyMs: 12,
    snippet:
      '<html><body><h1>503 Service Unavailable</h1>No server is available to handle this request.</body></html>',
  };
  await store.recordFailure(recipientId, third!.seq, { at: now - 2 * MIN, ...refused }, now + MIN);
  expect(
    await store.setAside(recipientId, third!.seq, now - MIN, { at: now - MIN, ...refused }),
  ).toBe(true);
  await store.recordFailure(recipientId, fourth!.seq, { at: now - MIN, ...refused }, now + 5 * MIN);

  // An API account with a long name, for Management → API Configuration.
  await store.apiAccounts.create(
    {
      name: 'servicenow-production-incident-integration',
      clientId: 'c0ffee00c0ffee00c0ffee00c0ffee00',
      secretHash: sha256('not-a-real-secret'),
      reporting: true,
      command: 'read_only',
    },
    now,
  );
  const token = randomToken();
  await store.admin.createSetupToken(sha256(token), now);
  return { recipientId, lsid, eventId: first!.eventId, setupPath: `/setup?token=${token}` };
}

/** The signed-in pages, by the name of their screenshot. */
const adminPages = (s: Seeded): [string, string][] => [
  ['recipients', '/admin/recipients'],
  ['recipient-form', '/admin/recipients/new'],
  ['recipient-edit', `/admin/recipients/${s.recipientId}/edit`],
  ['recipient', `/admin/recipients/${s.recipientId}`],
  ['events-search', '/admin/events?externalKey=INC-4711-CUSTOMER-ESCALATION'],
  ['event', `/admin/events/${s.eventId}`],
  ['session-timeline', `/admin/sessions/${encodeURIComponent(s.lsid)}`],
  ['tokens', '/admin/tokens'],
  ['api-configuration', '/admin/api-configuration'],
  ['users', '/admin/users'],
  ['audit', '/admin/audit'],
  ['settings', '/admin/settings'],
  ['email-recipients', '/admin/email-recipients'],
];

/**
 * In the page: how far it is wider than the viewport (the assertion is
 * `document.documentElement.scrollWidth <= innerWidth`), and the outermost elements that stick
 * out, for the failure message. A string: the tests are type-checked without the DOM's types.
 */
const MEASURE_OVERFLOW = `(() => {
  const edge = window.innerWidth + 0.5;
  const excess = document.documentElement.scrollWidth - window.innerWidth;
  const culprits = [];
  if (excess > 0) {
    for (const el of document.body.querySelectorAll('*')) {
      const right = el.getBoundingClientRect().right;
      const parent = el.parentElement;
      if (right <= edge) continue;
      if (parent && parent !== document.body && parent.getBoundingClientRect().right > edge) continue;
      const classes = el.className ? '.' + String(el.className).split(' ').join('.') : '';
      culprits.push(el.tagName.toLowerCase() + classes + ' (right edge ' + Math.round(right) + ')');
      if (culprits.length === 4) break;
    }
  }
  return { excess, culprits };
})()`;

const overflow = (page: Page) =>
  page.evaluate(MEASURE_OVERFLOW) as Promise<{ excess: number; culprits: string[] }>;

describe('the admin pages at 390 and 1280 px in chromium', () => {
  it('fit the viewport, fold the navigation on a phone, and keep the sign-in box narrow', async () => {
    const seeded = await seed();

    // The email recipient through its form (the API has no kind for it).
    {
      const context = await rig.browser.newContext({ viewport: WIDTHS[1]! });
      const page = await context.newPage();
      await signInAsAdmin(page, rig.svc.url);
      await page.goto(`${rig.svc.url}/admin/email-recipients`);
      await page.fill('#address', 'support-reports-escalations@helpdesk.example.com');
      await page.click('button:has-text("Add")');
      await page.waitForURL(/notice=added$/);
      await context.close();
    }

    const tooWide: string[] = [];
    const problems: string[] = [];
    for (const viewport of WIDTHS) {
      const phone = viewport.width < 600;
      const context = await rig.browser.newContext({ viewport });
      const page = await context.newPage();
      page.on('pageerror', (error) => problems.push(`${viewport.width}: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`${viewport.width}: ${message.text()}`);
      });
      const check = async (name: string, path: string) => {
        const response = await page.goto(`${rig.svc.url}${path}`);
        expect(response?.status(), `${name} at ${viewport.width}`).toBe(200);
        const { excess, culprits } = await overflow(page);
        if (excess > 0)
          tooWide.push(
            `${name} at ${viewport.width}: ${excess} px too wide (${culprits.join(', ')})`,
          );
        if (phone) await screenshot(page, `${name}-390`);
        else if (!WIDE_SHOT_ELSEWHERE.has(name)) await screenshot(page, name);
      };

      // Before signing in: the setup link and the sign-in page.
      await check('setup', seeded.setupPath);
      await check('login', '/login');
      const box = await page.locator('form.login').boundingBox();
      if (phone) expect.soft(box?.width, 'the sign-in box').toBeLessThanOrEqual(viewport.width);
      else expect.soft(box?.width, 'the sign-in box').toBe(352);
      await signInAsAdmin(page, rig.svc.url);

      for (const [name, path] of adminPages(seeded)) await check(name, path);

      // The navigation: on the phone behind a menu that opens without a script, beside it otherwise.
      const events = page.locator('header.bar nav a[href="/admin/events"]');
      const menu = page.locator('header.bar summary');
      if (phone) {
        expect.soft(await events.isVisible(), 'the navigation folded').toBe(false);
        expect.soft(await menu.count(), 'a menu to open').toBe(1);
        if ((await menu.count()) === 1) {
          await menu.click();
          expect.soft(await events.isVisible(), 'the opened menu').toBe(true);
          expect.soft((await overflow(page)).excess, 'the opened menu').toBeLessThanOrEqual(0);
          await screenshot(page, 'menu-390');
          await events.click();
          await page.waitForURL(/\/admin\/events$/);
        }

        // A recipient added while the list is open: the card the script adds is labelled too
        // (by the data-field of its cells, all the script sets).
        await page.goto(`${rig.svc.url}/admin/recipients`);
        const late = await rig.svc.api('POST', '/api/v1/recipients', {
          name: 'added-while-open',
          url: rig.receiver.url,
          paused: true,
        });
        expect(late.status).toBe(201);
        const cell = `tr[data-recipient-id="${late.body.id}"] td[data-field="queued"]`;
        await page.locator(cell).waitFor();
        expect(
          await page.evaluate(
            `getComputedStyle(document.querySelector('${cell}'), '::before').content`,
          ),
        ).toBe('"Queued Events"');
        expect
          .soft((await overflow(page)).excess, 'the list with a live card')
          .toBeLessThanOrEqual(0);
      } else {
        expect.soft(await menu.isVisible(), 'a menu on a wide screen').toBe(false);
        expect.soft(await events.isVisible(), 'the navigation').toBe(true);
        const bar = await page.locator('header.bar').boundingBox();
        expect.soft(bar?.height, 'the header on one line').toBeLessThan(60);
      }
      await context.close();
    }
    expect(tooWide).toEqual([]);
    expect(problems).toEqual([]);
  });
});
