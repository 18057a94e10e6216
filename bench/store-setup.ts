/**
 * Setting up an Outbound store before `outbound serve` starts, the same way on SQLite
 * (harness.ts) and PostgreSQL (pg-harness.ts): an API token and the recipients, then a backlog
 * stored straight into it.
 */
import { hashToken, newToken } from '../src/operations/tokens.js';
import { parseRecipientInput } from '../src/recipients/index.js';
import type { Store } from '../src/store/store.js';
import { newEvent } from './events.js';
import { log } from './util.js';

export interface RecipientSetup {
  name: string;
  url: string;
  paused: boolean;
}

/**
 * Migrates `store` and adds an API token and the recipients (events: all, retry interval 1 s,
 * at most 5 s); the token and the recipients' ids.
 */
export async function setUpStore(
  store: Store,
  recipients: RecipientSetup[],
): Promise<{ token: string; recipientIds: number[] }> {
  await store.migrate();
  const token = newToken();
  const now = Date.now();
  await store.createToken('bench', hashToken(token), now);
  const recipientIds: number[] = [];
  for (const r of recipients) {
    const input = parseRecipientInput({
      name: r.name,
      url: r.url,
      paused: r.paused,
      events: 'all',
      retryIntervalSeconds: 1,
      retryMaxIntervalSeconds: 5,
    });
    recipientIds.push((await store.createRecipient(input, now)).id);
  }
  return { token, recipientIds };
}

/**
 * Stores `n` events (lsid 0…n-1) straight into `store`, `batch` per durable transaction, each
 * queued for every enabled recipient. Closes the store: the seconds it took include the close.
 */
export async function storeBacklog(store: Store, n: number, batch: number): Promise<number> {
  const t0 = performance.now();
  try {
    let lastLog = t0;
    for (let i = 0; i < n; i += batch) {
      const now = Date.now();
      const events = [];
      for (let j = i; j < Math.min(n, i + batch); j++) events.push(newEvent(j, now));
      await store.acceptEvents(events, now);
      if (performance.now() - lastLog > 5000) {
        lastLog = performance.now();
        const done = Math.min(n, i + batch).toLocaleString('en-US');
        log(`  inserted ${done} / ${n.toLocaleString('en-US')} events`);
      }
    }
  } finally {
    await store.close();
  }
  return (performance.now() - t0) / 1000;
}
