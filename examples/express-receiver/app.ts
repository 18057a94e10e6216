import express from 'express';
import { createHandler, type OutboundEvent } from '../../src/receiver/index.js';

export interface AppOptions {
  secret?: string;
  token?: string;
  /** Where events go; default: printed. */
  onEvent?: (event: OutboundEvent) => void | Promise<void>;
}

/** A minimal Express receiver: one route, mounted before any body parser. */
export function createApp(options: AppOptions = {}): express.Express {
  const onEvent = options.onEvent ?? ((event) => console.log(JSON.stringify(event)));
  const outbound = createHandler({
    secret: options.secret,
    token: options.token,
    on: { default: onEvent },
  });

  const app = express();
  // Before express.urlencoded(): the signature is checked over the raw body.
  app.post('/outbound', outbound.toExpress());
  app.use(express.urlencoded({ extended: false }));
  app.get('/healthz', (_req, res) => void res.send('ok'));
  return app;
}
