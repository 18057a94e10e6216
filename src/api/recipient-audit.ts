import { X509Certificate } from 'node:crypto';
import type { Recipient } from '../types.js';
import { recipientJson } from './recipient-json.js';

/**
 * A recipient's settings as the audit log keeps them: the API's view (secrets masked), the CA
 * certificate as its fingerprint, without the live status.
 */
export function recipientSnapshot(r: Recipient) {
  const {
    status: _status,
    createdAt: _c,
    updatedAt: _u,
    caCertificate,
    ...rest
  } = recipientJson(r);
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

export const recipientTarget = (r: Pick<Recipient, 'id' | 'name'>) =>
  `recipient ${r.id} (${r.name})`;
