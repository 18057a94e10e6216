/**
 * Reports → Support sessions without a browser: what a participant typed reaches the page as
 * text only (the markup in a chat message is escaped, characters a page cannot carry are shown
 * by code point), a wrong filter is a 400 naming the field, an unknown session a 404.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startService, type TestService } from '../support/service.js';
import { type AdminClient, signedIn } from './client.js';
import { seedSession } from './reports-fixtures.js';

let svc: TestService;
let client: AdminClient;

beforeEach(async () => {
  svc = await startService();
  client = await signedIn(svc);
});

afterEach(async () => {
  await svc.stop();
});

const ATTACK =
  '<script>window.__xss=1</script></textarea><img src=x onerror="window.__xss=2"><!-- "quoted" & \'single\'';

describe('a support session report', () => {
  it('shows a chat message with markup as text, and uncarriable characters by code point', async () => {
    await svc.service.store.customFields.add({
      codeName: 'ticket_queue',
      displayName: 'Ticket <queue>',
      createdAt: Date.now(),
    });
    await seedSession(
      svc.service.store,
      {
        lsid: 'xss-1',
        externalKey: '<b>INC</b>',
        chat: [ATTACK, 'NUL\u0000 SOH\u0001 lone\ud800 FFFF\uffff end'],
      },
      Date.now(),
    );
    const page = await client.get('/admin/reports/sessions/xss-1');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('<script>window');
    expect(page.text).not.toContain('</textarea><img');
    expect(page.text).not.toContain('<b>INC</b>');
    expect(page.text).toContain(
      '&lt;script&gt;window.__xss=1&lt;/script&gt;&lt;/textarea&gt;&lt;img src=x onerror=&quot;window.__xss=2&quot;&gt;&lt;!-- &quot;quoted&quot; &amp; &#39;single&#39;',
    );
    for (const raw of ['\u0000', '\u0001', '\uffff']) expect(page.text).not.toContain(raw);
    expect(page.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    for (const code of ['U+0000', 'U+0001', 'U+D800', 'U+FFFF'])
      expect(page.text).toContain(
        `<span class="ctl" title="a control or invalid character">${code}</span>`,
      );
    // The rest of the page is still there, after the chat.
    expect(page.text).toContain('Driver v2 → v3');
    expect(page.text).toContain(
      '<tr data-code-name="ticket_queue"><td>Ticket &lt;queue&gt; <span class="muted">(ticket_queue)</span></td><td>printers</td></tr>',
    );
    expect(page.text).toContain('</html>');

    const list = await client.get('/admin/reports/sessions?externalKey=%3Cb%3E*');
    expect(list.status).toBe(200);
    expect(list.text).toContain('&lt;b&gt;INC&lt;/b&gt;');
    expect(list.text).toContain('href="/admin/reports/sessions/xss-1"');
  });

  it('refuses a wrong filter by name, and answers 404 for an unknown session', async () => {
    const wrong = await client.get(
      `/admin/reports/sessions?from=yesterday&customer=${'x'.repeat(300)}`,
    );
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('give a time like 2026-11-24T09:30 (UTC)');
    expect(wrong.text).toContain('at most 256 characters');
    const reversed = await client.get(
      '/admin/reports/sessions?from=2026-11-24T10:00&to=2026-11-24T09:00',
    );
    expect(reversed.status).toBe(400);
    expect(reversed.text).toContain('must not be before Started from');
    const missing = await client.get('/admin/reports/sessions/%3Cnope%3E');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('no session &lt;nope&gt; was reported');
  });

  it('is behind the sign-in like the other pages', async () => {
    const anonymous = await fetch(`${svc.url}/admin/reports/sessions`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/login?next=%2Fadmin%2Freports%2Fsessions');
  });
});
