// Preloaded into a child (NODE_OPTIONS=--import=<this file>): records every module the child
// resolves, ES modules through a resolve hook and CommonJS ones from require's cache, and
// writes the list to $OUTBOUND_TEST_MODULES_FILE when sent SIGUSR2.
import { writeFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const seen = new Set();
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => seen.add(url));
port1.unref();
register('./loaded-modules-hook.mjs', import.meta.url, {
  data: { port: port2 },
  transferList: [port2],
});
const cache = createRequire(import.meta.url).cache;
process.on('SIGUSR2', () => {
  const file = process.env.OUTBOUND_TEST_MODULES_FILE;
  if (file) writeFileSync(file, JSON.stringify([...seen, ...Object.keys(cache)]));
});
