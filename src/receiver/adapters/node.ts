import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReceiverCore } from '../core.js';
import type { ReceiverError } from '../errors.js';
import type { HandlerResponse } from '../options.js';
import { readNodeBody, writeNodeResponse } from './node-body.js';

export type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

/** A `node:http` / `node:https` request listener: `createServer(handler.toNodeListener())`. */
export function nodeListener(core: ReceiverCore): NodeListener {
  return (req, res) => {
    void answerNode(core, req).then((response) => writeNodeResponse(res, response));
  };
}

async function answerNode(core: ReceiverCore, req: IncomingMessage): Promise<HandlerResponse> {
  let body: Uint8Array;
  try {
    body = await readNodeBody(req, core.maxBodyBytes);
  } catch (error) {
    return core.fail(error as ReceiverError);
  }
  return core.handle({ method: req.method ?? '', url: req.url ?? '/', headers: req.headers, body });
}
