/**
 * One list of reserved headers: validation (API, admin form, CLI) refuses exactly the headers
 * the sender would leave out of the request, and the sender leaves out nothing validation let
 * through. The lists are written out here, not imported, so that a change to either side shows.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Form } from '../../src/admin/form.js';
import { readNewRecipient } from '../../src/admin/recipient-form.js';
import { buildTarget, type HttpTarget } from '../../src/delivery/http-target.js';
import { parseRecipientInput, parseRecipientPatch } from '../../src/recipients/index.js';
import { storedRecipient } from '../support/recipient.js';

/** What the request itself, the connection or the signature decides: never a recipient. */
const SET_BY_OUTBOUND = [
  'Content-Type',
  'Content-Length',
  'Transfer-Encoding',
  'Connection',
  'Keep-Alive',
  'Upgrade',
  'Expect',
  'TE',
  'Trailer',
  'Proxy-Connection',
  'Host',
  'Webhook-Id',
  'Webhook-Timestamp',
  'Webhook-Signature',
  'webhook-anything',
];

/** What a recipient may add; a User-Agent of its own included (CONTRACT §2). */
const SET_BY_RECIPIENT = [
  'User-Agent',
  'Authorization',
  'X-Api-Key',
  'Accept',
  'Cookie',
  'X-Webhook-Id',
  'Webhooks',
];

const targets: HttpTarget[] = [];
afterEach(async () => {
  await Promise.all(targets.splice(0).map((t) => t.client?.close()));
});

/** Whether the sender puts the header on the request (name lower-cased, as stored). */
function senderSends(name: string): boolean {
  const lower = name.toLowerCase();
  const recipient = storedRecipient({ url: 'http://127.0.0.1:9/hook', headers: { [lower]: 'v1' } });
  const target = buildTarget(recipient, 'Outbound/test');
  targets.push(target);
  if (lower === 'user-agent') return target.userAgent === 'v1';
  const extra = target.extra;
  for (let i = 0; i < extra.length; i += 2) if (extra[i] === lower) return extra[i + 1] === 'v1';
  return false;
}

function validation(name: string): { field?: string; message: string } | 'accepted' {
  try {
    parseRecipientInput({ name: 'r', url: 'http://127.0.0.1:9/hook', headers: { [name]: 'v1' } });
    return 'accepted';
  } catch (error) {
    return error as { field?: string; message: string };
  }
}

describe('reserved headers: one list for validation and the sender', () => {
  it.each(SET_BY_OUTBOUND)('refuses %s, naming it, and the sender would drop it', (name) => {
    const refused = validation(name);
    expect(refused).not.toBe('accepted');
    expect(refused).toMatchObject({ field: `headers.${name}` });
    expect((refused as { message: string }).message).toContain(`headers.${name}`);
    expect(senderSends(name)).toBe(false);
  });

  it.each(SET_BY_RECIPIENT)('accepts %s, and the sender sends it', (name) => {
    expect(validation(name)).toBe('accepted');
    expect(parseRecipientPatch({ headers: { [name]: 'v1' } }).headers).toEqual({
      [name.toLowerCase()]: 'v1',
    });
    expect(senderSends(name)).toBe(true);
  });
});

describe('reserved headers in the admin form', () => {
  const form = (headers: string) =>
    new Form([
      ['name', 'r'],
      ['url', 'http://127.0.0.1:9/hook'],
      ['enabled', 'on'],
      ['events', 'support_conference_end'],
      ['retryIntervalSeconds', '10'],
      ['retryDurationSeconds', '0'],
      ['timeoutSeconds', '10'],
      ['headers', headers],
    ]);

  it('shows the refusal next to Extra headers, naming the header', () => {
    const result = readNewRecipient(form('X-Api-Key: k1\nKeep-Alive: timeout=5'), 0);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.headers).toMatch(/^Extra headers: Keep-Alive: /);
  });

  it('saves a User-Agent of its own', () => {
    const result = readNewRecipient(form('User-Agent: Helpdesk/3'), 0);
    expect(result).toMatchObject({ ok: true, value: { headers: { 'user-agent': 'Helpdesk/3' } } });
  });
});
