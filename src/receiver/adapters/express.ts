import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReceiverCore } from '../core.js';
import { ReceiverError, ReceiverErrorCode } from '../errors.js';
import type { HandlerResponse, ReceivedRequest } from '../options.js';
import { readNodeBody, writeNodeResponse } from './node-body.js';

/** The parts of an Express request this adapter reads (Express's `Request` is one). */
export interface ExpressRequestLike extends IncomingMessage {
  body?: unknown;
  originalUrl?: string;
}

export type ExpressMiddleware = (
  req: ExpressRequestLike,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Express middleware that answers every request itself. It reads the raw body when nothing
 * has yet; after `express.raw()` or `express.text()` it uses their Buffer or string. After
 * `express.urlencoded()` the raw bytes are gone: the parsed form is used when no secret is
 * set, and with a secret the request is refused with 500 (OUTBOUND_RAW_BODY_UNAVAILABLE),
 * since a signature covers the exact bytes. Mount it before body parsers.
 */
export function expressMiddleware(core: ReceiverCore): ExpressMiddleware {
  return (req, res) => {
    void answerExpress(core, req).then((response) => writeNodeResponse(res, response));
  };
}

async function answerExpress(
  core: ReceiverCore,
  req: ExpressRequestLike,
): Promise<HandlerResponse> {
  let body: ReceivedRequest['body'];
  try {
    body = await bodyOf(req, core.maxBodyBytes);
  } catch (error) {
    return core.fail(error as ReceiverError);
  }
  return core.handle({
    method: req.method ?? '',
    // req.url loses the mount path under app.use(); the query, which holds the token, stays.
    url: req.originalUrl ?? req.url ?? '/',
    headers: req.headers,
    body,
  });
}

async function bodyOf(req: ExpressRequestLike, limit: number): Promise<ReceivedRequest['body']> {
  const parsed = req.body;
  if (typeof parsed === 'string' || parsed instanceof Uint8Array) return parsed;
  // Unread stream: read it, whatever req.body holds (body-parser 1.x leaves `{}` there for
  // content types it skips).
  if (!req.readableEnded) return readNodeBody(req, limit);
  if (typeof parsed === 'object' && parsed !== null) {
    return parsed as Readonly<Record<string, unknown>>;
  }
  throw new ReceiverError(
    ReceiverErrorCode.RAW_BODY_UNAVAILABLE,
    'the request body was consumed before the Outbound handler: mount it before body parsers',
  );
}
