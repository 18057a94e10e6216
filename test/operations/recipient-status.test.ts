/**
 * A recipient's delivery status, now computed in src/operations/ for the admin pages (which
 * no longer read the API's JSON): the same as the API's `status` in every case.
 */
import { describe, expect, it } from 'vitest';
import { recipientJson } from '../../src/api/recipient-json.js';
import type { LaneStatus } from '../../src/delivery/index.js';
import { recipientStatus } from '../../src/operations/recipient-status.js';
import type { LaneStats } from '../../src/types.js';
import { storedRecipient } from '../support/recipient.js';

describe('recipientStatus', () => {
  it('is the status the API shows', () => {
    const now = 1_700_000_000_000;
    const stats: LaneStats = { recipientId: 1, pending: 3, oldestPendingAt: now - 2500, failed: 1 };
    const lane: LaneStatus = {
      state: 'waiting',
      nextAttemptAt: now + 1000,
      lastSuccessAt: now - 60_000,
      lastFailureAt: now - 1000,
      lastError: 'HTTP 503',
    };
    const cases = [
      [storedRecipient(), undefined, undefined],
      [storedRecipient(), stats, lane],
      [storedRecipient({ paused: true }), stats, lane],
      [storedRecipient({ enabled: false }), stats, undefined],
      [storedRecipient(), { ...stats, oldestPendingAt: now + 5 }, { ...lane, state: 'idle' }],
    ] as const;
    for (const [r, s, l] of cases) {
      expect(recipientStatus(r, s, l, now)).toEqual(recipientJson(r, s, l, now).status);
    }
  });
});
