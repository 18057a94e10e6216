/**
 * The retry policy's floor, for any answer a receiver may give: a head is never retried sooner
 * than its recipient's retry interval after a failure (a Retry-After only lengthens the wait, up
 * to the cap), it is set aside only once it has failed for longer than the retry duration, and
 * the last retry is moved up to the deadline only as far as the interval allows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afterFailure, MIN_RETRY_INTERVAL_MS } from '../../src/delivery/retry-policy.js';

const intervals = fc
  .record({
    retryIntervalMs: fc.integer({ min: 10, max: 86_400_000 }),
    extra: fc.integer({ min: 0, max: 86_400_000 }),
    retryDurationMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 365 * 86_400_000 })),
  })
  .map(({ retryIntervalMs, extra, retryDurationMs }) => ({
    retryIntervalMs,
    retryMaxIntervalMs: retryIntervalMs + extra,
    retryDurationMs,
  }));

/** What a receiver may send: none, 0, a date long past (0 once parsed), anything up to huge. */
const retryAfters = fc.oneof(
  fc.constant(null),
  fc.constant(0),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.constant(Number.MAX_SAFE_INTEGER),
  fc.constant(Number.POSITIVE_INFINITY),
  fc.constant(Number.NaN),
);

const now = fc.integer({ min: 1_600_000_000_000, max: 2_000_000_000_000 });
const random = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('afterFailure', () => {
  it('never retries sooner than the interval nor later than the cap', () => {
    fc.assert(
      fc.property(
        intervals,
        now,
        fc.integer({ min: 0, max: 10_000 }),
        fc.option(fc.integer({ min: 0, max: 400 * 86_400_000 }), { nil: null }),
        retryAfters,
        random,
        (recipient, at, attempts, failedFor, retryAfterMs, r) => {
          const head = { attempts, firstFailedAt: failedFor === null ? null : at - failedFor };
          const decision = afterFailure(recipient, head, at, retryAfterMs, () => r);
          const firstFailedAt = head.firstFailedAt ?? at;
          const deadline =
            recipient.retryDurationMs > 0
              ? firstFailedAt + recipient.retryDurationMs
              : Number.POSITIVE_INFINITY;
          if (decision.kind === 'set-aside') {
            // Only once the head has failed for the whole retry duration.
            expect(at).toBeGreaterThanOrEqual(deadline);
            return;
          }
          expect(Number.isInteger(decision.at)).toBe(true);
          expect(decision.at - at).toBeGreaterThanOrEqual(recipient.retryIntervalMs);
          expect(decision.at - at).toBeLessThanOrEqual(recipient.retryMaxIntervalMs);
          // On time: the deadline, or the interval's end when that comes later.
          if (deadline !== Number.POSITIVE_INFINITY) {
            expect(decision.at).toBeLessThanOrEqual(
              Math.max(deadline, at + recipient.retryIntervalMs),
            );
          }
        },
      ),
    );
  });

  it('a Retry-After within the interval and the cap is followed', () => {
    fc.assert(
      fc.property(intervals, now, fc.integer({ min: 0, max: 1 }), (recipient, at, frac) => {
        const { retryIntervalMs: low, retryMaxIntervalMs: high } = recipient;
        const wanted = low + Math.round((high - low) * frac);
        const decision = afterFailure(
          { ...recipient, retryDurationMs: 0 },
          { attempts: 0, firstFailedAt: null },
          at,
          wanted,
        );
        expect(decision).toEqual({ kind: 'retry', at: at + wanted });
      }),
    );
  });

  it('a receiver answering at once, whatever it says, gets at most one request per interval', () => {
    fc.assert(
      fc.property(
        intervals,
        now,
        fc.array(fc.tuple(retryAfters, fc.integer({ min: 0, max: 5 })), {
          minLength: 1,
          maxLength: 200,
        }),
        (recipient, start, answers) => {
          // The lane sends when the head is due; each failure is seen `latency` ms later.
          let clock = start;
          let head = { attempts: 0, firstFailedAt: null as number | null };
          const sentAt: number[] = [];
          for (const [retryAfterMs, latency] of answers) {
            sentAt.push(clock);
            const failedAt = clock + latency;
            const decision = afterFailure(recipient, head, failedAt, retryAfterMs, () => 0.5);
            if (decision.kind === 'set-aside') break;
            head = { attempts: head.attempts + 1, firstFailedAt: head.firstFailedAt ?? failedAt };
            clock = decision.at;
          }
          for (let i = 1; i < sentAt.length; i++) {
            expect((sentAt[i] as number) - (sentAt[i - 1] as number)).toBeGreaterThanOrEqual(
              recipient.retryIntervalMs,
            );
          }
        },
      ),
    );
  });

  it('an interval below the floor (stored by an older version) still spaces retries', () => {
    const decision = afterFailure(
      { retryIntervalMs: 0, retryMaxIntervalMs: 0, retryDurationMs: 0 },
      { attempts: 3, firstFailedAt: 1000 },
      5000,
      0,
    );
    expect(decision).toEqual({ kind: 'retry', at: 5000 + MIN_RETRY_INTERVAL_MS });
  });
});
