import type { FastifyRequest } from 'fastify';
import { apiActor } from '../audit/index.js';
import type { ChangedBy } from '../operations/recipient-actions.js';

/** The audit log's "who" for a change through the API: the token the request carried. */
export const changedBy = (request: FastifyRequest): ChangedBy => ({
  actor: apiActor(request.apiToken?.name),
  log: request.log,
});
