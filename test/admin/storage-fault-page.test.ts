/**
 * A change made through an admin page while storage fails is refused with a 503 page that
 * says nothing was saved, as the API's 503 does — not a 500 "something went wrong".
 */
import { afterEach, expect, it } from 'vitest';
import type { SqliteStore } from '../../src/store/sqlite/store.js';
import { cleanup, service } from '../delivery/e2e.js';
import { signedIn } from './client.js';

afterEach(cleanup);

it('a full disk answers an admin change with a 503 page naming the cause', async () => {
  const svc = await service();
  const client = await signedIn(svc);
  await client.get('/admin/tokens');
  const store = svc.service.store as SqliteStore;
  store.simulateFullDisk(true);
  // Small rows may still fit in pages the file has: add tokens until one needs a new page.
  let refused: { status: number; text: string } | undefined;
  for (let i = 0; i < 300 && refused === undefined; i++) {
    const answer = await client.post('/admin/tokens', { name: `token-${i}-${'x'.repeat(150)}` });
    if (answer.status !== 303 && answer.status !== 200) refused = answer;
  }
  store.simulateFullDisk(false);
  expect(refused?.status).toBe(503);
  expect(refused?.text).toContain('Nothing was saved: storage is failing: disk full');
});
