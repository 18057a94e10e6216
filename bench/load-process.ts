/**
 * The load generator, in its own process so that the bench process stays free to listen to
 * the receiver and to sample memory: `{ type: 'loop', url, n, warmup }` and
 * `{ type: 'load', options }` answer with their results.
 */
import { concurrentLoad, type LoadOptions, sequentialLoop } from './load.js';
import { serveRequests } from './util.js';

serveRequests(async (message) => {
  if (message.type === 'loop') {
    const result = await sequentialLoop(
      String(message.url),
      Number(message.n),
      Number(message.warmup),
    );
    return { result };
  }
  if (message.type === 'load') {
    return { result: await concurrentLoad(message.options as LoadOptions) };
  }
  throw new Error(`load: unknown message ${JSON.stringify(message)}`);
});

process.send?.({ type: 'ready' });
