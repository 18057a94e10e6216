import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startService, type TestService } from '../support/service.js';
import { type AdminClient, signedIn } from './client.js';

let svc: TestService;
let client: AdminClient;

beforeEach(async () => {
  svc = await startService();
  client = await signedIn(svc);
});

afterEach(async () => {
  await svc.stop();
});

const field = (page: string, name: string) =>
  new RegExp(`<dd data-field="${name}"[^>]*>([\\s\\S]*?)</dd>`).exec(page)?.[1] ?? '';

async function call(method: string, path: string, body?: unknown) {
  const answer = await svc.api(method, `/api/v1/sessions${path}`, body);
  expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
  return answer.body;
}

describe("a session's page", () => {
  it('shows the state the sessions API holds now, beside the timeline', async () => {
    const { lsid } = await call('POST', '', {
      external_key: 'INC-9',
      owner: { conference_id: 'team:5', conference_name: 'Tier 2' },
    });
    const customer = await call('POST', `/${lsid}/members`, {
      type: 'customer',
      display_name: '<b>Zoë</b>',
    });
    await call('POST', `/${lsid}/members`, {
      type: 'representative',
      display_name: 'Ann',
      user_id: '12',
      username: 'ann',
    });
    await call('DELETE', `/${lsid}/members/${customer.memberId}`);
    await call('POST', `/${lsid}/surveys/customer`);

    const open = await client.get(`/admin/sessions/${lsid}`);
    expect(open.status).toBe(200);
    expect(field(open.text, 'status')).toBe('Open');
    expect(field(open.text, 'externalKey')).toBe('INC-9');
    expect(field(open.text, 'owner')).toBe('Tier 2 (team:5)');
    expect(field(open.text, 'present')).toContain('Ann (representative, ann, user 12)');
    // A name is shown as typed, never as markup.
    expect(field(open.text, 'left')).toContain('&lt;b&gt;Zoë&lt;/b&gt; (customer)');
    expect(open.text).not.toContain('<b>Zoë</b>');
    expect(field(open.text, 'surveys')).toBe('customer submitted; representative not submitted');

    await call('POST', `/${lsid}/end`);
    const ended = await client.get(`/admin/sessions/${lsid}`);
    expect(field(ended.text, 'status')).toMatch(/^Ended \d{4}-\d\d-\d\d .* UTC$/);
    expect(field(ended.text, 'present')).toContain('nobody');
    expect(field(ended.text, 'left')).toContain('Ann (representative');
  });

  it('has no state panel for events posted without the sessions API', async () => {
    const posted = await svc.api('POST', '/api/v1/events', {
      event: 'support_conference_begin',
      lsid: 'from-appliance',
    });
    expect(posted.status).toBe(202);
    const page = await client.get('/admin/sessions/from-appliance');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('data-session-state');
    expect(page.text).toContain('data-timeline');
  });
});
