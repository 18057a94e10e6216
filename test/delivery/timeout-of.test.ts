/** The time-out a request is sent with: the recipient's, within the bound (recipients/timeout-limit.ts). */
import { expect, it } from 'vitest';
import { timeoutOf } from '../../src/delivery/http-target.js';
import { MAX_TIMEOUT_MS } from '../../src/recipients/timeout-limit.js';

it('caps rows stored before the bound (up to 600 s) and keeps the others', () => {
  expect(timeoutOf({ timeoutMs: 600_000 })).toBe(MAX_TIMEOUT_MS);
  expect(timeoutOf({ timeoutMs: 2 ** 40 })).toBe(MAX_TIMEOUT_MS);
  expect(timeoutOf({ timeoutMs: 10_000 })).toBe(10_000);
  expect(timeoutOf({ timeoutMs: 0.4 })).toBe(1);
  expect(timeoutOf({ timeoutMs: Number.NaN })).toBeLessThanOrEqual(MAX_TIMEOUT_MS);
});
