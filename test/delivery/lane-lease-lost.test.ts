/**
 * A lane that was abandoned (its lease moved, the dispatcher replaced it) while one of its
 * writes was under way must stay silent when that write is refused: reporting the loss then
 * would stop the lane that replaced it, and cut that lane's request in flight.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpSender } from '../../src/delivery/http-sender.js';
import { Lane, type LaneContext } from '../../src/delivery/lane.js';
import { RequestSlots } from '../../src/delivery/request-slots.js';
import { DeliveryMetrics } from '../../src/metrics/delivery-metrics.js';
import { LeaseLostError } from '../../src/store/cluster-store.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import type { Store } from '../../src/store/store.js';
import { newEvent, recipientInput } from '../store/fixtures.js';
import { TestReceiver } from '../support/receiver.js';
import { waitUntil } from '../support/wait.js';

describe('a lane whose write is refused', () => {
  let dir: string;
  let store: SqliteStore;
  let receiver: TestReceiver;
  let sender: HttpSender;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'outbound-lane-'));
    store = new SqliteStore(join(dir, 'outbound.db'));
    await store.migrate();
    receiver = await TestReceiver.start();
    sender = new HttpSender();
  });
  afterEach(async () => {
    await sender.close();
    await receiver.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The real store, except that recording a 200 waits for `refuse` and is then refused. */
  function refusingStore(): { store: Store; held: () => boolean; refuse: () => void } {
    let refuse: () => void = () => {};
    let held = false;
    const proxy = new Proxy(store, {
      get(target, prop) {
        if (prop === 'markDelivered') {
          return (head: { recipientId: number }) => {
            held = true;
            return new Promise<void>((_, reject) => {
              refuse = () => reject(new LeaseLostError(head.recipientId));
            });
          };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return { store: proxy, held: () => held, refuse: () => refuse() };
  }

  async function laneWithOneEvent(ctxStore: Store) {
    const recipient = await store.createRecipient(recipientInput({ url: receiver.url }), 1_000);
    await store.acceptEvents([newEvent()], 1_000);
    const lost: number[] = [];
    const errors: unknown[] = [];
    const ctx: LaneContext = {
      store: ctxStore,
      sender,
      slots: new RequestSlots(4, 200),
      metrics: new DeliveryMetrics(),
      clock: Date.now,
      onError: (error) => errors.push(error),
      holds: () => true,
      onLeaseLost: (id) => lost.push(id),
    };
    return { lane: new Lane(recipient, ctx), recipient, lost, errors };
  }

  it('reports the loss when it still drives the lane', async () => {
    const gate = refusingStore();
    const { lane, recipient, lost } = await laneWithOneEvent(gate.store);
    lane.wake();
    await waitUntil(() => gate.held(), 'the 200 being recorded');
    gate.refuse();
    await waitUntil(() => lost.length > 0, 'the loss reported');
    expect(lost).toEqual([recipient.id]);
    expect(lane.status().state).toBe('stopped');
  });

  it('stays silent once abandoned: the refusal of its late write is not the new lane’s', async () => {
    const gate = refusingStore();
    const { lane, lost, errors } = await laneWithOneEvent(gate.store);
    lane.wake();
    await waitUntil(() => gate.held(), 'the 200 being recorded');
    expect(receiver.accepted).toHaveLength(1);
    lane.abandon();
    gate.refuse();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lost).toEqual([]);
    expect(errors).toEqual([]);
    expect(lane.status().state).toBe('stopped');
  });
});
