import type { ReceiverCore } from '../core.js';
import { bodyTooLarge, ReceiverError, ReceiverErrorCode } from '../errors.js';
import type { HandlerResponse } from '../options.js';

export type FetchHandler = (request: Request) => Promise<Response>;

/** Web `Request` → `Response`: for Hono (`app.post(path, (c) => h(c.req.raw))`), Bun, Deno. */
export function fetchHandler(core: ReceiverCore): FetchHandler {
  return async (request) => {
    const response = await answerFetch(core, request);
    return new Response(response.body, { status: response.status, headers: response.headers });
  };
}

async function answerFetch(core: ReceiverCore, request: Request): Promise<HandlerResponse> {
  let body: Uint8Array;
  try {
    body = await readWebBody(request, core.maxBodyBytes);
  } catch (error) {
    return core.fail(
      error instanceof ReceiverError
        ? error
        : new ReceiverError(ReceiverErrorCode.MALFORMED_EVENT, 'request body unreadable', {
            cause: error,
          }),
    );
  }
  return core.handle({ method: request.method, url: request.url, headers: request.headers, body });
}

/** Reads at most `limit` bytes, stopping the stream early instead of buffering a flood. */
async function readWebBody(request: Request, limit: number): Promise<Uint8Array> {
  if (request.body === null) return new Uint8Array(0);
  if (Number(request.headers.get('content-length')) > limit) throw bodyTooLarge(limit);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw bodyTooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
