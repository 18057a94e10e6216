/**
 * Error alerts go by mail to people who may not administer the recipient: the URL they name
 * has its password and credential-like query values masked, as the admin pages show it.
 */
import { describe, expect, it } from 'vitest';
import { alertMail, setAsideMail } from '../../src/alerts/index.js';

const context = {
  recipientName: 'tickets',
  url: 'https://hooks:pa55word@tickets.example.com/in?team=blue&outbound_event_token=t0k3n',
  queued: 3,
  lastError: 'HTTP 503',
  pageUrl: null,
};
const MASKED = 'URL: https://hooks:•••@tickets.example.com/in?team=blue&outbound_event_token=•••';

describe('alert mails', () => {
  it('name the URL masked', () => {
    const now = Date.now();
    const mails = [
      alertMail({ kind: 'failing', since: now - 60_000, repeat: false }, context, ['ops@x'], now),
      alertMail({ kind: 'recovered', since: now - 60_000 }, context, ['ops@x'], now),
      setAsideMail(context, { uid: 'evt_1', name: 'n', lsid: 'l', attempts: 2 }, ['ops@x']),
    ];
    for (const mail of mails) {
      expect(mail?.text).toContain(MASKED);
      expect(mail?.text).not.toContain('pa55word');
      expect(mail?.text).not.toContain('t0k3n');
    }
  });
});
