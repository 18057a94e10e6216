import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OperationsContext } from '../operations/context.js';
import {
  type Answer,
  idempotent,
  type KeyScope,
  parseIdempotencyKey,
  requestFingerprint,
} from '../operations/idempotency.js';
import type { KeyToRemember } from '../store/idempotency-store.js';

/** Header of an answer given again for an Idempotency-Key, as Stripe names it. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/**
 * Handles a request that takes an Idempotency-Key (operations/idempotency.ts): the key is
 * scoped to the request's API token; `run` stores its work with `rememberAs(answer)`, and its
 * answer, or the one remembered for the key, is sent.
 */
export async function sendIdempotent(
  ctx: Pick<OperationsContext, 'store' | 'clock'>,
  request: FastifyRequest,
  reply: FastifyReply,
  run: (rememberAs: ((answer: Answer) => KeyToRemember) | undefined) => Promise<Answer>,
  form = false,
): Promise<FastifyReply> {
  const key = parseIdempotencyKey(request.headers['idempotency-key']);
  let scope: KeyScope | undefined;
  if (key !== undefined && request.apiToken !== undefined) {
    const path = request.url.split('?')[0] ?? request.url;
    scope = {
      tokenId: request.apiToken.id,
      key,
      fingerprint: requestFingerprint(request.method, path, request.body, form),
    };
  }
  const answer = await idempotent(ctx, scope, run);
  if (answer.replayed) reply.header(REPLAYED_HEADER, 'true');
  return reply.status(answer.status).send(answer.body);
}
