import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequestSlots } from '../../src/delivery/request-slots.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('RequestSlots', () => {
  it('a request still waiting after holdMs gives its slot to the next one, and stays counted', async () => {
    vi.useFakeTimers();
    const slots = new RequestSlots(1, 200);
    const hung = slots.take();
    expect(hung).not.toBeInstanceOf(Promise);
    let next: unknown;
    void Promise.resolve(slots.take()).then((slot) => {
      next = slot;
    });
    await vi.advanceTimersByTimeAsync(199);
    expect(next).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(next).toBeDefined();
    expect(slots.inFlight).toBe(2);
    expect(slots.inUse).toBe(1);
    (hung as { end(): void }).end();
    expect(slots.inFlight).toBe(1);
    // Its slot went already: ending it gives nothing back twice.
    expect(slots.inUse).toBe(1);
    (next as { end(): void }).end();
    (next as { end(): void }).end();
    expect(slots.inFlight).toBe(0);
    expect(slots.inUse).toBe(0);
  });

  it('a request that ends in time gives its slot back at once, in order of waiting', async () => {
    const slots = new RequestSlots(1, 60_000);
    const first = slots.take();
    const order: number[] = [];
    const waiting = [1, 2].map((n) =>
      Promise.resolve(slots.take()).then((slot) => {
        order.push(n);
        slot.end();
      }),
    );
    (first as { end(): void }).end();
    await Promise.all(waiting);
    expect(order).toEqual([1, 2]);
    expect(slots.inUse).toBe(0);
    expect(slots.inFlight).toBe(0);
  });
});
