import type { IncomingMessage, ServerResponse } from 'node:http';
import { bodyTooLarge, ReceiverError, ReceiverErrorCode } from '../errors.js';
import type { HandlerResponse } from '../options.js';

/**
 * Reads a Node request body up to `limit` bytes. Beyond it the rest is drained unread (so the
 * connection can still carry the 413 answer) and a BODY_TOO_LARGE error is raised.
 */
export function readNodeBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      req.resume();
      reject(bodyTooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.resume();
        reject(bodyTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', (error) =>
      reject(
        new ReceiverError(ReceiverErrorCode.MALFORMED_EVENT, 'request body unreadable', {
          cause: error,
        }),
      ),
    );
  });
}

export function writeNodeResponse(res: ServerResponse, response: HandlerResponse): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(response.status, response.headers).end(response.body);
}
