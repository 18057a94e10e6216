/**
 * A recipient changed through another node (paused, here) is read again before its lane sends
 * anything more: a wake-up for work accepted after the pause may arrive before the re-read
 * (found by the two-node test, about one run in ten). Driven through the dispatcher's signal
 * entry point on one SQLite service, with the store changed behind its back as another node
 * would change it.
 */
import { afterEach, expect, it } from 'vitest';
import { toNewEvent } from '../../src/operations/new-event.js';
import { sleep } from '../support/wait.js';
import {
  acceptedCount,
  addRecipient,
  cleanup,
  makeEvent,
  postEvents,
  receiver,
  service,
} from './e2e.js';

afterEach(cleanup);

it('a pause heard from another node holds the lane before a wake-up can send', async () => {
  const r = await receiver();
  const svc = await service();
  const recipient = await addRecipient(svc, { name: 'r', url: r.url });
  await postEvents(svc, makeEvent('begin'));
  await acceptedCount(r, 1);

  // Another node pauses the recipient, then accepts an event: both reach this node as signals,
  // the change first, the work right after it.
  const { store, dispatcher } = svc.service;
  await store.updateRecipient(recipient.id, { paused: true }, Date.now());
  // The re-read is the slower query (on PostgreSQL it goes through another connection than
  // the lane's fetch): here it is made slower by a tenth of a second.
  const getRecipient = store.getRecipient.bind(store);
  store.getRecipient = async (id) => {
    await sleep(100);
    return getRecipient(id);
  };
  await store.acceptEvents([toNewEvent(makeEvent('begin'), Date.now())], Date.now());
  dispatcher.hear({ kind: 'changed', recipientId: recipient.id });
  dispatcher.hear({ kind: 'work', recipientIds: [recipient.id] });

  await sleep(500);
  expect(r.requests).toHaveLength(1);
});
