/**
 * The audit log's snapshot of a recipient has its own shape now (it no longer reads the API's
 * JSON): the same fields, values and order as the entries written before, so old and new
 * entries compare. The expected shape is derived here the way it used to be.
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { recipientJson } from '../../src/api/recipient-json.js';
import { recipientSnapshot } from '../../src/operations/recipient-audit.js';
import type { Recipient } from '../../src/types.js';
import { storedRecipient } from '../support/recipient.js';

/** The snapshot as src/api/recipient-audit.ts built it from the API's JSON. */
function asBefore(r: Recipient, now: number) {
  const {
    status: _s,
    createdAt: _c,
    updatedAt: _u,
    caCertificate,
    ...rest
  } = recipientJson(r, undefined, undefined, now);
  let ca: string | null = null;
  if (caCertificate !== null) {
    try {
      ca = `sha256 ${new X509Certificate(caCertificate).fingerprint256}`;
    } catch {
      ca = 'PEM';
    }
  }
  return { ...rest, caCertificate: ca };
}

async function selfSigned(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'outbound-ca-'));
  try {
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'ca.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=Test Root',
    ]);
    return readFileSync(join(dir, 'ca.pem'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('recipientSnapshot', () => {
  it('keeps the shape audit entries have had', async () => {
    const now = 1_700_000_000_000;
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const previous = 'whsec_Zm9vYmFyYmF6cXV4cXV1eHF1dXpxdXV6cXV1';
    const recipients = [
      storedRecipient(),
      storedRecipient({
        secret,
        previousSecret: previous,
        previousSecretExpiresAt: now + 1000,
        headers: { 'X-Key': 'k' },
        events: ['support_conference_begin'],
        caPem: await selfSigned(),
        alertContacts: ['ops@example.test'],
      }),
      storedRecipient({ secret, previousSecret: previous, previousSecretExpiresAt: now - 1 }),
      storedRecipient({ caPem: 'not a certificate', enabled: false, paused: true }),
    ];
    for (const r of recipients) {
      // Compared as stored: JSON text, so the order of the fields counts too.
      expect(JSON.stringify(recipientSnapshot(r, now))).toBe(JSON.stringify(asBefore(r, now)));
    }
  });
});
